package model

import (
	"context"
	"errors"
	"testing"

	"github.com/assay-network/assay/dataset"
)

// cpsPath is the committed CC0 copy of the CPS wages data: hermetic tests
// train on it.
const cpsPath = "../../dataset/testdata/cps1985-wages/data.csv"

func cpsData(t testing.TB) *dataset.Dataset {
	t.Helper()
	d, err := dataset.LoadCPSWages(cpsPath)
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

// requireData loads a dataset fetched by `make data` or skips the test.
func requireData(t testing.TB, id string) *dataset.Dataset {
	t.Helper()
	d, err := dataset.Load(dataset.DefaultDataDir(), id)
	if errors.Is(err, dataset.ErrMissing) {
		t.Skipf("%v; set ASSAY_DATA_DIR or run `make data`", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return d
}
