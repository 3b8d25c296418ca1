package scoring

import (
	"math"
	"testing"
	"time"
)

func TestSkill(t *testing.T) {
	for _, tc := range []struct {
		name              string
		quality, baseline float64
		want              float64
	}{
		// german-credit: 70% "good"; the good model's accuracy 0.76.
		{"above majority", 0.76, 0.70, 0.06 / 0.30}, // 0.2
		{"always the majority class", 0.70, 0.70, 0},
		{"below the baseline", 0.29, 0.70, 0},
		{"perfect", 1, 0.70, 1},
		{"halfway", 0.75, 0.5, 0.5},
		{"chance, 3 classes", 2.0 / 3, 1.0 / 3, 0.5},
		{"zero baseline keeps quality", 0.8, 0, 0.8},
		{"baseline 1, perfect", 1, 1, 0},
		{"baseline 1, less", 0.9, 1, 0},
		{"NaN quality", math.NaN(), 0.5, 0},
		{"quality above 1 clamps", 1.5, 0.5, 1},
	} {
		near(t, tc.name, Skill(tc.quality, tc.baseline), tc.want)
	}
}

// A constant answer's quality is the majority baseline, so it scores 0
// whatever its bias and latency.
func TestEvaluateTrivialScoresZero(t *testing.T) {
	labels := []int{1, 1, 1, 0} // majority class 1: accuracy baseline 0.75
	base, err := Baseline("majority", "accuracy", 2, labels)
	if err != nil {
		t.Fatal(err)
	}
	spec := Spec{Classes: 2, Metric: "accuracy", Baseline: base, Target: time.Second, MaxLatency: 2 * time.Second}
	b := Batch{Labels: labels, Groups: []string{"a", "a", "b", "b"}}
	r, err := Evaluate(spec, b, []int{1, 1, 1, 1}, 0)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "quality", r.Quality, 0.75)
	near(t, "skill", r.Skill, 0)
	near(t, "score", r.Score, 0)
	r, err = Evaluate(spec, b, []int{1, 1, 1, 0}, 0)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "perfect skill", r.Skill, 1)
	near(t, "perfect score", r.Score, 1)
}
