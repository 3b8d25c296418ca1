package upgrades

import (
	"strings"
	"testing"
)

func TestListNamesAreSetAndUnique(t *testing.T) {
	list, err := List()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, u := range list {
		if u.Name == "" || seen[u.Name] {
			t.Fatalf("bad or repeated name %q in %v", u.Name, list)
		}
		seen[u.Name] = true
	}
}

func TestListRefusesRepeatedOrEmptyNames(t *testing.T) {
	saved := released
	t.Cleanup(func() { released = saved })
	for _, tc := range []struct {
		list []Upgrade
		want string
	}{
		{[]Upgrade{{Name: "v2"}, {Name: "v2"}}, `"v2" is listed twice`},
		{[]Upgrade{{Name: "v2"}, {}}, "upgrade 1 has no name"},
	} {
		released = tc.list
		if _, err := List(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("List() with %v: error %v, want %q", tc.list, err, tc.want)
		}
	}
}
