package dataset

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/assay-network/assay/task"
)

// writeData writes a data file and returns its path.
func writeData(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// specFor builds a tabular task for the file at path: label "tier", the
// protected column "age" in three ranges, counterfactual_flip. mutate
// edits the JSON form before it is parsed.
func specFor(t testing.TB, path, format string, mutate func(m map[string]any)) task.Spec {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	m := map[string]any{
		"name": "synthetic", "task_type": task.TypeTabular,
		"dataset": map[string]any{"format": format, "files": []any{map[string]any{
			"role": "data", "sha256": hex.EncodeToString(sum[:]), "size_bytes": len(b), "urls": []any{"file://" + path}}}},
		"label":  map[string]any{"column": "tier"},
		"ignore": []any{"id"},
		"split":  map[string]any{"seed": 3, "validation_fraction": "0.25"},
		"metric": "macro_f1",
		"fairness": map[string]any{
			"protected": map[string]any{
				"column": "age",
				"groups": map[string]any{"young": map[string]any{"max": "25"}, "mid": map[string]any{"min": "25", "max": "50"},
					"old": map[string]any{"min": "50"}},
				"counterfactual": map[string]any{"young": "40", "mid": "60", "old": "20"},
			},
			"bias_metric": "counterfactual_flip", "bias_weight": "0.5",
		},
		"reward":         map[string]any{"baseline": "majority", "temperature": "0.05"},
		"max_latency_ms": 1000,
	}
	if mutate != nil {
		mutate(m)
	}
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	s, err := task.Parse(raw)
	if err != nil {
		t.Fatalf("spec: %v", err)
	}
	return s
}

func protectedOf(m map[string]any) map[string]any {
	return m["fairness"].(map[string]any)["protected"].(map[string]any)
}

// syntheticCSV has 60 rows: an id (ignored), a numeric protected age
// spanning three ranges, a score, a city with a few missing values and a
// three-class label "tier" that depends on score.
func syntheticCSV() string {
	var b strings.Builder
	b.WriteString("id,age,score,city,tier\n")
	cities := []string{"oslo", "lima", "pune", ""}
	for i := range 60 {
		tier := []string{"low", "mid", "high"}[i%3]
		fmt.Fprintf(&b, "r%d,%d,%d.5,%s,%s\n", i, 18+i, i%3*10+i%7, cities[i%4], tier)
	}
	return b.String()
}

func TestLoadTaskMultiClassNumericProtected(t *testing.T) {
	path := writeData(t, "s.csv", syntheticCSV())
	s := specFor(t, path, "csv", nil)
	d, err := LoadTask(s, map[string]string{task.RoleData: path})
	if err != nil {
		t.Fatal(err)
	}
	if h, _ := s.Hash(); d.TaskHash != h || d.ID != "synthetic" || d.Task != task.TypeTabular {
		t.Fatalf("identity %q %q %q", d.TaskHash, d.ID, d.Task)
	}
	if got := strings.Join(d.Schema.Classes, ","); got != "high,low,mid" {
		t.Fatalf("classes %s, want sorted CSV levels", got)
	}
	var names []string
	for _, f := range d.Schema.Features {
		names = append(names, f.Name)
	}
	if strings.Join(names, ",") != "age,score,city" {
		t.Fatalf("features %v: want file order without label and ignore", names)
	}
	if d.Len() != 60 || len(d.Train)+len(d.Validation) != 60 {
		t.Fatalf("%d rows, split %d/%d", d.Len(), len(d.Train), len(d.Validation))
	}
	for c, n := range d.ClassCounts(d.Validation) {
		if n != 5 { // floor(0.25·20 + 0.5) per class
			t.Fatalf("class %d has %d validation rows, want 5", c, n)
		}
	}
	if !math.IsNaN(d.Row(3)[2]) {
		t.Fatalf("row 3 city %v, want NaN (missing)", d.Row(3)[2])
	}

	pc := d.ProtectedColumn
	if pc == nil || !pc.Numeric || strings.Join(pc.Groups, ",") != "mid,old,young" || pc.Feature != 0 {
		t.Fatalf("protected %+v", pc)
	}
	counts, err := pc.Counts(d.rows)
	if err != nil || !slices.Equal(counts, []int{25, 28, 7}) { // ages 18…77: <25: 7, [25,50): 25, ≥50: 28
		t.Fatalf("group counts %v %v", counts, err)
	}
	twins, err := pc.Twins(d.rows)
	if err != nil {
		t.Fatal(err)
	}
	for i, tw := range twins {
		g, _ := pc.Group(d.Row(i))
		tg, _ := pc.Group(tw)
		if g == tg || tw[0] != []float64{60, 20, 40}[g] || tw[1] != d.Row(i)[1] || !sameFloat(tw[2], d.Row(i)[2]) {
			t.Fatalf("row %d %v: twin %v", i, d.Row(i), tw)
		}
	}

	e, err := DeriveEncoder(d)
	if err != nil {
		t.Fatal(err)
	}
	if !e.MissingAsZero || e.Width() != 1+1+3 {
		t.Fatalf("encoder %+v", e)
	}
	row := []float64{math.NaN(), 3, math.NaN()}
	dst := make([]float64, e.Width())
	if err := e.Encode(row, dst); err != nil || slices.ContainsFunc(dst, func(v float64) bool { return v != 0 && v != (3-e.Columns[1].Mean)/e.Columns[1].Scale }) || dst[0] != 0 {
		t.Fatalf("missing values encode to %v, %v; want zero blocks", dst, err)
	}
	cdst := make([]float64, e.Width())
	if err := e.Compile().Encode(row, cdst); err != nil || !slices.Equal(dst, cdst) {
		t.Fatalf("compiled %v vs %v (%v)", cdst, dst, err)
	}
}

func sameFloat(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

func TestLoadTaskARFFNumericLabelNominalProtected(t *testing.T) {
	arff := `@relation r
@attribute sex {f, m, x}
@attribute income numeric
@attribute tier {0, 1}
@attribute approved numeric
@data
f,10,0,0
m,20,1,1
f,?,1,1
m,40,0,0
f,50,1,1
m,60,0,0
`
	path := writeData(t, "n.arff", arff)
	s := specFor(t, path, "arff", func(m map[string]any) {
		m["label"] = map[string]any{"column": "approved", "positive": "1.0"}
		m["ignore"] = []any{}
		m["fairness"].(map[string]any)["bias_metric"] = "demographic_parity"
		p := protectedOf(m)
		p["column"] = "sex"
		// x is a declared level no row has: it need not be grouped.
		p["groups"] = map[string]any{"women": []any{"f"}, "men": []any{"m"}}
		p["counterfactual"] = map[string]any{"f": "m", "m": "f"}
	})
	d, err := LoadTask(s, map[string]string{task.RoleData: path})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(d.Schema.Classes, ",") != "0,1" || d.Schema.Favorable != "1" || !slices.Equal(d.Y, []int{0, 1, 1, 0, 1, 0}) {
		t.Fatalf("classes %v favorable %q y %v", d.Schema.Classes, d.Schema.Favorable, d.Y)
	}
	if len(d.Schema.Features) != 3 || d.Schema.Features[2].Name != "tier" {
		t.Fatalf("features %+v", d.Schema.Features)
	}
	tw, err := d.ProtectedColumn.Twin(d.Row(0))
	if err != nil || tw[0] != 1 || d.Row(0)[0] != 0 {
		t.Fatalf("twin of %v = %v, %v", d.Row(0), tw, err)
	}
}

func TestLoadTaskRejects(t *testing.T) {
	good := writeData(t, "s.csv", syntheticCSV())
	csvWith := func(content string) string { return writeData(t, "x.csv", content) }
	type tc struct {
		name   string
		path   string
		format string
		mutate func(m map[string]any)
		want   string
	}
	setProtected := func(k string, v any) func(m map[string]any) {
		return func(m map[string]any) { protectedOf(m)[k] = v }
	}
	nominalCity := func(groups, twins map[string]any) func(m map[string]any) {
		return func(m map[string]any) {
			p := protectedOf(m)
			p["column"], p["groups"], p["counterfactual"] = "city", groups, twins
		}
	}
	cases := []tc{
		{"label column absent", good, "csv", func(m map[string]any) { m["label"] = map[string]any{"column": "grade"} }, `label.column: no column "grade" in the data (columns: id, age, score, city, tier)`},
		{"single class", csvWith("id,age,tier\n1,20,a\n2,30,a\n3,60,a\n"), "csv", nil, `label.column: "tier" has a single class "a" in the data`},
		{"label missing in a row", csvWith("id,age,tier\n1,20,a\n2,30,\n3,60,b\n"), "csv", nil, `label.column: "tier" is missing in data row 1 (line 3)`},
		{"too many classes", csvWith("id,age,tier\n" + manyClassRows(1001)), "csv", nil, `"tier" has 1001 distinct values, at most 1000 classes`},
		{"positive not a class", good, "csv", func(m map[string]any) { m["label"] = map[string]any{"column": "tier", "positive": "top"} }, `label.positive: "top" is not a class (classes: high, low, mid)`},
		{"ignore unknown", good, "csv", func(m map[string]any) { m["ignore"] = []any{"id", "zip"} }, `ignore[1]: no column "zip"`},
		{"empty column", csvWith("id,age,note,tier\n1,20,,a\n2,30,?,b\n3,60,,a\n"), "csv", nil, `ignore: column "note" has no value in any row; add it to ignore`},
		{"no features", csvWith("id,tier\n1,a\n2,b\n"), "csv", func(m map[string]any) { delete(m, "fairness") }, "no feature column is left"},
		{"protected absent", good, "csv", setProtected("column", "height"), `fairness.protected.column: no feature "height" in the data`},
		{"lists on numeric", good, "csv", func(m map[string]any) {
			p := protectedOf(m)
			p["groups"] = map[string]any{"a": []any{"20"}, "b": []any{"30"}}
			p["counterfactual"] = map[string]any{"20": "30", "30": "20"}
		}, `fairness.protected.groups: column "age" is numeric; group it with ranges`},
		{"ranges on nominal", good, "csv", func(m map[string]any) { protectedOf(m)["column"] = "city" }, `column "city" is nominal; group it with lists of its values`},
		{"group value not a level", good, "csv", nominalCity(map[string]any{"a": []any{"oslo", "rome"}, "b": []any{"lima", "pune"}}, map[string]any{"oslo": "lima", "rome": "lima", "lima": "oslo", "pune": "oslo"}), `fairness.protected.groups["a"][1]: "rome" is not a value of column "city" (values: lima, oslo, pune)`},
		{"value in no group", good, "csv", nominalCity(map[string]any{"a": []any{"oslo"}, "b": []any{"lima"}}, map[string]any{"oslo": "lima", "lima": "oslo"}), `fairness.protected.groups: data row 2 (from 0): value "pune" of protected column "city" is in no group`},
		{"protected value missing", good, "csv", nominalCity(map[string]any{"a": []any{"oslo", "pune"}, "b": []any{"lima"}}, map[string]any{"oslo": "lima", "pune": "lima", "lima": "oslo"}), `data row 3 (from 0): protected column "city" is missing`},
		{"group covers no row", good, "csv", func(m map[string]any) {
			p := protectedOf(m)
			p["groups"] = map[string]any{"young": map[string]any{"max": "25"}, "mid": map[string]any{"min": "25", "max": "90"}, "old": map[string]any{"min": "90"}}
			p["counterfactual"] = map[string]any{"young": "40", "mid": "95", "old": "20"}
		}, `fairness.protected.groups["old"]: covers no row of the data`},
		{"numeric in no range", good, "csv", func(m map[string]any) {
			p := protectedOf(m)
			p["groups"] = map[string]any{"young": map[string]any{"max": "25"}, "old": map[string]any{"min": "30"}}
			p["counterfactual"] = map[string]any{"young": "40", "old": "20"}
		}, `value 25 of protected column "age" is in no group's range`},
		{"validation empty", csvWith("id,age,tier\n1,20,a\n2,30,b\n3,60,a\n4,61,b\n"), "csv", func(m map[string]any) {
			m["split"] = map[string]any{"seed": 1, "validation_fraction": "0.1"}
			delete(m, "fairness")
		}, `split.validation_fraction: 0.1 of 4 rows leaves 4 training and 0 validation rows`},
		{"declared class without rows", writeData(t, "c.arff", "@attribute age numeric\n@attribute tier {a,b,c}\n@data\n20,a\n30,b\n"), "arff", func(m map[string]any) {
			delete(m, "fairness")
			m["ignore"] = []any{}
		}, `label.column: class "c" of "tier" has no row`},
		{"garbage file", csvWith("id,age,tier\n1,20\n"), "csv", nil, "x.csv:2: wrong number of fields"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := specFor(t, c.path, c.format, c.mutate)
			_, err := LoadTask(s, map[string]string{task.RoleData: c.path})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v\nwant it to contain %s", err, c.want)
			}
			var fe *task.FieldError
			if strings.Contains(c.want, ": ") && !strings.Contains(c.want, ".csv:") && !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *task.FieldError", err)
			}
		})
	}
	s := specFor(t, good, "csv", nil)
	if _, err := LoadTask(s, map[string]string{}); err == nil || !strings.Contains(err.Error(), `no file for role "data"`) {
		t.Fatalf("error %v", err)
	}
}

func manyClassRows(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%d,%d,%d\n", i, 20+i%50, i)
	}
	return b.String()
}

// FuzzLoadTaskCSV loads arbitrary CSV bytes under a fixed spec (numeric
// protected column, three-class label): LoadTask must return a dataset or
// an error, never panic, and a dataset it returns must be consistent.
func FuzzLoadTaskCSV(f *testing.F) {
	f.Add([]byte(syntheticCSV()))
	f.Add([]byte("id,age,score,city,tier\nr1,20,1,oslo,a\nr2,60,?,,b\nr3,30,2,lima,a\n"))
	f.Add([]byte("id,age,tier\n1,NaN,a\n2,1e400,b\n"))
	path := filepath.Join(f.TempDir(), "f.csv")
	if err := os.WriteFile(path, []byte(syntheticCSV()), 0o644); err != nil {
		f.Fatal(err)
	}
	s := specFor(f, path, "csv", nil).WithDefaults()
	f.Fuzz(func(t *testing.T, in []byte) {
		// LoadTask minus the file: read, then apply the spec.
		tb, err := readTabular(s, bytes.NewReader(in), "fuzz.csv")
		if err != nil {
			return
		}
		d, err := tabularFromTable(s, tb)
		if err != nil {
			return
		}
		if len(d.Train) == 0 || len(d.Validation) == 0 || len(d.Schema.Classes) < 2 || d.ProtectedColumn == nil {
			t.Fatalf("inconsistent dataset: %d/%d rows, classes %v", len(d.Train), len(d.Validation), d.Schema.Classes)
		}
		if _, err := d.ProtectedColumn.Twins(d.rows); err != nil {
			t.Fatalf("accepted data has rows without a twin: %v", err)
		}
		if _, err := DeriveEncoder(d); err != nil {
			t.Fatalf("accepted data has no encoder: %v", err)
		}
	})
}
