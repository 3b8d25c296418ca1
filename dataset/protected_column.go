package dataset

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"

	"github.com/assay-network/assay/task"
)

// ProtectedColumn is a task's protected attribute (DESIGN §11) resolved
// against a dataset: which feature it is, which group each row belongs to
// and what each row's counterfactual twin is. Groups are indexed in the
// order of their names (task.Protected.GroupNames), the same everywhere.
type ProtectedColumn struct {
	Name    string // the column
	Feature int    // its index in Schema.Features
	Numeric bool
	Groups  []string

	// A nominal column's levels, and their groups and twins by category
	// index (-1: none).
	levels     []string
	levelGroup []int
	levelTwin  []int
	// A numeric column's groups as [lo, hi) (±Inf when unbounded) and the
	// value each group's twins get.
	lo, hi    []float64
	groupTwin []float64
	hasTwins  bool
}

// NewProtectedColumn resolves p against the schema and checks it against
// the rows: the column is a feature of the right kind, every value a group
// names exists, every row falls in exactly one group, and every group
// holds at least one row. Errors name the spec field (*task.FieldError).
func NewProtectedColumn(p task.Protected, s *Schema, rows [][]float64) (*ProtectedColumn, error) {
	const path = "fairness.protected"
	c := s.FeatureIndex(p.Column)
	if c < 0 {
		return nil, specErr(path+".column", "no feature %q in the data (features: %s)", p.Column, featureNames(s))
	}
	f := s.Features[c]
	pc := &ProtectedColumn{Name: p.Column, Feature: c, Numeric: p.IsNumeric(), Groups: p.GroupNames(), hasTwins: len(p.Counterfactual) > 0}
	var err error
	switch {
	case pc.Numeric && f.Kind != Numeric:
		return nil, specErr(path+".groups", "column %q is nominal; group it with lists of its values", p.Column)
	case !pc.Numeric && f.Kind != Categorical:
		return nil, specErr(path+".groups", "column %q is numeric; group it with ranges {\"min\": \"..\", \"max\": \"..\"}", p.Column)
	case pc.Numeric:
		err = pc.resolveRanges(p)
	default:
		err = pc.resolveLevels(p, f)
	}
	if err != nil {
		return nil, err
	}
	counts, err := pc.Counts(rows)
	if err != nil {
		return nil, specErr(path+".groups", "%v", err)
	}
	for g, n := range counts {
		if n == 0 {
			return nil, specErr(fmt.Sprintf("%s.groups[%q]", path, pc.Groups[g]), "covers no row of the data")
		}
	}
	return pc, nil
}

func (pc *ProtectedColumn) resolveLevels(p task.Protected, f Feature) error {
	pc.levels = f.Categories
	pc.levelGroup = make([]int, len(f.Categories))
	pc.levelTwin = make([]int, len(f.Categories))
	for i := range pc.levelGroup {
		pc.levelGroup[i], pc.levelTwin[i] = -1, -1
	}
	level := func(path, v string) (int, error) {
		k := slices.Index(f.Categories, v)
		if k < 0 {
			return 0, specErr(path, "%q is not a value of column %q (values: %s)", v, f.Name, list(f.Categories))
		}
		return k, nil
	}
	for g, name := range pc.Groups {
		for i, v := range p.Groups[name].Values {
			k, err := level(fmt.Sprintf("fairness.protected.groups[%q][%d]", name, i), v)
			if err != nil {
				return err
			}
			pc.levelGroup[k] = g
		}
	}
	for _, from := range slices.Sorted(maps.Keys(p.Counterfactual)) {
		k, err := level(fmt.Sprintf("fairness.protected.counterfactual[%q]", from), from)
		if err != nil {
			return err
		}
		t, err := level(fmt.Sprintf("fairness.protected.counterfactual[%q]", from), p.Counterfactual[from])
		if err != nil {
			return err
		}
		pc.levelTwin[k] = t
	}
	return nil
}

func (pc *ProtectedColumn) resolveRanges(p task.Protected) error {
	bound := func(s string, inf float64) float64 {
		if s == "" {
			return inf
		}
		v, _ := strconv.ParseFloat(s, 64) // a task.ParseDecimal-checked decimal
		return v
	}
	for _, name := range pc.Groups {
		r := p.Groups[name].Range
		pc.lo = append(pc.lo, bound(r.Min, math.Inf(-1)))
		pc.hi = append(pc.hi, bound(r.Max, math.Inf(1)))
		pc.groupTwin = append(pc.groupTwin, bound(p.Counterfactual[name], math.NaN()))
	}
	return nil
}

// HasTwins says whether the spec gives a counterfactual map.
func (pc *ProtectedColumn) HasTwins() bool { return pc.hasTwins }

// Group returns the index of the group row belongs to.
func (pc *ProtectedColumn) Group(row []float64) (int, error) {
	if pc.Feature >= len(row) {
		return 0, fmt.Errorf("dataset: row has %d values, protected column %q is feature %d", len(row), pc.Name, pc.Feature)
	}
	v := row[pc.Feature]
	if math.IsNaN(v) {
		return 0, fmt.Errorf("protected column %q is missing; every row needs a group", pc.Name)
	}
	if pc.Numeric {
		for g := range pc.Groups {
			if v >= pc.lo[g] && v < pc.hi[g] {
				return g, nil
			}
		}
		return 0, fmt.Errorf("value %v of protected column %q is in no group's range", v, pc.Name)
	}
	k := int(v)
	if float64(k) != v || k < 0 || k >= len(pc.levelGroup) {
		return 0, fmt.Errorf("dataset: protected column %q: category index %v out of range", pc.Name, v)
	}
	if pc.levelGroup[k] < 0 {
		return 0, fmt.Errorf("value %q of protected column %q is in no group", pc.level(k), pc.Name)
	}
	return pc.levelGroup[k], nil
}

func (pc *ProtectedColumn) level(k int) string { return pc.levels[k] }

// Counts returns how many rows fall in each group; a row in no group is
// an error naming its index.
func (pc *ProtectedColumn) Counts(rows [][]float64) ([]int, error) {
	counts := make([]int, len(pc.Groups))
	for i, r := range rows {
		g, err := pc.Group(r)
		if err != nil {
			return nil, fmt.Errorf("data row %d (from 0): %w", i, err)
		}
		counts[g]++
	}
	return counts, nil
}

// Twin returns a copy of row with the protected value replaced by its
// counterfactual twin's, every other feature unchanged.
func (pc *ProtectedColumn) Twin(row []float64) ([]float64, error) {
	if !pc.hasTwins {
		return nil, fmt.Errorf("dataset: protected column %q has no counterfactual map", pc.Name)
	}
	g, err := pc.Group(row)
	if err != nil {
		return nil, err
	}
	out := slices.Clone(row)
	if pc.Numeric {
		out[pc.Feature] = pc.groupTwin[g]
		return out, nil
	}
	out[pc.Feature] = float64(pc.levelTwin[int(row[pc.Feature])])
	return out, nil
}

// Twins applies Twin to every row.
func (pc *ProtectedColumn) Twins(rows [][]float64) ([][]float64, error) {
	out := make([][]float64, len(rows))
	for i, r := range rows {
		t, err := pc.Twin(r)
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", i, err)
		}
		out[i] = t
	}
	return out, nil
}

// specErr is an error about a task field that the data contradicts.
func specErr(path, format string, args ...any) error {
	return &task.FieldError{Path: path, Msg: fmt.Sprintf(format, args...)}
}

func featureNames(s *Schema) string {
	names := make([]string, len(s.Features))
	for i, f := range s.Features {
		names[i] = f.Name
	}
	return list(names)
}
