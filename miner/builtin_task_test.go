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
	s, err := task.Parse(builtinTaskFile(t, name))
	if err != nil {
		t.Fatal(err)
	}
	if spec, hash, err = subnettypes.CanonicalTask(s); err != nil {
		t.Fatal(err)
	}
	return spec, hash
}

// builtinTaskFile reads scripts/tasks/<name>.json.
func builtinTaskFile(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile("../scripts/tasks/" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
