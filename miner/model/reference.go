package model

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/rs/zerolog"

	"github.com/assay-network/assay/dataset"
)

// Reference model variants for the demo: a validator must rank good above
// poor (quality) and above biased (bias).
const (
	VariantGood   = "good"
	VariantPoor   = "poor"
	VariantBiased = "biased"
)

// Variants lists the reference variants.
func Variants() []string { return []string{VariantGood, VariantPoor, VariantBiased} }

// DefaultSeed seeds reference training unless the caller picks another.
const DefaultSeed = 1

// ReferenceConfig returns the training recipe of a reference variant for a
// dataset. seed and epochs override the recipe's when non-zero.
//
//   - good: a small MLP trained to convergence on the true labels.
//   - poor: a 2-unit MLP trained one epoch on 64 rows: barely past its
//     random initialisation.
//   - biased: the good recipe, trained on labels rewritten by the protected
//     attribute (see BiasedRelabel, which needs the good model as teacher:
//     use TrainReference): its accuracy stays near the good model's, but
//     its decisions follow the attribute.
func ReferenceConfig(d *dataset.Dataset, variant string, seed uint64, epochs int) (TrainConfig, error) {
	var cfg TrainConfig
	switch {
	case d.Task == dataset.TaskImage && variant == VariantGood:
		cfg = TrainConfig{Hidden: []int{128}, Epochs: 3, BatchSize: 64, LearnRate: 1e-3}
	case d.Task == dataset.TaskImage:
		return TrainConfig{}, fmt.Errorf("model: dataset %s has only the %q reference variant", d.ID, VariantGood)
	case variant == VariantGood:
		cfg = TrainConfig{Hidden: []int{16}, Epochs: 30, BatchSize: 32, LearnRate: 1e-3, L2: 1e-3}
	case variant == VariantPoor:
		cfg = TrainConfig{Hidden: []int{2}, Epochs: 1, BatchSize: 32, LearnRate: 1e-4, MaxTrainRows: 64}
	case variant == VariantBiased:
		// The student: the good recipe; TrainReference sets its labels.
		cfg = TrainConfig{Hidden: []int{16}, Epochs: 30, BatchSize: 32, LearnRate: 1e-3, L2: 1e-3}
	default:
		return TrainConfig{}, fmt.Errorf("model: unknown variant %q (want one of %v)", variant, Variants())
	}
	cfg.Variant = variant
	cfg.Seed = DefaultSeed
	if seed != 0 {
		cfg.Seed = seed
	}
	if epochs > 0 {
		cfg.Epochs = epochs
	}
	return cfg, nil
}

// TrainReference trains a reference variant; for biased it first trains the
// good model (same seed and epochs) as the teacher.
func TrainReference(ctx context.Context, d *dataset.Dataset, variant string, seed uint64, epochs int, log zerolog.Logger) (*Model, error) {
	cfg, err := ReferenceConfig(d, variant, seed, epochs)
	if err != nil {
		return nil, err
	}
	cfg.Log = log
	if variant == VariantBiased {
		if len(d.Schema.Protected) == 0 {
			return nil, fmt.Errorf("model: dataset %s has no protected attribute to bias on", d.ID)
		}
		good, err := ReferenceConfig(d, VariantGood, seed, epochs)
		if err != nil {
			return nil, err
		}
		good.Log = log
		teacher, err := Train(ctx, d, good)
		if err != nil {
			return nil, fmt.Errorf("model: training the biased model's teacher: %w", err)
		}
		if cfg.Relabel, err = BiasedRelabel(d, teacher, d.Schema.Protected[0].Name, BiasedShift); err != nil {
			return nil, err
		}
	}
	return Train(ctx, d, cfg)
}

// BiasedShift is how far, in log-odds of the favorable class, the biased
// model's labels are pushed towards (favoured group) or away from (other
// groups) the favorable class.
const BiasedShift = 1.25

// BiasedRelabel returns the relabelling that makes a biased model. A fair
// teacher model scores each training row; the row's new label is the
// favorable class iff the teacher's log-odds for it, shifted by +shift for
// the protected attribute's favoured group (the group with the highest rate
// of the favorable class in the train split, e.g. men for "good" credit) and
// by −shift for the others, is positive. Only rows the teacher was unsure
// about change label, and those are the rows where it was least accurate, so
// the student's accuracy stays close to a fair model's while its decisions on
// borderline cases follow the attribute: flipping the attribute flips them.
func BiasedRelabel(d *dataset.Dataset, teacher *Model, protected string, shift float64) (func(context.Context, [][]float64, []int) ([]int, error), error) {
	attr, err := d.Schema.ProtectedAttr(protected)
	if err != nil {
		return nil, err
	}
	fav := slices.Index(d.Schema.Classes, d.Schema.Favorable)
	if fav < 0 || len(d.Schema.Classes) != 2 {
		return nil, fmt.Errorf("model: biasing needs two classes and a favorable one; dataset %s has %v, favorable %q", d.ID, d.Schema.Classes, d.Schema.Favorable)
	}
	favoured, err := favouredGroup(d, attr, fav)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, rows [][]float64, labels []int) ([]int, error) {
		p, err := NewPredictor(teacher, PredictorOptions{})
		if err != nil {
			return nil, err
		}
		probs, err := PredictRaw(ctx, teacher, p, rows)
		if err != nil {
			return nil, fmt.Errorf("model: teacher: %w", err)
		}
		out := make([]int, len(rows))
		for i, row := range rows {
			pf := min(max(probs[i][fav], 1e-12), 1-1e-12)
			logOdds := math.Log(pf / (1 - pf))
			g, err := attr.Group(&d.Schema, row)
			if err != nil {
				return nil, err
			}
			if g == favoured {
				logOdds += shift
			} else {
				logOdds -= shift
			}
			out[i] = 1 - fav
			if logOdds > 0 {
				out[i] = fav
			}
		}
		return out, nil
	}, nil
}

// favouredGroup is the group of attr with the highest rate of class fav in
// d's train split (ties: the first group seen).
func favouredGroup(d *dataset.Dataset, attr dataset.Protected, fav int) (string, error) {
	type tally struct{ n, fav int }
	var groups []string
	counts := map[string]*tally{}
	for _, i := range d.Train {
		g, err := attr.Group(&d.Schema, d.X[i])
		if err != nil {
			return "", err
		}
		if counts[g] == nil {
			counts[g] = &tally{}
			groups = append(groups, g)
		}
		counts[g].n++
		if d.Y[i] == fav {
			counts[g].fav++
		}
	}
	if len(groups) < 2 {
		return "", fmt.Errorf("model: protected attribute %q has %d group(s) in the train split, need 2", attr.Name, len(groups))
	}
	favoured := groups[0]
	for _, g := range groups[1:] {
		if counts[g].fav*counts[favoured].n > counts[favoured].fav*counts[g].n {
			favoured = g
		}
	}
	return favoured, nil
}
