package scoring

import (
	"math"
	"testing"
)

// TestEMAUnderFailures: each failure multiplies the average by 1 − α; the
// issue's dead miner (0.64, α = 0.1) still averages ≈ 0.275 after eight
// rounds, which is why Silent exists.
func TestEMAUnderFailures(t *testing.T) {
	for _, tc := range []struct {
		start, alpha float64
		failures     int
		want         float64
	}{
		{0.64, 0.1, 1, 0.576},
		{0.64, 0.1, 8, 0.64 * math.Pow(0.9, 8)}, // 0.2754…
		{0.64, 0.3, 8, 0.64 * math.Pow(0.7, 8)}, // 0.0369…
		{1, 0.5, 3, 0.125},
		{0.5, 1, 1, 0}, // α = 1: the last round only
	} {
		s := tc.start
		for range tc.failures {
			s = EMA(s, 0, tc.alpha, false)
		}
		if math.Abs(s-tc.want) > 1e-12 {
			t.Errorf("%.2f after %d failures at α %.1f = %.15g, want %.15g", tc.start, tc.failures, tc.alpha, s, tc.want)
		}
	}
	if s := EMA(0.64*math.Pow(0.9, 8), 0.8, 0.1, false); math.Abs(s-(0.08+0.9*0.64*math.Pow(0.9, 8))) > 1e-12 {
		t.Errorf("an answer after failures folds in normally: %v", s)
	}
}

// TestSilent walks the cases at the weights built in epoch 10: the window
// is epochs 9 and 10.
func TestSilent(t *testing.T) {
	const e = 10
	for _, tc := range []struct {
		name             string
		answered, failed int64
		want             bool
	}{
		{"failed all of epoch 9, never answered since 5", 5, 9, true},
		{"failed in 9 and in 10 so far", 3, 10, true},
		{"failed only in 10 (no query in 9)", 8, 10, true},
		{"answered in 9 after failing in 9", 9, 9, false},
		{"failed in 9, answered in 10", 10, 9, false},
		{"answered in 9, then failed in 10", 9, 10, false},
		{"last failure before the window", 2, 8, false},
		{"not queried since epoch 8 (validator down)", 8, 7, false},
		{"never failed", 9, 0, false},
		{"unknown (old state file)", 0, 0, false},
		{"never answered, failed in the window", 0, 9, true},
	} {
		if got := Silent(tc.answered, tc.failed, e); got != tc.want {
			t.Errorf("%s: Silent(%d, %d, %d) = %v, want %v", tc.name, tc.answered, tc.failed, e, got, tc.want)
		}
	}
}
