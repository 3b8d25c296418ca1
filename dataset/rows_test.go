package dataset

import (
	"math"
	"slices"
	"testing"

	"github.com/assay-network/assay/task"
)

// TestRowsFromEitherStore: an image task's rows read from its byte store
// are the float64 pixels, Rows copies them (a tabular task's are shared),
// and EncodeRows gives EncodeBatch's matrix bit for bit in both stores.
func TestRowsFromEitherStore(t *testing.T) {
	s, paths := imageTask(t, []uint32{4, 2, 3}, []uint32{2, 2, 3}, []byte{7, 0, 3, 7}, []byte{3, 0})
	img, err := LoadTask(s, paths)
	if err != nil {
		t.Fatal(err)
	}
	csvPath := writeData(t, "s.csv", syntheticCSV())
	tab, err := LoadTask(specFor(t, csvPath, "csv", nil), map[string]string{task.RoleData: csvPath})
	if err != nil {
		t.Fatal(err)
	}

	// Image i's pixel j is byte(7·(6i+j)) in imageTask's files, the test
	// images numbering on from 0 after the train ones.
	pixel := func(i, j int) float64 {
		if i >= 4 {
			i -= 4
		}
		return float64(byte(7 * (6*i + j)))
	}
	idx := []int{5, 0, 3, 3}
	rows, labels := img.Rows(idx)
	for k, i := range idx {
		for j := range 6 {
			if rows[k][j] != pixel(i, j) || img.Row(i)[j] != pixel(i, j) {
				t.Fatalf("image %d pixel %d: Rows %v, Row %v, want %v", i, j, rows[k][j], img.Row(i)[j], pixel(i, j))
			}
		}
		if labels[k] != img.Y[i] {
			t.Fatalf("label %d: %d, want %d", i, labels[k], img.Y[i])
		}
	}
	rows[0][0] = -1
	if img.Row(5)[0] == -1 || len(rows[2]) != 6 || cap(rows[2]) != 6 {
		t.Fatalf("image rows must be copies of their own length: %v", rows)
	}
	if !slices.Equal(img.Labels(idx), labels) {
		t.Fatalf("Labels %v, Rows' labels %v", img.Labels(idx), labels)
	}

	trows, _ := tab.Rows([]int{2})
	if &trows[0][0] != &tab.Row(2)[0] {
		t.Fatal("a tabular row must be shared")
	}

	for _, d := range []*Dataset{img, tab} {
		e, err := DeriveEncoder(d)
		if err != nil {
			t.Fatal(err)
		}
		idx := append(slices.Clone(d.Validation), d.Train...)
		raw, _ := d.Rows(idx)
		want, err := e.EncodeBatch(raw)
		if err != nil {
			t.Fatal(err)
		}
		got, err := d.EncodeRows(e, idx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d values, want %d", d.ID, len(got), len(want))
		}
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("%s: value %d = %v, EncodeBatch's %v", d.ID, i, got[i], want[i])
			}
		}
	}

	// An encoder for other rows is refused naming the row, as EncodeBatch does.
	narrow := NewScaleEncoder(Schema{Features: img.Schema.Features[:5]}, 255)
	if _, err := img.EncodeRows(narrow, []int{1}); err == nil || err.Error() != "row 0: dataset: row has 6 values, want 5" {
		t.Fatalf("EncodeRows with a 5-column encoder: %v", err)
	}
}
