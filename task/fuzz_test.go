package task

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary bytes to Parse (which runs Validate): it must
// never panic, every error must be one ErrInvalid line, and a spec it
// accepts must have a canonical form that parses back to the same bytes.
func FuzzParse(f *testing.F) {
	paths, _ := filepath.Glob("../scripts/tasks/*.json")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{toySpec, nominalSpec, imageSpec, `{"name": "a", "name": "b"}`, `[[[[`, `{"split": {"seed": -1}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		s, err := Parse(in)
		if err != nil {
			if !errors.Is(err, ErrInvalid) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q is not one ErrInvalid line", err)
			}
			return
		}
		c1, err := s.Canonical()
		if err != nil {
			t.Fatalf("accepted spec has no canonical form: %v", err)
		}
		s2, err := Parse(c1)
		if err != nil {
			t.Fatalf("canonical form %s does not parse: %v", c1, err)
		}
		c2, err := s2.Canonical()
		if err != nil || !bytes.Equal(c1, c2) {
			t.Fatalf("canonical form not a fixed point:\n%s\n%s (%v)", c1, c2, err)
		}
	})
}
