package dataset

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/assay-network/assay/task"
)

// maxClasses bounds a label's distinct values: more is a regression target
// or an id column named as a label by mistake.
const maxClasses = 1000

// LoadOptions limits what LoadTask keeps, for tests and quick runs: when
// positive, only the first MaxTrain training rows and MaxValidation
// validation rows (image tasks read no more than that; tabular tasks still
// read and split every row).
type LoadOptions struct {
	MaxTrain, MaxValidation int
}

// LoadTask builds a task's dataset from the spec and its files (paths by
// role, as fetch.FetchTask returns them): the schema from the file, the
// §11 split, the protected column. Nothing here knows any dataset by name.
// Every way the spec and the data disagree is a *task.FieldError naming
// the spec field.
func LoadTask(s task.Spec, paths map[string]string) (*Dataset, error) {
	return LoadOptions{}.LoadTask(s, paths)
}

// LoadTask is the package-level LoadTask with limits.
func (o LoadOptions) LoadTask(s task.Spec, paths map[string]string) (*Dataset, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	var d *Dataset
	var err error
	if s.IsImage() {
		d, err = o.loadImages(paths)
	} else {
		d, err = loadTabular(s, paths[task.RoleData])
	}
	if err != nil {
		return nil, err
	}
	d.ID, d.Task = s.Name, s.TaskType
	if d.TaskHash, err = s.Hash(); err != nil {
		return nil, err
	}
	if o.MaxTrain > 0 && len(d.Train) > o.MaxTrain {
		d.Train = d.Train[:o.MaxTrain]
	}
	if o.MaxValidation > 0 && len(d.Validation) > o.MaxValidation {
		d.Validation = d.Validation[:o.MaxValidation]
	}
	return d, nil
}

func loadTabular(s task.Spec, path string) (*Dataset, error) {
	s = s.WithDefaults()
	if path == "" {
		return nil, fmt.Errorf("dataset: no file for role %q", task.RoleData)
	}
	var t *Table
	err := readData(path, func(r io.Reader) error {
		var err error
		t, err = readTabular(s, r, path)
		return err
	})
	if err != nil {
		return nil, err
	}
	return tabularFromTable(s, t)
}

// tabularFromTable applies a (defaults-filled) spec to a read table.
func tabularFromTable(s task.Spec, t *Table) (*Dataset, error) {
	lc := t.Column(s.Label.Column)
	if lc < 0 {
		return nil, specErr("label.column", "no column %q in the data (columns: %s)", s.Label.Column, columnNames(t))
	}
	d := &Dataset{}
	d.Schema.Label = s.Label.Column
	var values []float64 // a numeric label's class values
	var err error
	if d.Schema.Classes, values, d.Y, err = labels(t, lc); err != nil {
		return nil, err
	}
	if s.Label.Positive != "" {
		if d.Schema.Favorable, err = positiveClass(s.Label.Positive, d.Schema.Classes, values); err != nil {
			return nil, err
		}
	}
	keep, err := featureColumns(s, t, lc)
	if err != nil {
		return nil, err
	}
	for _, c := range keep {
		d.Schema.Features = append(d.Schema.Features, t.Columns[c])
	}
	d.rows = make([][]float64, len(t.Rows))
	for i, r := range t.Rows {
		x := make([]float64, len(keep))
		for j, c := range keep {
			x[j] = r[c]
		}
		d.rows[i] = x
	}
	fraction, err := task.ParseDecimal(s.Split.ValidationFraction)
	if err != nil {
		return nil, specErr("split.validation_fraction", "%v", err)
	}
	if d.Train, d.Validation, err = SplitByHash(d.Y, len(d.Schema.Classes), s.Split.Seed, fraction); err != nil {
		return nil, err
	}
	if len(d.Train) == 0 || len(d.Validation) == 0 {
		return nil, specErr("split.validation_fraction", "%s of %d rows leaves %d training and %d validation rows; both need at least one",
			s.Split.ValidationFraction, len(d.Y), len(d.Train), len(d.Validation))
	}
	if s.Fairness != nil {
		if d.ProtectedColumn, err = NewProtectedColumn(s.Fairness.Protected, &d.Schema, d.rows); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// readTabular reads a data file with the spec's format and options;
// missing values are allowed (as NaN). name is for error messages.
func readTabular(s task.Spec, r io.Reader, name string) (*Table, error) {
	if s.Dataset.Format == task.FormatARFF {
		return ReadARFFWith(r, name, ReadOptions{Missing: true})
	}
	delim, _ := utf8.DecodeRuneInString(s.Dataset.CSV.Delimiter)
	return ReadCSVWith(r, name, ReadOptions{Missing: true, Delimiter: delim, NoHeader: !s.Dataset.CSV.Header})
}

// labels reads the label column: a nominal label's classes are its levels
// (header order for ARFF, sorted for CSV), a numeric label's its distinct
// values in numeric order, named in Go's shortest form ("1", "2.5").
func labels(t *Table, lc int) (classes []string, values []float64, y []int, err error) {
	col := t.Columns[lc]
	y = make([]int, len(t.Rows))
	for i, r := range t.Rows {
		if math.IsNaN(r[lc]) {
			return nil, nil, nil, specErr("label.column", "%q is missing in data row %d (line %d); every row needs a label", col.Name, i, lineOf(t, i))
		}
		if col.Kind == Numeric {
			values = append(values, r[lc])
		}
	}
	if col.Kind == Numeric {
		slices.Sort(values)
		values = slices.Compact(values)
		if len(values) > maxClasses {
			return nil, nil, nil, specErr("label.column", "%q has %d distinct values, at most %d classes allowed (a regression target?)", col.Name, len(values), maxClasses)
		}
		for _, v := range values {
			classes = append(classes, strconv.FormatFloat(v, 'f', -1, 64))
		}
	} else {
		classes = slices.Clone(col.Categories)
	}
	counts := make([]int, len(classes))
	for i, r := range t.Rows {
		if col.Kind == Numeric {
			y[i], _ = slices.BinarySearch(values, r[lc])
		} else {
			y[i] = int(r[lc])
		}
		counts[y[i]]++
	}
	observed := 0
	for _, n := range counts {
		if n > 0 {
			observed++
		}
	}
	if observed < 2 {
		only := classes[slices.IndexFunc(counts, func(n int) bool { return n > 0 })]
		return nil, nil, nil, specErr("label.column", "%q has a single class %q in the data; a classification task needs at least 2", col.Name, only)
	}
	for k, n := range counts {
		if n == 0 {
			return nil, nil, nil, specErr("label.column", "class %q of %q has no row; remove it from the header's values", classes[k], col.Name)
		}
	}
	return classes, values, y, nil
}

// positiveClass finds label.positive among the classes; for a numeric
// label "1.0" names class "1".
func positiveClass(positive string, classes []string, values []float64) (string, error) {
	if slices.Contains(classes, positive) {
		return positive, nil
	}
	if v, err := strconv.ParseFloat(positive, 64); err == nil && values != nil {
		if k, ok := slices.BinarySearch(values, v); ok {
			return classes[k], nil
		}
	}
	return "", specErr("label.positive", "%q is not a class (classes: %s)", positive, list(classes))
}

// featureColumns is every column but the label and the ignored ones, in
// file order; each must hold at least one value.
func featureColumns(s task.Spec, t *Table, lc int) ([]int, error) {
	for i, name := range s.Ignore {
		if t.Column(name) < 0 {
			return nil, specErr(fmt.Sprintf("ignore[%d]", i), "no column %q in the data (columns: %s)", name, columnNames(t))
		}
	}
	var keep []int
	for c, f := range t.Columns {
		if c == lc || slices.Contains(s.Ignore, f.Name) {
			continue
		}
		if !slices.ContainsFunc(t.Rows, func(r []float64) bool { return !math.IsNaN(r[c]) }) {
			return nil, specErr("ignore", "column %q has no value in any row; add it to ignore", f.Name)
		}
		keep = append(keep, c)
	}
	if len(keep) == 0 {
		return nil, specErr("ignore", "no feature column is left besides the label and the ignored columns")
	}
	return keep, nil
}

func columnNames(t *Table) string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return list(names)
}

// list joins names for an error message, cut at a rune boundary.
func list(names []string) string {
	const n = 200
	s := strings.Join(names, ", ")
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func lineOf(t *Table, row int) int {
	if row < len(t.Lines) {
		return t.Lines[row]
	}
	return 0
}

// DeriveEncoder is the encoder a task's spec and data determine (DESIGN
// §11), so a miner and a validator build the same one: a tabular task's
// numeric columns standardised with the training split's mean and
// deviation, nominal columns one-hot, missing values as zero blocks; an
// image task's pixels scaled by 1/255.
func DeriveEncoder(d *Dataset) (*Encoder, error) {
	if d.Task == task.TypeImage {
		return NewScaleEncoder(d.Schema, 255), nil
	}
	rows, _ := d.Rows(d.Train)
	e, err := FitEncoder(d.Schema, rows)
	if err != nil {
		return nil, err
	}
	e.MissingAsZero = true
	return e, nil
}
