package scoring

import (
	"fmt"
	"math"
	"time"
)

// Spec is what a subnet's task says about scoring (x/subnet TaskSpec), plus
// the validator's latency target.
type Spec struct {
	Classes    int     // number of classes a probability row must have
	Metric     string  // task metric (accuracy, balanced_accuracy, macro_f1); "" = accuracy
	Favorable  int     // class index the fairness metrics count as favorable
	BiasMetric string  // DemographicParity, EqualizedOdds or CounterfactualFlip; "" = no bias term
	BiasWeight float64 // in [0, 1]
	// Baseline is the quality a constant answer gets (Baseline, DESIGN
	// §12): the zero point of skill. 0 scores raw quality.
	Baseline float64
	// RoundBaseline, set when the task's baseline is "majority", makes each
	// round's zero point the metric of answering MajorityClass (the
	// validation split's majority class) on that round's own rows, instead
	// of Baseline. A round samples the split, and on a sample where that
	// class is commoner than in the whole split the constant answer would
	// beat Baseline and earn; measured on its own rows, answering it has
	// skill exactly 0 in every round.
	RoundBaseline bool
	MajorityClass int
	Target        time.Duration
	MaxLatency    time.Duration
}

// Batch is a challenge as the scorer sees it: one entry per request row.
type Batch struct {
	Labels []int    // true class of each row (a counterfactual row carries its original's)
	Groups []string // protected group of each row
	// Eval lists the rows the task metric and the group gaps are measured on
	// (the held-out rows as sampled, not their counterfactual twins).
	Eval []int
	// Pairs are (original, counterfactual) row indexes for the flip rate.
	Pairs [][2]int
}

// Result is one miner's score for one challenge.
type Result struct {
	Quality       float64 // the Spec's task metric on Eval
	Baseline      float64 // the zero point this round (Spec.RoundBaseline)
	Skill         float64 // Quality above Baseline (Skill)
	DPGap         float64 // demographic-parity gap on Eval
	EOGap         float64 // equalized-odds gap on Eval
	FlipRate      float64 // counterfactual flip rate on Pairs
	Bias          float64 // the Spec's metric among the three (0 without one)
	LatencyFactor float64
	Score         float64
}

// BiasOf picks the spec's bias metric from r.
func BiasOf(metric string, r Result) (float64, error) {
	switch metric {
	case DemographicParity:
		return r.DPGap, nil
	case EqualizedOdds:
		return r.EOGap, nil
	case CounterfactualFlip:
		return r.FlipRate, nil
	case "":
		return 0, nil
	}
	return 0, fmt.Errorf("scoring: unknown bias metric %q", metric)
}

// CheckOutputs checks a miner's answer has one probability row per request
// row, each of spec.Classes finite values in [0, 1] summing to 1 ± 1e-3, and
// returns the argmax class of each row. Anything else is garbage and scores 0.
func CheckOutputs(rows [][]float64, want int, classes int) ([]int, error) {
	if len(rows) != want {
		return nil, fmt.Errorf("%d output rows for %d inputs", len(rows), want)
	}
	pred := make([]int, len(rows))
	for i, r := range rows {
		if len(r) != classes {
			return nil, fmt.Errorf("output row %d has %d values, want %d classes", i, len(r), classes)
		}
		var sum float64
		best := 0
		for j, v := range r {
			if math.IsNaN(v) || v < 0 || v > 1 {
				return nil, fmt.Errorf("output row %d value %d is %v, not a probability", i, j, v)
			}
			sum += v
			if v > r[best] {
				best = j
			}
		}
		if math.Abs(sum-1) > 1e-3 {
			return nil, fmt.Errorf("output row %d sums to %v, not 1", i, sum)
		}
		pred[i] = best
	}
	return pred, nil
}

// Evaluate scores predicted classes against b under spec.
func Evaluate(spec Spec, b Batch, pred []int, latency time.Duration) (Result, error) {
	if len(pred) != len(b.Labels) || len(b.Groups) != len(b.Labels) {
		return Result{}, fmt.Errorf("scoring: %d predictions, %d labels, %d groups", len(pred), len(b.Labels), len(b.Groups))
	}
	quality, err := Quality(spec.Metric, spec.Classes, pred, b.Labels, b.Eval)
	if err != nil {
		return Result{}, err
	}
	r := Result{
		Quality:  quality,
		DPGap:    DemographicParityGap(pred, b.Groups, spec.Favorable, b.Eval),
		EOGap:    EqualizedOddsGap(pred, b.Labels, b.Groups, spec.Favorable, b.Eval),
		FlipRate: CounterfactualFlipRate(pred, b.Pairs),
	}
	if r.Bias, err = BiasOf(spec.BiasMetric, r); err != nil {
		return Result{}, err
	}
	r.LatencyFactor = LatencyFactor(latency, spec.Target, spec.MaxLatency)
	r.Baseline = spec.Baseline
	if spec.RoundBaseline {
		constant := make([]int, len(b.Labels))
		for i := range constant {
			constant[i] = spec.MajorityClass
		}
		if r.Baseline, err = Quality(spec.Metric, spec.Classes, constant, b.Labels, b.Eval); err != nil {
			return Result{}, err
		}
	}
	r.Skill = Skill(r.Quality, r.Baseline)
	r.Score = Score(r.Skill, r.Bias, spec.BiasWeight, r.LatencyFactor)
	return r, nil
}
