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
// poor (quality) and above biased (bias), and give trivial nothing (its
// skill over the majority baseline is 0, DESIGN §12).
const (
	VariantGood    = "good"
	VariantPoor    = "poor"
	VariantBiased  = "biased"
	VariantTrivial = "trivial"
)

// Variants lists the reference variants.
func Variants() []string {
	return []string{VariantGood, VariantPoor, VariantBiased, VariantTrivial}
}

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
//   - trivial: a 2-unit MLP taught that every row is the train split's
//     majority class (TrainReference sets the labels), so it answers that
//     class whatever the input: the constant answer of any task.
func ReferenceConfig(d *dataset.Dataset, variant string, seed uint64, epochs int) (TrainConfig, error) {
	var cfg TrainConfig
	switch {
	case variant == VariantTrivial:
		// Constant labels need few rows and steps; the small learn rate
		// would leave the output near its random start.
		cfg = TrainConfig{Hidden: []int{2}, Epochs: 10, BatchSize: 32, LearnRate: 1e-2, MaxTrainRows: 256}
	case d.Task == dataset.TaskImage && variant == VariantGood:
		cfg = TrainConfig{Hidden: []int{128}, Epochs: 3, BatchSize: 64, LearnRate: 1e-3}
	case d.Task == dataset.TaskImage:
		return TrainConfig{}, fmt.Errorf("model: dataset %s has only the %q and %q reference variants", d.ID, VariantGood, VariantTrivial)
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
// good model (same seed and epochs) as the teacher, for trivial it relabels
// every row as the train split's majority class.
func TrainReference(ctx context.Context, d *dataset.Dataset, variant string, seed uint64, epochs int, log zerolog.Logger) (*Model, error) {
	cfg, err := ReferenceConfig(d, variant, seed, epochs)
	if err != nil {
		return nil, err
	}
	cfg.Log = log
	if variant == VariantTrivial {
		if len(d.Train) == 0 {
			return nil, fmt.Errorf("model: task %s has an empty train split", d.ID)
		}
		counts := d.ClassCounts(d.Train)
		majority := slices.Index(counts, slices.Max(counts)) // ties: the lower index
		cfg.Relabel = func(_ context.Context, _ [][]float64, labels []int) ([]int, error) {
			out := make([]int, len(labels))
			for i := range out {
				out[i] = majority
			}
			return out, nil
		}
	}
	if variant == VariantBiased {
		if d.ProtectedColumn == nil {
			return nil, fmt.Errorf("model: task %s has no protected attribute (fairness.protected) to bias on", d.ID)
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
		if cfg.Relabel, err = BiasedRelabel(d, teacher, BiasedShift); err != nil {
			return nil, err
		}
	}
	return Train(ctx, d, cfg)
}

// BiasedShift is how far, in log-odds of the target class, the biased
// model's labels are pushed towards (favoured group) or away from (other
// groups) the target class.
const BiasedShift = 0.75

// BiasedRelabel returns the relabelling that makes a biased model for any
// task with a protected column. The target class is label.positive when
// the task names one, else the class whose train-split rate differs most
// between the protected groups; the favoured group is the one with the
// highest rate of it. A fair teacher model scores each training row; the
// row's new label is the target class iff the teacher's log-odds for it,
// shifted by +shift in the favoured group and −shift in the others, is
// positive, else the teacher's most likely other class. Only rows the
// teacher was unsure about change label, and those are the rows where it
// was least accurate, so the student's accuracy stays close to a fair
// model's while its decisions on borderline cases follow the protected
// column: changing it to its counterfactual twin flips them.
func BiasedRelabel(d *dataset.Dataset, teacher *Model, shift float64) (func(context.Context, [][]float64, []int) ([]int, error), error) {
	pc := d.ProtectedColumn
	if pc == nil {
		return nil, fmt.Errorf("model: task %s has no protected attribute to bias on", d.ID)
	}
	target, favoured, err := biasTarget(d, pc)
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
			pt := min(max(probs[i][target], 1e-12), 1-1e-12)
			logOdds := math.Log(pt / (1 - pt))
			g, err := pc.Group(row)
			if err != nil {
				return nil, err
			}
			if g == favoured {
				logOdds += shift
			} else {
				logOdds -= shift
			}
			out[i] = target
			if logOdds <= 0 {
				out[i] = argmaxExcept(probs[i], target)
			}
		}
		return out, nil
	}, nil
}

// biasTarget picks the class the biased model leans on and the group it
// favours, from d's train split (ties: the lower index).
func biasTarget(d *dataset.Dataset, pc *dataset.ProtectedColumn) (target, favoured int, err error) {
	groups := len(pc.Groups)
	n := make([]int, groups)
	hits := make([][]int, groups) // hits[g][k]: train rows of group g in class k
	for g := range hits {
		hits[g] = make([]int, len(d.Schema.Classes))
	}
	for _, i := range d.Train {
		g, err := pc.Group(d.Row(i))
		if err != nil {
			return 0, 0, err
		}
		n[g]++
		hits[g][d.Y[i]]++
	}
	seen := 0
	for _, c := range n {
		if c > 0 {
			seen++
		}
	}
	if seen < 2 {
		return 0, 0, fmt.Errorf("model: protected column %q has %d group(s) in the train split, need 2", pc.Name, seen)
	}
	rate := func(g, k int) float64 {
		if n[g] == 0 {
			return 0
		}
		return float64(hits[g][k]) / float64(n[g])
	}
	target = slices.Index(d.Schema.Classes, d.Schema.Favorable)
	if target < 0 {
		best := -1.0
		for k := range d.Schema.Classes {
			lo, hi := math.Inf(1), math.Inf(-1)
			for g := range n {
				if n[g] > 0 {
					lo, hi = min(lo, rate(g, k)), max(hi, rate(g, k))
				}
			}
			if hi-lo > best {
				target, best = k, hi-lo
			}
		}
	}
	for g := range n {
		if n[g] > 0 && (n[favoured] == 0 || rate(g, target) > rate(favoured, target)) {
			favoured = g
		}
	}
	return target, favoured, nil
}

// argmaxExcept is the most likely class other than skip.
func argmaxExcept(p []float64, skip int) int {
	best := -1
	for k, v := range p {
		if k != skip && (best < 0 || v > p[best]) {
			best = k
		}
	}
	return best
}
