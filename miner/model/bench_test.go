package model

import (
	"context"
	"fmt"
	"testing"

	"github.com/assay-network/assay/dataset"
)

// syntheticModel is a seeded model of the german-credit reference shape
// (63 encoded inputs, 16 hidden, 2 classes) that needs no data.
func syntheticModel(tb testing.TB, inputs int, hidden []int, classes int) *Model {
	tb.Helper()
	var s dataset.Schema
	for i := 0; i < inputs; i++ {
		s.Features = append(s.Features, dataset.Feature{Name: fmt.Sprintf("f%d", i), Kind: dataset.Numeric})
	}
	for c := 0; c < classes; c++ {
		s.Classes = append(s.Classes, fmt.Sprint(c))
	}
	a := Architecture{Kind: KindMLP, Inputs: inputs, Hidden: hidden, Classes: classes}
	m, err := New(Header{
		Task: dataset.TaskTabular, Dataset: "synthetic", Architecture: a, Schema: s,
		Encoder: *dataset.NewScaleEncoder(s, 1),
	}, InitWeights(a, 1))
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// BenchmarkForward measures the batched forward pass of the tabular MLP
// through Predictor.Predict at exact graph batch sizes (no padding), one
// caller at a time. samples/s is the serving throughput of one worker.
func BenchmarkForward(b *testing.B) {
	m := syntheticModel(b, 63, []int{16}, 2)
	for _, n := range []int{1, 32, 256} {
		b.Run(fmt.Sprintf("batch=%d", n), func(b *testing.B) {
			p, err := NewPredictor(m, PredictorOptions{BatchSizes: []int{n}, Workers: 1})
			if err != nil {
				b.Fatal(err)
			}
			rng := dataset.NewRNG(5)
			batch := make([][]float64, n)
			for i := range batch {
				batch[i] = make([]float64, 63)
				for j := range batch[i] {
					batch[i][j] = rng.Float64()
				}
			}
			ctx := context.Background()
			if _, err := p.Predict(ctx, batch); err != nil { // build the graph outside the timer
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := p.Predict(ctx, batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "samples/s")
		})
	}
}
