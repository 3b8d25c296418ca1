// Package dataset reads the evaluation datasets of Assay's tasks (ARFF, CSV,
// IDX), fixes their train/validation split, encodes examples into model
// inputs and builds counterfactual examples for bias scoring.
//
// It is shared by the miner (training, serving) and the validator (sampling
// challenges, scoring), so both see the same rows, the same split and the same
// encoding. Everything here is deterministic: no clock, no map iteration.
package dataset

import "fmt"

// Task types, as named in the subnet task spec (DESIGN §3).
const (
	TaskTabular = "tabular-classification"
	TaskImage   = "image-classification"
)

// Kind says how a feature's raw value is interpreted.
type Kind string

const (
	// Numeric features hold their value as is.
	Numeric Kind = "numeric"
	// Categorical features hold the index of their value in Categories.
	Categorical Kind = "categorical"
)

// Feature describes one input column.
type Feature struct {
	Name       string   `json:"name"`
	Kind       Kind     `json:"kind"`
	Categories []string `json:"categories,omitempty"`
}

// Schema is what a model for the dataset consumes and produces.
type Schema struct {
	Features []Feature `json:"features"`
	// Label is the name of the predicted column, Classes its values in class
	// index order.
	Label   string   `json:"label"`
	Classes []string `json:"classes"`
	// Favorable is the class a decision subject hopes for (the task's
	// label.positive, empty without one); demographic parity and equalized
	// odds compare its rate across groups.
	Favorable string `json:"favorable,omitempty"`
}

// FeatureIndex returns the column of the named feature, or -1.
func (s *Schema) FeatureIndex(name string) int {
	for i, f := range s.Features {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// Dataset is a fully loaded dataset with its fixed split. Its raw rows are
// read with Len, Row and Rows, or encoded straight from its storage with
// EncodeRows.
type Dataset struct {
	ID     string
	Task   string
	Schema Schema
	// Y holds the class index of each example.
	Y []int
	// Train and Validation are row indexes; disjoint, together all rows.
	Train      []int
	Validation []int

	// Set by LoadTask: the task hash of the spec the dataset was built
	// from, and its protected column (nil when the task has no fairness
	// section). Missing raw values are NaN.
	TaskHash        string
	ProtectedColumn *ProtectedColumn

	// The raw rows, in one of two stores. A tabular task's rows hold
	// numeric values as read and categorical values as category indexes
	// (see Feature). An image task keeps its pixels as the IDX bytes,
	// row-major, width per image: an eighth of float64 rows (MNIST's
	// 70,000 images are 55 MB, not 440), converted when a row is read.
	rows   [][]float64
	pixels []byte
	width  int
}

// Len is the number of examples.
func (d *Dataset) Len() int { return len(d.Y) }

// Row returns example i's raw row: a tabular task's own row (shared, not
// to be changed), an image's pixels as a new slice.
func (d *Dataset) Row(i int) []float64 {
	if d.pixels == nil {
		return d.rows[i]
	}
	return d.pixelRow(i, make([]float64, d.width))
}

// pixelRow writes image i's pixels into dst (len width) and returns it.
func (d *Dataset) pixelRow(i int, dst []float64) []float64 {
	for j, b := range d.pixels[i*d.width : (i+1)*d.width] {
		dst[j] = float64(b)
	}
	return dst
}

// Rows returns the raw rows and labels at the given indexes: a tabular
// task's rows shared, not copied; an image task's converted into one new
// backing array (len(idx) × width float64s: prefer EncodeRows when the
// rows are only to be encoded).
func (d *Dataset) Rows(idx []int) ([][]float64, []int) {
	x := make([][]float64, len(idx))
	var flat []float64
	if d.pixels != nil {
		flat = make([]float64, len(idx)*d.width)
	}
	for i, j := range idx {
		if d.pixels == nil {
			x[i] = d.rows[j]
		} else {
			x[i] = d.pixelRow(j, flat[i*d.width:(i+1)*d.width:(i+1)*d.width])
		}
	}
	return x, d.Labels(idx)
}

// Labels returns the class indexes at the given indexes.
func (d *Dataset) Labels(idx []int) []int {
	y := make([]int, len(idx))
	for i, j := range idx {
		y[i] = d.Y[j]
	}
	return y
}

// EncodeRows is e.EncodeBatch of the rows at idx, bit for bit, without
// holding them as float64 rows first: an image task's raw rows pass
// through one scratch row.
func (d *Dataset) EncodeRows(e *Encoder, idx []int) ([]float64, error) {
	if d.pixels == nil {
		rows, _ := d.Rows(idx)
		return e.EncodeBatch(rows)
	}
	w := e.Width()
	out := make([]float64, len(idx)*w)
	scratch := make([]float64, d.width)
	for i, j := range idx {
		if err := e.Encode(d.pixelRow(j, scratch), out[i*w:(i+1)*w]); err != nil {
			return nil, fmt.Errorf("row %d: %w", i, err)
		}
	}
	return out, nil
}

// ProtectedCounts counts every row's group of the protected column (nil
// without one); a row in no group is an error naming it.
func (d *Dataset) ProtectedCounts() ([]int, error) {
	if d.ProtectedColumn == nil {
		return nil, nil
	}
	return d.ProtectedColumn.Counts(d.rows)
}

// ClassCounts counts the labels at the given indexes.
func (d *Dataset) ClassCounts(idx []int) []int {
	c := make([]int, len(d.Schema.Classes))
	for _, j := range idx {
		c[d.Y[j]]++
	}
	return c
}

// MajorityRate is the accuracy of always answering the most frequent class
// of the given rows: the baseline any useful model must beat.
func (d *Dataset) MajorityRate(idx []int) float64 {
	if len(idx) == 0 {
		return 0
	}
	best := 0
	for _, c := range d.ClassCounts(idx) {
		best = max(best, c)
	}
	return float64(best) / float64(len(idx))
}
