package dataset

import (
	"math/big"
	"slices"
	"testing"

	"github.com/assay-network/assay/task"
)

// TestSplitByHashVector pins §11's split with digests computed outside Go:
//
//	printf '\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x0N' | sha256sum
//
// for seed 1 and rows N = 0…9 gives (first 8 bytes, ascending):
//
//	row 9 22db33e5…  row 8 37c02559…  row 3 3ed2b061…  row 7 460e144f…
//	row 1 532deabf…  row 0 78382582…  row 4 84acc16a…  row 2 8c7654ec…
//	row 6 9df764a9…  row 5 adf21c03…
//
// With even rows in class 0 and odd rows in class 1, class 0 ranks 8, 0, 4,
// 2, 6 and class 1 ranks 9, 3, 7, 1, 5.
func TestSplitByHashVector(t *testing.T) {
	y := []int{0, 1, 0, 1, 0, 1, 0, 1, 0, 1}
	cases := []struct {
		fraction string
		val      []int
	}{
		{"0.4", []int{0, 3, 8, 9}},                   // floor(0.4·5 + 0.5) = 2 per class
		{"0.5", []int{0, 3, 4, 7, 8, 9}},             // floor(2.5 + 0.5) = 3: halves round up
		{"0.1", []int{8, 9}},                         // floor(0.5 + 0.5) = 1
		{"0.09", nil},                                // floor(0.45 + 0.5) = 0
		{"0.9", []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}}, // floor(4.5 + 0.5) = 5: all
	}
	for _, c := range cases {
		f, err := task.ParseDecimal(c.fraction)
		if err != nil {
			t.Fatal(err)
		}
		train, val, err := SplitByHash(y, 2, 1, f)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(val, c.val) {
			t.Errorf("fraction %s: validation %v, want %v", c.fraction, val, c.val)
		}
		if len(train)+len(val) != len(y) {
			t.Errorf("fraction %s: %d + %d rows", c.fraction, len(train), len(val))
		}
	}
}

func TestValidationCountExact(t *testing.T) {
	cases := []struct {
		n        int
		fraction string
		want     int
	}{
		{10, "0.35", 4},
		{5, "0.5", 3},
		{3, "0.5", 2},
		{1, "0.3", 0},
		{2, "0.25", 1},
		{7, "0.3", 2},
		{1000, "0.3", 300},
		// float64 gets these wrong: 0.009·1500 + 0.5 = 13.999… in binary
		// floating point, but exactly 14 in decimal.
		{1500, "0.009", 14},
		{750, "0.018", 14},
		{3, "0.166666666666666667", 1}, // 0.500000000000000001 + 0.5 ≥ 1
		{3, "0.166666666666666666", 0}, // 0.499999999999999998 + 0.5 < 1
	}
	for _, c := range cases {
		f, _ := task.ParseDecimal(c.fraction)
		if got := ValidationCount(c.n, f); got != c.want {
			t.Errorf("ValidationCount(%d, %s) = %d, want %d", c.n, c.fraction, got, c.want)
		}
	}
}

func TestSplitByHashRejects(t *testing.T) {
	half := big.NewRat(1, 2)
	if _, _, err := SplitByHash([]int{0, 2}, 2, 1, half); err == nil {
		t.Fatal("class out of range accepted")
	}
	if _, _, err := SplitByHash([]int{0, 1}, 2, 1, big.NewRat(1, 1)); err == nil {
		t.Fatal("fraction 1 accepted")
	}
	if _, _, err := SplitByHash([]int{0, 1}, 2, 1, nil); err == nil {
		t.Fatal("nil fraction accepted")
	}
}
