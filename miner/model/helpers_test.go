package model

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/assay-network/assay/dataset"
	"github.com/assay-network/assay/task"
)

// cpsPath is the committed CC0 copy of the CPS wages data, the file the
// built-in cps1985-wages task names: hermetic tests train on it.
const cpsPath = "../../dataset/testdata/cps1985-wages/data.csv"

// builtinSpec parses scripts/tasks/<name>.json.
func builtinSpec(t testing.TB, name string) task.Spec {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("../../scripts/tasks", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := task.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// cpsData is the built-in cps1985-wages task on the committed file.
func cpsData(t testing.TB) *dataset.Dataset {
	t.Helper()
	d, err := dataset.LoadTask(builtinSpec(t, "cps1985-wages"), map[string]string{task.RoleData: cpsPath})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// tinyModel trains a small model on CPS wages: quick, deterministic.
func tinyModel(t testing.TB, seed uint64) *Model {
	t.Helper()
	m, err := Train(context.Background(), cpsData(t), TrainConfig{
		Hidden: []int{8}, Epochs: 5, BatchSize: 16, LearnRate: 1e-2, Seed: seed,
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// requireData loads a built-in task from the data `make data` fetched (its
// content-addressed cache), or skips the test.
func requireData(t testing.TB, name string, o dataset.LoadOptions) *dataset.Dataset {
	t.Helper()
	s := builtinSpec(t, name)
	dir := dataset.DefaultDataDir()
	for _, f := range s.Dataset.Files {
		if _, err := os.Stat(filepath.Join(dir, "sha256", f.SHA256)); err != nil {
			t.Skipf("%s: %v; set ASSAY_DATA_DIR or run `make data`", name, err)
		}
	}
	paths := map[string]string{}
	for _, f := range s.Dataset.Files {
		paths[f.Role] = filepath.Join(dir, "sha256", f.SHA256)
	}
	d, err := o.LoadTask(s, paths)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
