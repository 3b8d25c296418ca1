package dataset

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"
)

func tinySchema() Schema {
	return Schema{
		Features: []Feature{
			{Name: "n", Kind: Numeric},
			{Name: "c", Kind: Categorical, Categories: []string{"a", "b", "c"}},
			{Name: "k", Kind: Numeric},
		},
		Label: "y", Classes: []string{"no", "yes"},
	}
}

func TestEncoder(t *testing.T) {
	rows := [][]float64{{1, 0, 5}, {3, 2, 5}}
	e, err := FitEncoder(tinySchema(), rows)
	if err != nil {
		t.Fatal(err)
	}
	if e.Width() != 5 {
		t.Fatalf("width %d, want 5 (1 + 3 one-hot + 1)", e.Width())
	}
	// n: mean 2, std 1; k is constant, so scale 1.
	got := make([]float64, 5)
	if err := e.Encode([]float64{4, 1, 7}, got); err != nil {
		t.Fatal(err)
	}
	if want := []float64{2, 0, 1, 0, 2}; !slices.Equal(got, want) {
		t.Fatalf("encoded %v, want %v", got, want)
	}
	for _, bad := range [][]float64{{1, 3, 0}, {1, -1, 0}, {1, 0.5, 0}, {math.NaN(), 0, 0}, {1, 0}} {
		if err := e.Encode(bad, got); err == nil {
			t.Errorf("row %v accepted", bad)
		}
	}
	if _, err := e.EncodeBatch([][]float64{{1, 0, 5}, {1, 9, 5}}); err == nil || !strings.Contains(err.Error(), "row 1: dataset: feature 1 (c)") {
		t.Fatalf("batch error %v", err)
	}
}

func TestEncoderRoundTrip(t *testing.T) {
	d, err := LoadCPSWages("testdata/cps1985-wages/data.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := d.Rows(d.Train)
	e, err := FitEncoder(d.Schema, rows)
	if err != nil {
		t.Fatal(err)
	}
	b1, err := e.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var e2 Encoder
	if err := e2.UnmarshalBinary(b1); err != nil {
		t.Fatal(err)
	}
	b2, _ := e2.MarshalBinary()
	if !bytes.Equal(b1, b2) {
		t.Fatal("encoder bytes changed across a round trip")
	}
	vrows, _ := d.Rows(d.Validation)
	x1, err := e.EncodeBatch(vrows)
	if err != nil {
		t.Fatal(err)
	}
	x2, _ := e2.EncodeBatch(vrows)
	if !slices.Equal(x1, x2) {
		t.Fatal("decoded encoder encodes differently")
	}
	if err := e2.UnmarshalBinary([]byte(`{"columns":[{"name":"x","kind":"numeric","scale":0}]}`)); err == nil {
		t.Fatal("zero scale accepted")
	}
}
