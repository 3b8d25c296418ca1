package scoring

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func TestEvaluate(t *testing.T) {
	// Rows 0–3 are held-out rows (m, m, f, f); 4 and 5 are the
	// counterfactuals of rows 0 and 2.
	b := Batch{
		Labels: []int{1, 0, 1, 0, 1, 1},
		Groups: []string{"m", "m", "f", "f", "f", "m"},
		Eval:   []int{0, 1, 2, 3},
		Pairs:  [][2]int{{0, 4}, {2, 5}},
	}
	pred := []int{1, 0, 0, 0, 0, 0}
	// accuracy: rows 0,1,3 right → 3/4. DP: m 1/2, f 0/2 → 0.5.
	// EO: TPR m 1/1, f 0/1 → 1; FPR m 0/1, f 0/1 → 0 → 1.
	// flips: pair (0,4) 1≠0 flips, (2,5) 0=0 → 1/2.
	spec := Spec{Classes: 2, Favorable: 1, BiasMetric: CounterfactualFlip, BiasWeight: 0.5,
		Target: 100 * time.Millisecond, MaxLatency: 300 * time.Millisecond}
	r, err := Evaluate(spec, b, pred, 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "quality", r.Quality, 0.75)
	near(t, "dp", r.DPGap, 0.5)
	near(t, "eo", r.EOGap, 1)
	near(t, "flip", r.FlipRate, 0.5)
	near(t, "latency factor", r.LatencyFactor, 0.5) // (300−200)/(300−100)
	near(t, "score", r.Score, 0.75*(1-0.25)*0.5)    // 0.28125
	for metric, want := range map[string]float64{DemographicParity: 0.5, EqualizedOdds: 1, CounterfactualFlip: 0.5, "": 0} {
		spec.BiasMetric = metric
		r, err := Evaluate(spec, b, pred, 0)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "bias "+metric, r.Bias, want)
		near(t, "score "+metric, r.Score, 0.75*(1-0.5*want))
	}
	spec.BiasMetric = "nonsense"
	if _, err := Evaluate(spec, b, pred, 0); err == nil {
		t.Error("unknown metric accepted")
	}
}

func TestCheckOutputs(t *testing.T) {
	pred, err := CheckOutputs([][]float64{{0.2, 0.8}, {0.6, 0.4}}, 2, 2)
	if err != nil || pred[0] != 1 || pred[1] != 0 {
		t.Fatalf("pred %v err %v", pred, err)
	}
	for _, tc := range []struct {
		rows [][]float64
		want string
	}{
		{[][]float64{{0.5, 0.5}}, "1 output rows for 2 inputs"},
		{[][]float64{{1}, {1}}, "has 1 values, want 2"},
		{[][]float64{{math.NaN(), 1}, {0, 1}}, "not a probability"},
		{[][]float64{{-0.5, 1.5}, {0, 1}}, "not a probability"},
		{[][]float64{{0.5, 0.4}, {0, 1}}, "sums to"},
	} {
		if _, err := CheckOutputs(tc.rows, 2, 2); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err %v, want %q", tc.rows, err, tc.want)
		}
	}
}

// TestEvaluateMetric: Quality is the spec's metric (values of the 3-class
// case in TestTaskMetrics); with no bias term and no latency the score is
// the quality.
func TestEvaluateMetric(t *testing.T) {
	b := Batch{Labels: []int{0, 0, 0, 1, 1, 2}, Groups: []string{"a", "a", "a", "a", "a", "a"}}
	pred := []int{0, 0, 1, 1, 2, 2}
	spec := Spec{Classes: 3, Target: time.Second, MaxLatency: 2 * time.Second}
	for metric, want := range map[string]float64{
		"":                  4.0 / 6,
		"accuracy":          4.0 / 6,
		"balanced_accuracy": (2.0/3 + 1.0/2 + 1) / 3,
		"macro_f1":          (4.0/5 + 1.0/2 + 2.0/3) / 3,
	} {
		spec.Metric = metric
		r, err := Evaluate(spec, b, pred, 0)
		if err != nil {
			t.Fatalf("%q: %v", metric, err)
		}
		near(t, "quality "+metric, r.Quality, want)
		near(t, "score "+metric, r.Score, want)
	}
	spec.Metric = "auc"
	if _, err := Evaluate(spec, b, pred, 0); !errors.Is(err, ErrUnknownMetric) || !strings.Contains(err.Error(), `"auc"`) {
		t.Errorf("unknown metric: err %v", err)
	}
}

// With a majority baseline each round is measured against the constant
// answer on its own rows: on a round whose sample is 80% class 1 (the
// split's majority, at 70%), answering 1 everywhere has quality 0.8 — above
// the split's 0.7 — and still skill 0; a model right on 9 of 10 rows has
// skill (0.9 − 0.8)/(1 − 0.8) = 0.5.
func TestEvaluateRoundBaseline(t *testing.T) {
	b := Batch{Labels: []int{1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, Groups: make([]string, 10), Eval: []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}}
	spec := Spec{Classes: 2, Favorable: 1, Baseline: 0.7, RoundBaseline: true, MajorityClass: 1}
	for _, tc := range []struct {
		name                     string
		pred                     []int
		quality, baseline, skill float64
	}{
		{"constant majority", []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 0.8, 0.8, 0},
		{"one wrong", []int{1, 1, 1, 1, 1, 1, 1, 1, 0, 1}, 0.9, 0.8, 0.5},
		{"all right", []int{1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, 1, 0.8, 1},
	} {
		r, err := Evaluate(spec, b, tc.pred, 0)
		if err != nil {
			t.Fatal(err)
		}
		near(t, tc.name+" quality", r.Quality, tc.quality)
		near(t, tc.name+" baseline", r.Baseline, tc.baseline)
		near(t, tc.name+" skill", r.Skill, tc.skill)
	}
	// Without RoundBaseline (a chance baseline) the split's figure stays.
	spec.RoundBaseline = false
	r, err := Evaluate(spec, b, []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 0)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "fixed baseline", r.Baseline, 0.7)
	near(t, "fixed baseline skill", r.Skill, (0.8-0.7)/(1-0.7))
	// balanced accuracy: the constant answer is 1/classes on any sample.
	spec = Spec{Classes: 2, Metric: "balanced_accuracy", Favorable: 1, RoundBaseline: true, MajorityClass: 1}
	r, err = Evaluate(spec, b, []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 0)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "balanced constant skill", r.Skill, 0)
}
