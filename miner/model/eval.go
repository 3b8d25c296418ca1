package model

import (
	"context"
	"fmt"

	"github.com/assay-network/assay/dataset"
)

// Evaluation is a model's quality and bias on a set of rows.
type Evaluation struct {
	Rows     int
	Accuracy float64
	// Protected is the column FlipRate was measured on ("" for none).
	Protected string
	// FlipRate is the share of rows whose predicted class changes when only
	// the protected attribute is flipped (counterfactual_flip bias metric).
	FlipRate float64
}

// PredictRaw encodes raw rows with the model's encoder and returns class
// probabilities.
func PredictRaw(ctx context.Context, m *Model, p *Predictor, rows [][]float64) ([][]float64, error) {
	enc, err := m.Encode(rows)
	if err != nil {
		return nil, err
	}
	return p.Predict(ctx, enc)
}

// Classify returns the argmax class of each raw row.
func Classify(ctx context.Context, m *Model, p *Predictor, rows [][]float64) ([]int, error) {
	probs, err := PredictRaw(ctx, m, p, rows)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(probs))
	for i, pr := range probs {
		out[i] = Argmax(pr)
	}
	return out, nil
}

// Evaluate measures m on d's rows idx: accuracy on the true labels and, when
// flip is set and the task has a protected column with counterfactual
// twins, the counterfactual flip rate on it.
func Evaluate(ctx context.Context, m *Model, p *Predictor, d *dataset.Dataset, idx []int, flip bool) (Evaluation, error) {
	if err := m.CheckTask(d.Task, d.TaskHash); err != nil {
		return Evaluation{}, err
	}
	if len(idx) == 0 {
		return Evaluation{}, fmt.Errorf("model: no rows to evaluate")
	}
	rows, labels := d.Rows(idx)
	pred, err := Classify(ctx, m, p, rows)
	if err != nil {
		return Evaluation{}, err
	}
	ev := Evaluation{Rows: len(rows)}
	correct := 0
	for i := range pred {
		if pred[i] == labels[i] {
			correct++
		}
	}
	ev.Accuracy = float64(correct) / float64(len(rows))
	pc := d.ProtectedColumn
	if !flip || pc == nil || !pc.HasTwins() {
		return ev, nil
	}
	ev.Protected = pc.Name
	cf, err := pc.Twins(rows)
	if err != nil {
		return Evaluation{}, err
	}
	cfPred, err := Classify(ctx, m, p, cf)
	if err != nil {
		return Evaluation{}, err
	}
	flips := 0
	for i := range pred {
		if pred[i] != cfPred[i] {
			flips++
		}
	}
	ev.FlipRate = float64(flips) / float64(len(rows))
	return ev, nil
}

// ValidationAccuracy is the accuracy of m on d's validation split.
func ValidationAccuracy(ctx context.Context, m *Model, d *dataset.Dataset) (float64, error) {
	p, err := NewPredictor(m, PredictorOptions{})
	if err != nil {
		return 0, err
	}
	ev, err := Evaluate(ctx, m, p, d, d.Validation, false)
	return ev.Accuracy, err
}
