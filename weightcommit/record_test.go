package weightcommit

import (
	"strings"
	"testing"
)

func TestCheckNamesTheMissingField(t *testing.T) {
	ok := Record{Hash: "ab", UIDs: []uint32{1, 2}, Weights: []uint32{3, 4}, Salt: "00"}
	if err := ok.Check(); err != nil {
		t.Fatalf("complete record refused: %v", err)
	}
	for field, r := range map[string]Record{
		"hash":    {UIDs: ok.UIDs, Weights: ok.Weights, Salt: ok.Salt},
		"salt":    {Hash: ok.Hash, UIDs: ok.UIDs, Weights: ok.Weights},
		"weights": {Hash: ok.Hash, UIDs: ok.UIDs, Weights: ok.Weights[:1], Salt: ok.Salt},
	} {
		if err := r.Check(); err == nil || !strings.HasPrefix(err.Error(), field+":") {
			t.Errorf("%s missing: %v", field, err)
		}
	}
}
