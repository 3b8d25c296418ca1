package scoring

import (
	"errors"
	"math"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

func TestSoftmax(t *testing.T) {
	e2 := math.Exp(-2) // (0.2 − 0.4)/0.1
	for _, tc := range []struct {
		name   string
		scores []float64
		temp   float64
		want   []float64
	}{
		{"one uid", []float64{0.5}, 0.1, []float64{1}},
		{"equal scores", []float64{0.3, 0.3, 0.3}, 0.05, []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}},
		{"a zero score gets 0", []float64{0.4, 0, 0.2}, 0.1, []float64{1 / (1 + e2), 0, e2 / (1 + e2)}},
		{"negative and NaN get 0", []float64{-1, math.NaN(), 0.3}, 0.1, []float64{0, 0, 1}},
		{"all zero", []float64{0, 0}, 0.1, []float64{0, 0}},
		{"no uids", nil, 0.1, []float64{}},
		{"T very large: near equal", []float64{0.4, 0.2}, 1000, []float64{1 / (1 + math.Exp(-0.0002)), math.Exp(-0.0002) / (1 + math.Exp(-0.0002))}},
		{"T very small: the best takes all", []float64{0.4, 0.2}, 1e-6, []float64{1, 0}},
		{"large scores do not overflow", []float64{1000, 999}, 1, []float64{1 / (1 + math.Exp(-1)), math.Exp(-1) / (1 + math.Exp(-1))}},
	} {
		got, err := Softmax(tc.scores, tc.temp)
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
}

func TestSoftmaxRefusesBadTemperature(t *testing.T) {
	for _, temp := range []float64{0, -0.1, math.NaN(), math.Inf(1)} {
		if _, err := Softmax([]float64{0.5}, temp); !errors.Is(err, ErrTemperature) {
			t.Errorf("T=%v: err %v, want ErrTemperature", temp, err)
		}
	}
}

func TestSoftmaxWeights(t *testing.T) {
	e2 := math.Exp(-2)
	for _, tc := range []struct {
		name   string
		scores []float64
		temp   float64
		limit  uint16
		minNZ  int
		want   []uint16
	}{
		// shares 0.8808, 0, 0.1192: the top scales to 65535, the other to e^−2·65535 = 8869.2.
		{"softmax then uint16", []float64{0.4, 0, 0.2}, 0.1, MaxWeight, 0, []uint16{MaxWeight, 0, uint16(math.Round(e2 * MaxWeight))}},
		{"min_allowed_weights fills a zero with 1", []float64{0.4, 0, 0.2}, 0.1, MaxWeight, 3, []uint16{MaxWeight, 1, 8869}},
		{"equal scores", []float64{0.7, 0.7}, 0.01, MaxWeight, 0, []uint16{MaxWeight, MaxWeight}},
		// limit 32768/65535: the best is capped there, the other (share
		// e^−80, as good as 0) takes the rest 32767/65535 as before
		// (Normalize), i.e. 65535·32767/32768 → 65533; the chain's integer
		// check (65535·65535 > 32768·(65535+65533)) steps the best to 65534.
		{"max_weight_limit caps the best", []float64{0.9, 0.1}, 0.01, 32768, 0, []uint16{65534, 65533}},
	} {
		got, err := SoftmaxWeights(tc.scores, tc.temp, tc.limit, tc.minNZ)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	if _, err := SoftmaxWeights([]float64{0, 0}, 0.1, MaxWeight, 0); !errors.Is(err, ErrNoWeights) {
		t.Errorf("no positive score: err %v, want ErrNoWeights", err)
	}
}

// Weights never rise as the score falls, a zero score gets nothing, the
// shares of the positive scores sum to 1 and the largest weight is the
// uint16 normalisation, 65535 (under a max_weight_limit, stepped down
// until the chain's integer check passes).
func TestSoftmaxWeightsProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 40).Draw(t, "n")
		scores := make([]float64, n)
		for i := range scores {
			if rapid.Bool().Draw(t, "zero") {
				continue
			}
			scores[i] = rapid.Float64Range(0, 1).Draw(t, "score")
		}
		temp := rapid.Float64Range(1e-4, 1000).Draw(t, "temperature")
		// A limit below 1 may force weight onto zero scores (Normalize,
		// unchanged by §12): half the cases have none.
		limit := uint16(MaxWeight)
		if rapid.Bool().Draw(t, "capped") {
			limit = uint16(rapid.IntRange((MaxWeight+n-1)/n, MaxWeight).Draw(t, "limit"))
		}
		shares, err := Softmax(scores, temp)
		if err != nil {
			t.Fatal(err)
		}
		var sum float64
		for _, s := range shares {
			sum += s
		}
		positive := slices.ContainsFunc(scores, func(s float64) bool { return s > 0 })
		if positive && math.Abs(sum-1) > 1e-9 {
			t.Fatalf("shares sum to %v", sum)
		}
		w, err := SoftmaxWeights(scores, temp, limit, 0)
		if !positive {
			if !errors.Is(err, ErrNoWeights) {
				t.Fatalf("no positive score: err %v", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(w) != len(scores) {
			t.Fatalf("%d weights for %d scores", len(w), len(scores))
		}
		var total uint64
		for _, x := range w {
			total += uint64(x)
		}
		if top := slices.Max(w); limit == MaxWeight && top != MaxWeight || uint64(top)*MaxWeight > uint64(limit)*total {
			t.Fatalf("largest weight %d: want 65535, or under max_weight_limit %d as the chain checks it: %v", top, limit, w)
		}
		for i := range scores {
			if limit == MaxWeight && !(scores[i] > 0) && w[i] != 0 {
				t.Fatalf("uid %d scores %v and gets %d", i, scores[i], w[i])
			}
			for j := range scores {
				if scores[i] > scores[j] && w[i] < w[j] {
					t.Fatalf("score %v gets %d < score %v's %d (T=%v limit=%d)", scores[i], w[i], scores[j], w[j], temp, limit)
				}
			}
		}
	})
}
