package dataset

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/assay-network/assay/task"
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
	d := cpsTestdata(t)
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

// The compiled encoder's cached width is the computed one, and it encodes
// every row (and refuses every bad one) exactly as Encoder.Encode does.
func TestCompiledEncoder(t *testing.T) {
	d := cpsTestdata(t)
	rows, _ := d.Rows(d.Train)
	fitted, err := FitEncoder(d.Schema, rows)
	if err != nil {
		t.Fatal(err)
	}
	tiny, err := FitEncoder(tinySchema(), [][]float64{{1, 0, 5}, {3, 2, 5}})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []*Encoder{fitted, tiny, NewScaleEncoder(tinySchema(), 255)} {
		c := e.Compile()
		if c.Width() != e.Width() || c.Columns() != len(e.Columns) {
			t.Fatalf("compiled width %d / columns %d, encoder %d / %d", c.Width(), c.Columns(), e.Width(), len(e.Columns))
		}
		var in [][]float64
		if e == fitted {
			in = rows
		} else {
			in = [][]float64{{4, 1, 7}, {-2.5, 2, 0}, {1e300, 0, -1e-300}}
		}
		var flat []float64
		for _, r := range in {
			flat = append(flat, r...)
		}
		want, err := e.EncodeBatch(in)
		if err != nil {
			t.Fatal(err)
		}
		got := make([]float64, len(want))
		for i := range got {
			got[i] = math.NaN() // every output value must be written
		}
		if err := c.EncodeMatrix(flat, got); err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("value %d: compiled %v, encoder %v", i, got[i], want[i])
			}
		}
		one := make([]float64, c.Width())
		if err := c.Encode(in[0], one); err != nil || !slices.Equal(one, want[:c.Width()]) {
			t.Fatalf("Encode: %v %v, want %v", err, one, want[:c.Width()])
		}
	}
	// Errors: the same messages as Encode / EncodeBatch.
	c := tiny.Compile()
	got := make([]float64, c.Width())
	for _, bad := range [][]float64{{1, 3, 0}, {1, -1, 0}, {1, 0.5, 0}, {math.NaN(), 0, 0}, {math.Inf(-1), 0, 0}, {1, math.Inf(1), 0}, {1, 0}, {1, 0, 0, 0}} {
		we, ge := tiny.Encode(bad, got), c.Encode(bad, got)
		if we == nil || ge == nil || we.Error() != ge.Error() {
			t.Errorf("row %v: compiled error %v, encoder %v", bad, ge, we)
		}
	}
	if err := c.Encode([]float64{1, 0, 5}, make([]float64, 4)); err == nil {
		t.Error("short destination accepted")
	}
	_, we := tiny.EncodeBatch([][]float64{{1, 0, 5}, {1, 9, 5}})
	ge := c.EncodeMatrix([]float64{1, 0, 5, 1, 9, 5}, make([]float64, 2*c.Width()))
	if we == nil || ge == nil || we.Error() != ge.Error() {
		t.Fatalf("matrix error %v, batch error %v", ge, we)
	}
	if err := c.EncodeMatrix([]float64{1, 0, 5, 1}, make([]float64, 2*c.Width())); err == nil {
		t.Error("ragged matrix accepted")
	}
	if err := c.EncodeMatrix([]float64{1, 0, 5}, make([]float64, 2*c.Width())); err == nil {
		t.Error("wrong destination accepted")
	}
	// A snapshot: changing the encoder afterwards does not change it.
	tiny.Columns[1].Categories = 7
	if c.Width() != 5 || tiny.Width() != 9 {
		t.Fatalf("widths after change: compiled %d, encoder %d", c.Width(), tiny.Width())
	}
}

// cpsTestdata is the built-in cps1985-wages task on the committed copy of
// its file.
func cpsTestdata(t *testing.T) *Dataset {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(builtinDir, "cps1985-wages.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := task.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	d, err := LoadTask(s, map[string]string{task.RoleData: "testdata/cps1985-wages/data.csv"})
	if err != nil {
		t.Fatal(err)
	}
	return d
}
