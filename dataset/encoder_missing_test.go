package dataset

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestEncoderMissingAsZero(t *testing.T) {
	nan := math.NaN()
	// NaN is left out of the statistics: n's mean is 2 (of 1 and 3), its
	// deviation 1.
	e, err := FitEncoder(tinySchema(), [][]float64{{1, 0, 5}, {nan, 2, 5}, {3, nan, 5}})
	if err != nil {
		t.Fatal(err)
	}
	if e.Columns[0].Mean != 2 || e.Columns[0].Scale != 1 {
		t.Fatalf("n: mean %v scale %v, want 2 and 1", e.Columns[0].Mean, e.Columns[0].Scale)
	}
	b, _ := e.MarshalBinary()
	if bytes.Contains(b, []byte("missing")) {
		t.Fatalf("an encoder without missing values writes the flag: %s (model hashes would move)", b)
	}
	dst := make([]float64, e.Width())
	if err := e.Encode([]float64{nan, 1, 7}, dst); err == nil || !strings.Contains(err.Error(), "not finite") {
		t.Fatalf("NaN without MissingAsZero: %v", err)
	}

	e.MissingAsZero = true
	for i := range dst {
		dst[i] = 9 // Encode must overwrite the missing blocks
	}
	if err := e.Encode([]float64{nan, nan, 7}, dst); err != nil {
		t.Fatal(err)
	}
	if want := []float64{0, 0, 0, 0, 2}; !slices.Equal(dst, want) {
		t.Fatalf("encoded %v, want %v (missing → zero blocks)", dst, want)
	}
	if err := e.Encode([]float64{math.Inf(1), 0, 7}, dst); err == nil {
		t.Fatal("+Inf accepted as missing")
	}
	c := e.Compile()
	raw := []float64{nan, nan, 7, 1, 2, nan}
	m := make([]float64, 2*c.Width())
	if err := c.EncodeMatrix(raw, m); err != nil {
		t.Fatal(err)
	}
	if want := []float64{0, 0, 0, 0, 2, -1, 0, 0, 1, 0}; !slices.Equal(m, want) {
		t.Fatalf("compiled %v, want %v", m, want)
	}

	b, _ = e.MarshalBinary()
	var back Encoder
	if err := back.UnmarshalBinary(b); err != nil || !back.MissingAsZero {
		t.Fatalf("round trip lost the flag: %+v %v", back, err)
	}
	// A column with no value at all still gets a usable encoding.
	e, err = FitEncoder(tinySchema(), [][]float64{{nan, 0, 1}})
	if err != nil || e.Columns[0].Mean != 0 || e.Columns[0].Scale != 1 || e.Validate() != nil {
		t.Fatalf("all-missing column: %+v %v", e.Columns[0], err)
	}
}
