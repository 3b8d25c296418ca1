package dataset

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// Dataset ids, as used in task specs and model files.
const (
	GermanCredit = "german-credit"
	CPSWages     = "cps1985-wages"
	MNIST        = "mnist"
)

// IDs lists the datasets this package knows.
func IDs() []string { return []string{GermanCredit, CPSWages, MNIST} }

// The fixed split of the tabular datasets: part of the dataset's definition,
// never a flag, so every miner and validator holds out the same rows.
const (
	tabularSplitSeed   = 0xA55A7_0001
	tabularValFraction = 0.3
)

// ErrMissing marks a dataset whose files are not in the data directory;
// `make data` fetches them.
var ErrMissing = errors.New("dataset files missing (run `make data`)")

// Files returns the paths of the files a dataset reads, relative to the data
// directory.
func Files(id string) ([]string, error) {
	switch id {
	case GermanCredit:
		return []string{"german-credit/credit-g.arff"}, nil
	case CPSWages:
		return []string{"cps1985-wages/data.csv"}, nil
	case MNIST:
		return []string{
			"mnist/train-images-idx3-ubyte.gz", "mnist/train-labels-idx1-ubyte.gz",
			"mnist/t10k-images-idx3-ubyte.gz", "mnist/t10k-labels-idx1-ubyte.gz",
		}, nil
	}
	return nil, fmt.Errorf("dataset: unknown dataset %q (known: %v)", id, IDs())
}

// Load reads dataset id from dataDir (the layout scripts/data.sh writes).
// A missing file yields an error wrapping ErrMissing.
func Load(dataDir, id string) (*Dataset, error) {
	files, err := Files(id)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if _, err := os.Stat(filepath.Join(dataDir, f)); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: %s: %w", id, filepath.Join(dataDir, f), ErrMissing)
		}
	}
	switch id {
	case GermanCredit:
		return LoadGermanCredit(filepath.Join(dataDir, files[0]))
	case CPSWages:
		return LoadCPSWages(filepath.Join(dataDir, files[0]))
	default:
		return LoadMNIST(filepath.Join(dataDir, "mnist"), 0, 0)
	}
}

// DefaultDataDir is $ASSAY_DATA_DIR, else <repo>/data for the repository
// containing the working directory, else ./data.
func DefaultDataDir() string {
	if d := os.Getenv("ASSAY_DATA_DIR"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		return "data"
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "data")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "data"
		}
		dir = parent
	}
}

func readTable(path string, read func(*bufio.Reader, string) (*Table, error)) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return read(bufio.NewReader(f), path)
}

// LoadGermanCredit reads Weka's credit-g.arff: 20 attributes, label class
// (good/bad). Protected attributes: sex (derived from personal_status), age
// (under 25 or not) and foreign_worker.
func LoadGermanCredit(path string) (*Dataset, error) {
	t, err := readTable(path, func(r *bufio.Reader, n string) (*Table, error) { return ReadARFF(r, n) })
	if err != nil {
		return nil, err
	}
	protected := []Protected{
		{Name: "sex", Feature: "personal_status", Swap: []Swap{
			{From: "male div/sep", To: "female div/dep/mar", Group: "male"},
			// The female category mixes divorced and married; its male
			// counterpart is the married one, the larger male group.
			{From: "female div/dep/mar", To: "male mar/wid", Group: "female"},
			{From: "male single", To: "female single", Group: "male"},
			{From: "male mar/wid", To: "female div/dep/mar", Group: "male"},
			{From: "female single", To: "male single", Group: "female"},
		}},
		// Age below 25 is the usual unprivileged group for this dataset; the
		// flip values are typical ages on the other side of the line.
		{Name: "age", Feature: "age", Threshold: 25, BelowGroup: "young", AboveGroup: "adult", BelowValue: 22, AboveValue: 35},
		{Name: "foreign_worker", Feature: "foreign_worker", Swap: []Swap{
			{From: "yes", To: "no", Group: "foreign"},
			{From: "no", To: "yes", Group: "local"},
		}},
	}
	return fromTable(GermanCredit, path, t, "class", "good", nil, protected)
}

// LoadCPSWages reads the CPS 1985 wages CSV: label = wage above the median
// of all rows (classes "low" ≤ median < "high"); wage itself is not a
// feature. Protected attributes: gender, race.
func LoadCPSWages(path string) (*Dataset, error) {
	t, err := readTable(path, func(r *bufio.Reader, n string) (*Table, error) { return ReadCSV(r, n) })
	if err != nil {
		return nil, err
	}
	w := t.Column("wage")
	if w < 0 || t.Columns[w].Kind != Numeric {
		return nil, fmt.Errorf("%s: no numeric column wage", path)
	}
	wages := make([]float64, len(t.Rows))
	for i, r := range t.Rows {
		wages[i] = r[w]
	}
	slices.Sort(wages)
	n := len(wages)
	median := wages[n/2]
	if n%2 == 0 {
		median = (wages[n/2-1] + wages[n/2]) / 2
	}
	labels := make([]int, len(t.Rows))
	for i, r := range t.Rows {
		if r[w] > median {
			labels[i] = 1
		}
	}
	t.Columns[w] = Feature{Name: "wage_class", Kind: Categorical, Categories: []string{"low", "high"}}
	for i, r := range t.Rows {
		r[w] = float64(labels[i])
	}
	protected := []Protected{
		{Name: "gender", Feature: "gender", Swap: []Swap{
			{From: "female", To: "male", Group: "female"},
			{From: "male", To: "female", Group: "male"},
		}},
		{Name: "race", Feature: "race", Swap: []Swap{
			{From: "hispanic", To: "white", Group: "non-white"},
			{From: "other", To: "white", Group: "non-white"},
			{From: "white", To: "other", Group: "white"},
		}},
	}
	return fromTable(CPSWages, path, t, "wage_class", "high", nil, protected)
}

// fromTable turns a table into a Dataset: the label column leaves the
// features, favorable names its hoped-for class, drop lists further columns
// to leave out, and the split is fixed.
func fromTable(id, path string, t *Table, label, favorable string, drop []string, protected []Protected) (*Dataset, error) {
	lc := t.Column(label)
	if lc < 0 {
		return nil, fmt.Errorf("%s: no label column %q", path, label)
	}
	if t.Columns[lc].Kind != Categorical {
		return nil, fmt.Errorf("%s: label column %q is not categorical", path, label)
	}
	if len(t.Rows) < 2 {
		return nil, fmt.Errorf("%s: %d rows, need at least 2", path, len(t.Rows))
	}
	d := &Dataset{ID: id, Task: TaskTabular}
	d.Schema.Label = label
	d.Schema.Classes = slices.Clone(t.Columns[lc].Categories)
	if !slices.Contains(d.Schema.Classes, favorable) {
		return nil, fmt.Errorf("%s: favorable class %q is not a value of %q", path, favorable, label)
	}
	d.Schema.Favorable = favorable
	var keep []int
	for c, f := range t.Columns {
		if c == lc || slices.Contains(drop, f.Name) {
			continue
		}
		keep = append(keep, c)
		d.Schema.Features = append(d.Schema.Features, f)
	}
	d.X = make([][]float64, len(t.Rows))
	d.Y = make([]int, len(t.Rows))
	for i, r := range t.Rows {
		x := make([]float64, len(keep))
		for j, c := range keep {
			x[j] = r[c]
		}
		d.X[i], d.Y[i] = x, int(r[lc])
	}
	for _, p := range protected {
		if err := p.Validate(&d.Schema); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	d.Schema.Protected = protected
	var err error
	d.Train, d.Validation, err = Split(d.Y, tabularSplitSeed, tabularValFraction)
	if err != nil {
		return nil, err
	}
	return d, nil
}
