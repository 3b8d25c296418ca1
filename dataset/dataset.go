// Package dataset reads the evaluation datasets of Assay's tasks (ARFF, CSV,
// IDX), fixes their train/validation split, encodes examples into model
// inputs and builds counterfactual examples for bias scoring.
//
// It is shared by the miner (training, serving) and the validator (sampling
// challenges, scoring), so both see the same rows, the same split and the same
// encoding. Everything here is deterministic: no clock, no map iteration.
package dataset

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

// Dataset is a fully loaded dataset with its fixed split.
type Dataset struct {
	ID     string
	Task   string
	Schema Schema
	// X holds one raw row per example: numeric values as read, categorical
	// values as category indexes (see Feature).
	X [][]float64
	// Y holds the class index of each example.
	Y []int
	// Train and Validation are row indexes into X/Y; disjoint, together all rows.
	Train      []int
	Validation []int

	// Set by LoadTask: the task hash of the spec the dataset was built
	// from, and its protected column (nil when the task has no fairness
	// section). Missing raw values are NaN.
	TaskHash        string
	ProtectedColumn *ProtectedColumn
}

// Rows returns the raw rows and labels at the given indexes (shared, not copied).
func (d *Dataset) Rows(idx []int) ([][]float64, []int) {
	x := make([][]float64, len(idx))
	y := make([]int, len(idx))
	for i, j := range idx {
		x[i], y[i] = d.X[j], d.Y[j]
	}
	return x, y
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
