package model

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/assay-network/assay/dataset"
)

// testInputs returns n encoded rows: CPS validation rows, then seeded noise.
func testInputs(t testing.TB, m *Model, n int) [][]float64 {
	t.Helper()
	d := cpsData(t)
	rows, _ := d.Rows(d.Validation)
	enc, err := m.Encode(rows)
	if err != nil {
		t.Fatal(err)
	}
	rng := dataset.NewRNG(99)
	for len(enc) < n {
		r := make([]float64, m.Header.Architecture.Inputs)
		for j := range r {
			r[j] = 4*rng.Float64() - 2
		}
		enc = append(enc, r)
	}
	return enc[:n]
}

// sameProbs compares outputs with a tolerance and on argmax: Gorgonia is
// bit-exact only for the same batch size and binary (DESIGN §7).
func sameProbs(a, b [][]float64) error {
	if len(a) != len(b) {
		return fmt.Errorf("%d rows vs %d", len(a), len(b))
	}
	for i := range a {
		if Argmax(a[i]) != Argmax(b[i]) {
			return fmt.Errorf("row %d: argmax %d vs %d", i, Argmax(a[i]), Argmax(b[i]))
		}
		for j := range a[i] {
			if math.Abs(a[i][j]-b[i][j]) > 1e-9 {
				return fmt.Errorf("row %d class %d: %v vs %v", i, j, a[i][j], b[i][j])
			}
		}
	}
	return nil
}

func TestPredictorConcurrentMatchesSequential(t *testing.T) {
	m := tinyModel(t, 3)
	inputs := testInputs(t, m, 600)
	sizes := []int{1, 3, 8, 17, 32, 100, 256, 300, 600}
	ctx := context.Background()

	seq, err := NewPredictor(m, PredictorOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := make([][][]float64, len(sizes))
	for i, n := range sizes {
		if want[i], err = seq.Predict(ctx, inputs[:n]); err != nil {
			t.Fatal(err)
		}
	}

	// Many goroutines on one Predictor, fewer sessions than goroutines so
	// they contend for the pool.
	conc, err := NewPredictor(m, PredictorOptions{Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for round := 0; round < 3; round++ {
				for k := range sizes {
					i := (k + g) % len(sizes) // goroutines interleave sizes differently
					got, err := conc.Predict(ctx, inputs[:sizes[i]])
					if err == nil {
						err = sameProbs(got, want[i])
					}
					if err != nil {
						errs <- fmt.Errorf("goroutine %d batch %d: %w", g, sizes[i], err)
						return
					}
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestPredictorPaddingAndReset(t *testing.T) {
	m := tinyModel(t, 3)
	inputs := testInputs(t, m, 40)
	p, err := NewPredictor(m, PredictorOptions{BatchSizes: []int{1, 32}, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	batch, err := p.Predict(ctx, inputs) // 32 + 8 padded to 32
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range inputs {
		// One at a time through the same batch-1 session: a VM that was not
		// reset would hand back the previous row's answer.
		one, err := p.Predict(ctx, [][]float64{row})
		if err != nil {
			t.Fatal(err)
		}
		if err := sameProbs(one, batch[i:i+1]); err != nil {
			t.Fatalf("row %d alone vs in a padded batch: %v", i, err)
		}
		var sum float64
		for _, v := range one[0] {
			sum += v
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Fatalf("row %d probabilities sum to %v", i, sum)
		}
	}
	if sameProbs(batch[0:1], batch[1:2]) == nil {
		t.Fatal("different rows gave identical outputs")
	}
}

func TestPredictorErrors(t *testing.T) {
	m := tinyModel(t, 3)
	p, _ := NewPredictor(m, PredictorOptions{})
	if _, err := p.Predict(context.Background(), [][]float64{make([]float64, 3)}); err == nil {
		t.Fatal("short row accepted")
	}
	if out, err := p.Predict(context.Background(), nil); err != nil || len(out) != 0 {
		t.Fatalf("empty batch: %v %v", out, err)
	}
	if _, err := NewPredictor(m, PredictorOptions{BatchSizes: []int{0}}); err == nil {
		t.Fatal("batch size 0 accepted")
	}
	// A cancelled context stops a caller waiting for a busy pool.
	p1, _ := NewPredictor(m, PredictorOptions{BatchSizes: []int{1}, Workers: 1})
	s, err := p1.pools[0].get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p1.Predict(ctx, testInputs(t, m, 1)); err == nil {
		t.Fatal("predict with an exhausted pool and a cancelled context succeeded")
	}
	p1.pools[0].put(s)
}

// The Predictor applies the softmax in Go after the graph runs; it must
// give what Gorgonia's SoftMax op gives, including for logits large enough
// that a naive exp overflows.
func TestSoftmaxRowsMatchesGorgonia(t *testing.T) {
	const rows, classes = 64, 5
	rng := dataset.NewRNG(7)
	v := make([]float64, rows*classes)
	for i := range v {
		v[i] = 20 * (2*rng.Float64() - 1)
	}
	// exp overflows float64 past ~709 and underflows to 0 below ~-745.
	copy(v[0:], []float64{1000, 999, -5, 0, 3})
	copy(v[classes:], []float64{-1000, -1001, -1002, -999.5, -1000})
	g := G.NewGraph()
	x := G.NewMatrix(g, tensor.Float64, G.WithShape(rows, classes), G.WithName("logits"),
		G.WithValue(tensor.New(tensor.WithShape(rows, classes), tensor.WithBacking(slices.Clone(v)))))
	sm, err := G.SoftMax(x)
	if err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	want := sm.Value().Data().([]float64)

	got := slices.Clone(v)
	softmaxRows(got, classes)
	for r := range rows {
		var sum float64
		for c := range classes {
			i := r*classes + c
			if math.IsNaN(got[i]) || math.Abs(got[i]-want[i]) > 1e-12 {
				t.Fatalf("row %d class %d: softmaxRows %v, Gorgonia %v (logit %v)", r, c, got[i], want[i], v[i])
			}
			sum += got[i]
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Fatalf("row %d sums to %v", r, sum)
		}
	}
}
