package scoring

import (
	"errors"
	"math"
	"testing"
	"time"

	"pgregory.net/rapid"
)

const eps = 1e-12

func near(t *testing.T, name string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > eps {
		t.Errorf("%s = %.15g, want %.15g", name, got, want)
	}
}

func TestAccuracy(t *testing.T) {
	for _, tc := range []struct {
		name         string
		pred, labels []int
		rows         []int
		want         float64
	}{
		{"all rows, 3 of 4 right", []int{1, 0, 1, 1}, []int{1, 0, 0, 1}, nil, 3.0 / 4},
		{"subset: rows 2,3 → 1 of 2", []int{1, 0, 1, 1}, []int{1, 0, 0, 1}, []int{2, 3}, 1.0 / 2},
		{"empty subset", []int{1}, []int{1}, []int{}, 0},
		{"no rows", nil, nil, nil, 0},
	} {
		near(t, tc.name, Accuracy(tc.pred, tc.labels, tc.rows), tc.want)
	}
}

func TestDemographicParityGap(t *testing.T) {
	m, f := "m", "f"
	for _, tc := range []struct {
		name   string
		pred   []int
		groups []string
		rows   []int
		want   float64
	}{
		// m: favorable 2 of 3 = 0.6667; f: 1 of 4 = 0.25 → gap 5/12.
		{"two groups", []int{1, 1, 0, 1, 0, 0, 0}, []string{m, m, m, f, f, f, f}, nil, 2.0/3 - 1.0/4},
		// m 1/2, f 1/2 → 0.
		{"equal rates", []int{1, 0, 1, 0}, []string{m, m, f, f}, nil, 0},
		// one group only → nothing to compare.
		{"one group", []int{1, 0}, []string{m, m}, nil, 0},
		// three groups: a 1/1, b 0/2, c 1/2 → 1 − 0.
		{"three groups", []int{1, 0, 0, 1, 0}, []string{"a", "b", "b", "c", "c"}, nil, 1},
		// subset rows 0,3: m 1/1, f 1/1 → 0.
		{"subset", []int{1, 1, 0, 1}, []string{m, m, f, f}, []int{0, 3}, 0},
	} {
		near(t, tc.name, DemographicParityGap(tc.pred, tc.groups, 1, tc.rows), tc.want)
	}
}

func TestEqualizedOddsGap(t *testing.T) {
	m, f := "m", "f"
	for _, tc := range []struct {
		name         string
		pred, labels []int
		groups       []string
		want         float64
	}{
		// Positives (y=1): m rows 0,1 → ŷ=1,1 → TPR_m 1; f rows 4,5 → ŷ=1,0 → TPR_f 0.5. TPR gap 0.5.
		// Negatives (y=0): m rows 2,3 → ŷ=1,0 → FPR_m 0.5; f rows 6,7 → ŷ=0,0 → FPR_f 0. FPR gap 0.5.
		{"both gaps 0.5", []int{1, 1, 1, 0, 1, 0, 0, 0}, []int{1, 1, 0, 0, 1, 1, 0, 0}, []string{m, m, m, m, f, f, f, f}, 0.5},
		// TPR: m 1/1, f 1/1 → 0. FPR: m 1/1, f 0/3 → 1. max = 1.
		{"fpr dominates", []int{1, 1, 1, 0, 0, 0}, []int{1, 0, 1, 0, 0, 0}, []string{m, m, f, f, f, f}, 1},
		// f has no positives: TPR gap compares one group only → 0; FPR m 0/1, f 1/2 → 0.5.
		{"group missing a class", []int{1, 0, 1, 0}, []int{1, 0, 0, 0}, []string{m, m, f, f}, 0.5},
		{"same behaviour", []int{1, 0, 1, 0}, []int{1, 0, 1, 0}, []string{m, m, f, f}, 0},
	} {
		near(t, tc.name, EqualizedOddsGap(tc.pred, tc.labels, tc.groups, 1, nil), tc.want)
	}
}

func TestCounterfactualFlipRate(t *testing.T) {
	pred := []int{1, 0, 1, 1, 0, 0}
	near(t, "1 of 3 pairs flips", CounterfactualFlipRate(pred, [][2]int{{0, 2}, {1, 3}, {4, 5}}), 1.0/3)
	near(t, "no pairs", CounterfactualFlipRate(pred, nil), 0)
	near(t, "all flip", CounterfactualFlipRate(pred, [][2]int{{0, 1}, {3, 4}}), 1)
}

func TestLatencyFactor(t *testing.T) {
	ms := time.Millisecond
	for _, tc := range []struct {
		lat, target, max time.Duration
		want             float64
	}{
		{100 * ms, 500 * ms, 2000 * ms, 1},
		{500 * ms, 500 * ms, 2000 * ms, 1},
		{1250 * ms, 500 * ms, 2000 * ms, 0.5}, // (2000−1250)/(2000−500)
		{1700 * ms, 500 * ms, 2000 * ms, 0.2}, // 300/1500
		{2000 * ms, 500 * ms, 2000 * ms, 0},
		{9000 * ms, 500 * ms, 2000 * ms, 0},
		{600 * ms, 700 * ms, 500 * ms, 0}, // max below target: a step at max
	} {
		near(t, tc.lat.String(), LatencyFactor(tc.lat, tc.target, tc.max), tc.want)
	}
}

func TestScore(t *testing.T) {
	near(t, "design example", Score(0.8, 0.3, 0.5, 1), 0.8*(1-0.15)) // 0.68
	near(t, "latency halves", Score(0.8, 0.3, 0.5, 0.5), 0.34)       // 0.68/2
	near(t, "full bias, full weight", Score(0.9, 1, 1, 1), 0)        // 0.9·0
	near(t, "out of range clamped", Score(1.5, -1, 2, 1), 1)         // 1·(1−1·0)·1
	near(t, "NaN quality", Score(math.NaN(), 0, 0, 1), 0)            // failure
	near(t, "no bias weight", Score(0.7, 0.9, 0, 1), 0.7)            // bias ignored
}

func TestEMA(t *testing.T) {
	near(t, "first", EMA(0, 0.6, 0.1, true), 0.6)
	near(t, "step", EMA(0.6, 0, 0.1, false), 0.54)   // 0.1·0 + 0.9·0.6
	near(t, "step up", EMA(0.5, 1, 0.2, false), 0.6) // 0.2 + 0.4
}

func TestNormalize(t *testing.T) {
	for _, tc := range []struct {
		name   string
		scores []float64
		limit  uint16
		want   []float64
	}{
		{"no limit", []float64{3, 1, 0}, 65535, []float64{0.75, 0.25, 0}},
		// cap 0.5 (32767.5/65535 ≈ 0.49999): 4,1,1 → 0.6667 capped; 0.5 left split 1:1.
		{"one capped", []float64{4, 1, 1}, 32768, []float64{32768.0 / 65535, (1 - 32768.0/65535) / 2, (1 - 32768.0/65535) / 2}},
		// cap 0.4 (26214/65535): 6,3,1 → 0.6 capped; rest 0.6 by 3:1 → 0.45 > cap → capped; 0.2 to the last.
		{"cascade", []float64{6, 3, 1}, 26214, []float64{26214.0 / 65535, 26214.0 / 65535, 1 - 2*26214.0/65535}},
		// cap 0.5, one positive: it gets 0.5, the zeros share the rest.
		{"zeros fill", []float64{5, 0, 0}, 32768, []float64{32768.0 / 65535, (1 - 32768.0/65535) / 2, (1 - 32768.0/65535) / 2}},
		{"negatives and NaN are zero", []float64{-1, math.NaN(), 2}, 65535, []float64{0, 0, 1}},
	} {
		got, err := Normalize(tc.scores, tc.limit)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(got) != len(tc.want) {
			t.Fatalf("%s: %d shares, want %d", tc.name, len(got), len(tc.want))
		}
		for i := range got {
			near(t, tc.name, got[i], tc.want[i])
		}
	}
	if _, err := Normalize([]float64{0, 0}, 65535); !errors.Is(err, ErrNoWeights) {
		t.Errorf("all zero: %v, want ErrNoWeights", err)
	}
	if _, err := Normalize([]float64{1, 1}, 30000); err == nil {
		t.Error("2 entries under a 0.46 cap cannot sum to 1: want an error")
	}
}

func TestWeights(t *testing.T) {
	for _, tc := range []struct {
		name   string
		scores []float64
		limit  uint16
		min    int
		want   []uint16
	}{
		// 0.75/0.25 → max 65535, other 65535/3 = 21845.
		{"scale to max", []float64{3, 1, 0}, 65535, 1, []uint16{65535, 21845, 0}},
		// equal scores → all 65535.
		{"equal", []float64{2, 2}, 65535, 1, []uint16{65535, 65535}},
		// min_allowed_weights 2: the zero entry gets 1.
		{"min nonzero", []float64{1, 0, 0}, 65535, 2, []uint16{65535, 1, 0}},
	} {
		got, err := Weights(tc.scores, tc.limit, tc.min)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(got) != len(tc.want) {
			t.Fatalf("%s: %d weights, want %d", tc.name, len(got), len(tc.want))
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: weights %v, want %v", tc.name, got, tc.want)
				break
			}
		}
	}
	// With a cap the chain's integer rule w·65535 ≤ limit·Σw must hold exactly.
	w, err := Weights([]float64{4, 1, 1}, 32768, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(w) != 3 {
		t.Fatalf("%d weights for 3 scores", len(w))
	}
	sum := uint64(w[0]) + uint64(w[1]) + uint64(w[2])
	for i := range w {
		if uint64(w[i])*65535 > 32768*sum {
			t.Errorf("weights %v: entry %d over the limit", w, i)
		}
	}
}

// TestWeightsProperties: for any scores with a positive entry and any
// feasible limit, the weights pass the chain's checks and keep the order of
// the scores among uncapped entries.
func TestWeightsProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 64).Draw(t, "n")
		scores := rapid.SliceOfN(rapid.Float64Range(0, 1), n, n).Draw(t, "scores")
		lo := (65535 + n - 1) / n // smallest limit with n·limit ≥ 65535
		limit := uint16(rapid.IntRange(lo, 65535).Draw(t, "limit"))
		w, err := Weights(scores, limit, 1)
		pos := false
		for _, s := range scores {
			pos = pos || s > 0
		}
		if !pos {
			if !errors.Is(err, ErrNoWeights) {
				t.Fatalf("all-zero scores: err %v", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(w) != n {
			t.Fatalf("%d weights for %d scores", len(w), n)
		}
		var sum uint64
		for _, v := range w {
			sum += uint64(v)
		}
		if sum == 0 {
			t.Fatal("no weight")
		}
		for i, v := range w {
			if uint64(v)*65535 > uint64(limit)*sum {
				t.Fatalf("w[%d]=%d over limit %d (sum %d)", i, v, limit, sum)
			}
		}
		f, _ := Normalize(scores, limit)
		var fs float64
		for i := range f {
			fs += f[i]
			for j := range f {
				if scores[i] > scores[j] && f[i] < f[j]-1e-9 {
					t.Fatalf("order broken: s[%d]=%v > s[%d]=%v but f %v < %v", i, scores[i], j, scores[j], f[i], f[j])
				}
			}
		}
		if math.Abs(fs-1) > 1e-9 {
			t.Fatalf("fractions sum to %v", fs)
		}
	})
}

func TestScoreProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		q := rapid.Float64Range(0, 1).Draw(t, "q")
		b := rapid.Float64Range(0, 1).Draw(t, "b")
		w := rapid.Float64Range(0, 1).Draw(t, "w")
		l := rapid.Float64Range(0, 1).Draw(t, "l")
		s := Score(q, b, w, l)
		if s < 0 || s > q+1e-15 {
			t.Fatalf("score %v outside [0, quality %v]", s, q)
		}
		if b2 := rapid.Float64Range(b, 1).Draw(t, "b2"); Score(q, b2, w, l) > s+1e-15 {
			t.Fatalf("more bias scored higher")
		}
	})
}
