package scoring

import (
	"math"
	"slices"
	"testing"
)

func TestRowMatches(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want []float64
		ok        bool
	}{
		{"equal", []float64{0.3, 0.7}, []float64{0.3, 0.7}, true},
		{"within 1e-4", []float64{0.30009, 0.69991}, []float64{0.3, 0.7}, true},
		{"one probability off by 2e-4", []float64{0.3002, 0.6998}, []float64{0.3, 0.7}, false},
		{"other class", []float64{0.50004, 0.49996}, []float64{0.49996, 0.50004}, false},
		{"NaN", []float64{nan, 0.7}, []float64{0.3, 0.7}, false},
		{"other width", []float64{0.3, 0.7, 0}, []float64{0.3, 0.7}, false},
		{"empty", nil, nil, false},
	} {
		if got := RowMatches(c.got, c.want); got != c.ok {
			t.Errorf("%s: RowMatches = %v, want %v", c.name, got, c.ok)
		}
	}
}

func TestMismatched(t *testing.T) {
	for _, c := range []struct {
		bad, n int
		want   bool
	}{
		{0, 0, false}, {0, 100, false}, {2, 100, false}, {3, 100, true},
		{1, 50, false}, {2, 50, true}, {1, 10, true}, {5, 250, false}, {6, 250, true},
	} {
		if got := Mismatched(c.bad, c.n); got != c.want {
			t.Errorf("Mismatched(%d, %d) = %v, want %v", c.bad, c.n, got, c.want)
		}
	}
}

func TestReplaySample(t *testing.T) {
	if got := ReplaySample(1, 2, 5, 1); !slices.Equal(got, []int{0, 1, 2, 3, 4}) {
		t.Errorf("fraction 1: %v, want every row", got)
	}
	if got := ReplaySample(1, 2, 5, 0); got != nil {
		t.Errorf("fraction 0: %v, want none", got)
	}
	if got := ReplaySample(1, 2, 100, 0.001); len(got) != 1 {
		t.Errorf("fraction 0.001 of 100: %v, want one row", got)
	}
	a := ReplaySample(7, 1, 96, 0.25)
	if len(a) != 24 || !slices.IsSorted(a) || a[len(a)-1] >= 96 {
		t.Fatalf("fraction 0.25 of 96: %v, want 24 sorted rows < 96", a)
	}
	if b := ReplaySample(7, 1, 96, 0.25); !slices.Equal(a, b) {
		t.Errorf("same seed, another sample: %v vs %v", a, b)
	}
	if b := ReplaySample(8, 1, 96, 0.25); slices.Equal(a, b) {
		t.Errorf("another seed, the same sample %v", a)
	}
	if b := ReplaySample(7, 2, 96, 0.25); slices.Equal(a, b) {
		t.Errorf("another stream (uid), the same sample %v", a)
	}
}

func TestNearCopy(t *testing.T) {
	if got := Agreement([]int{1, 0, 1, 1}, []int{1, 0, 0, 1}); got != 0.75 {
		t.Errorf("Agreement = %v, want 0.75", got)
	}
	if got := Agreement([]int{1}, []int{1, 0}); got != 0 {
		t.Errorf("Agreement of different lengths = %v, want 0", got)
	}
	for _, c := range []struct {
		agree, q, earlier float64
		want              bool
	}{
		{1, 0.80, 0.80, true},     // identical answers, same quality
		{0.995, 0.80, 0.80, true}, // at the threshold
		{0.99, 0.80, 0.80, false}, // below the agreement threshold
		{1, 0.805, 0.80, true},    // better, but not by epsilon
		{1, 0.81, 0.80, false},    // better by epsilon: earns
		{1, 0.70, 0.80, true},     // worse
		{0.999, nan, 0.80, true},  // no quality: not better
	} {
		if got := NearCopy(c.agree, c.q, c.earlier, 0.01); got != c.want {
			t.Errorf("NearCopy(%v, %v, %v, 0.01) = %v, want %v", c.agree, c.q, c.earlier, got, c.want)
		}
	}
}

var nan = math.NaN()
