package miner

import (
	"os"
	"testing"

	"github.com/assay-network/assay/task"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// builtinTask is a built-in task file (scripts/tasks/<name>.json) as a
// subnet stores it: canonical JSON and task hash.
func builtinTask(t testing.TB, name string) (spec, hash string) {
	t.Helper()
	raw, err := os.ReadFile("../scripts/tasks/" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	s, err := task.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if spec, hash, err = subnettypes.CanonicalTask(s); err != nil {
		t.Fatal(err)
	}
	return spec, hash
}
