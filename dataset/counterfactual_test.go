package dataset

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func loadTinyCredit(t *testing.T) *Dataset {
	t.Helper()
	d, err := LoadGermanCredit("testdata/tiny.arff")
	if err == nil || !strings.Contains(err.Error(), "sex") {
		// tiny.arff has only four personal_status values, so the real
		// german-credit sex spec must not validate on it.
		t.Fatalf("tiny.arff with the german-credit spec: %v", err)
	}
	f, _ := os.Open("testdata/tiny.arff")
	defer f.Close()
	tb, err := ReadARFF(f, "tiny.arff")
	if err != nil {
		t.Fatal(err)
	}
	d, err = fromTable("tiny", "tiny.arff", tb, "class", "good", nil, []Protected{
		{Name: "sex", Feature: "personal_status", Swap: []Swap{
			{From: "male single", To: "female single", Group: "male"},
			{From: "female single", To: "male single", Group: "female"},
			{From: "male mar/wid", To: "female div/dep/mar", Group: "male"},
			{From: "female div/dep/mar", To: "male mar/wid", Group: "female"},
		}},
		{Name: "age", Feature: "age", Threshold: 25, BelowGroup: "young", AboveGroup: "adult", BelowValue: 22, AboveValue: 35},
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCounterfactual(t *testing.T) {
	d := loadTinyCredit(t)
	sex, err := d.Schema.ProtectedAttr("sex")
	if err != nil {
		t.Fatal(err)
	}
	ps := d.Schema.FeatureIndex("personal_status")
	for i, row := range d.X {
		g, err := sex.Group(&d.Schema, row)
		if err != nil {
			t.Fatal(err)
		}
		cf, err := sex.Counterfactual(&d.Schema, row)
		if err != nil {
			t.Fatal(err)
		}
		g2, _ := sex.Group(&d.Schema, cf)
		if g == g2 {
			t.Fatalf("row %d: group %q unchanged by the flip", i, g)
		}
		for c := range row {
			if c != ps && cf[c] != row[c] {
				t.Fatalf("row %d: feature %d changed by the flip", i, c)
			}
		}
		back, _ := sex.Counterfactual(&d.Schema, cf)
		if back[ps] != row[ps] {
			t.Fatalf("row %d: flipping twice does not restore personal_status", i)
		}
	}
	age, _ := d.Schema.ProtectedAttr("age")
	ai := d.Schema.FeatureIndex("age")
	young := d.X[1] // age 22
	cf, _ := age.Counterfactual(&d.Schema, young)
	if g, _ := age.Group(&d.Schema, young); g != "young" || cf[ai] != 35 {
		t.Fatalf("age flip of %v: group %q, flipped to %v", young[ai], g, cf[ai])
	}
	if _, err := d.Schema.ProtectedAttr("race"); err == nil {
		t.Fatal("unknown protected attribute accepted")
	}
	if _, err := sex.Counterfactual(&d.Schema, []float64{1}); err == nil {
		t.Fatal("short row accepted")
	}
}

func TestProtectedValidate(t *testing.T) {
	s := tinySchema()
	cases := []Protected{
		{Name: "p", Feature: "missing"},
		{Name: "p", Feature: "c", Swap: []Swap{{From: "a", To: "b"}}},
		{Name: "p", Feature: "c", Swap: []Swap{{From: "a", To: "b"}, {From: "b", To: "a"}, {From: "c", To: "z"}}},
		{Name: "p", Feature: "c", Swap: []Swap{{From: "a", To: "b"}, {From: "b", To: "a"}, {From: "c", To: "c"}}},
		{Name: "p", Feature: "n", Threshold: 1, BelowGroup: "lo", AboveGroup: "hi", BelowValue: 2, AboveValue: 3},
		{Name: "p", Feature: "n", Threshold: 1},
	}
	for i, p := range cases {
		if err := p.Validate(&s); err == nil {
			t.Errorf("case %d accepted: %+v", i, p)
		}
	}
}

func TestLoadCPSWages(t *testing.T) {
	d, err := LoadCPSWages("testdata/cps1985-wages/data.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.X) != 534 || len(d.Schema.Features) != 10 || d.Schema.FeatureIndex("wage") >= 0 {
		t.Fatalf("%d rows, features %+v", len(d.X), d.Schema.Features)
	}
	if c := d.ClassCounts(d.Train); c[0] == 0 || c[1] == 0 {
		t.Fatalf("class counts %v", c)
	}
	if len(d.Train)+len(d.Validation) != 534 || len(d.Validation) != 160 {
		t.Fatalf("split %d/%d", len(d.Train), len(d.Validation))
	}
	gender, _ := d.Schema.ProtectedAttr("gender")
	cf, err := gender.Counterfactuals(&d.Schema, d.X)
	if err != nil {
		t.Fatal(err)
	}
	gi := d.Schema.FeatureIndex("gender")
	for i := range cf {
		if cf[i][gi] == d.X[i][gi] {
			t.Fatalf("row %d: gender not flipped", i)
		}
	}
}

func TestLoadMissing(t *testing.T) {
	_, err := Load(t.TempDir(), GermanCredit)
	if !errors.Is(err, ErrMissing) || !strings.Contains(err.Error(), "credit-g.arff") || !strings.Contains(err.Error(), "make data") {
		t.Fatalf("error %v, want ErrMissing naming the file and make data", err)
	}
	if _, err := Load(t.TempDir(), "iris"); err == nil {
		t.Fatal("unknown dataset accepted")
	}
}

// requireData loads a downloaded dataset or skips the test.
func requireData(t *testing.T, id string) *Dataset {
	t.Helper()
	d, err := Load(DefaultDataDir(), id)
	if errors.Is(err, ErrMissing) {
		t.Skipf("%v; set ASSAY_DATA_DIR or run `make data`", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestGermanCredit(t *testing.T) {
	d := requireData(t, GermanCredit)
	if len(d.X) != 1000 || len(d.Schema.Features) != 20 || len(d.Validation) != 300 {
		t.Fatalf("%d rows, %d features, %d validation", len(d.X), len(d.Schema.Features), len(d.Validation))
	}
	if d.MajorityRate(d.Validation) != 0.7 {
		t.Fatalf("majority %v, want 0.7 (stratified split of 700 good / 300 bad)", d.MajorityRate(d.Validation))
	}
	for _, name := range []string{"sex", "age", "foreign_worker"} {
		p, err := d.Schema.ProtectedAttr(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Counterfactuals(&d.Schema, d.X); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMNIST(t *testing.T) {
	if _, err := os.Stat(DefaultDataDir() + "/mnist/t10k-images-idx3-ubyte.gz"); err != nil {
		t.Skipf("mnist not in %s; set ASSAY_DATA_DIR or run `make data`", DefaultDataDir())
	}
	d, err := LoadMNIST(DefaultDataDir()+"/mnist", 100, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Train) != 100 || len(d.Validation) != 50 || len(d.X[0]) != 784 || d.Task != TaskImage {
		t.Fatalf("train %d val %d width %d", len(d.Train), len(d.Validation), len(d.X[0]))
	}
	// The first training image is a 5, the first test image a 7.
	if d.Y[0] != 5 || d.Y[100] != 7 {
		t.Fatalf("labels %d, %d; want 5, 7", d.Y[0], d.Y[100])
	}
}
