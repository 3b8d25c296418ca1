package dataset

import (
	"math"
	"strings"
	"testing"
)

var withMissing = ReadOptions{Missing: true}

func TestReadARFFWithMissingAndQuoting(t *testing.T) {
	in := `% header comments and odd spacing, as real ARFF files have them
@RELATION r
@attribute 'job title' { 'a b', c,d}
@attribute n   REAL
@attribute q {'?', x}
@attribute label {1,2,3}
@data
'a b', 1.5, '?', 1
c,?,x,2
 d , , ?, 3
`
	tb, err := ReadARFFWith(strings.NewReader(in), "m.arff", withMissing)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(tb.Columns[0].Categories, "|"); tb.Columns[0].Name != "job title" || got != "a b|c|d" {
		t.Fatalf("column 0 = %+v", tb.Columns[0])
	}
	r := tb.Rows
	// A quoted '?' is the value "?" (index 0 of q); unquoted ? and empty
	// fields are missing.
	if r[0][2] != 0 || !math.IsNaN(r[1][1]) || !math.IsNaN(r[2][1]) || !math.IsNaN(r[2][2]) || r[2][0] != 2 {
		t.Fatalf("rows %v", r)
	}
	if tb.Lines[0] != 8 || tb.Lines[2] != 10 {
		t.Fatalf("lines %v", tb.Lines)
	}
	// Without the option the old strictness holds.
	if _, err := ReadARFF(strings.NewReader(in), "m.arff"); err == nil || !strings.Contains(err.Error(), "m.arff:8: field 3 (q): missing value") {
		t.Fatalf("error %v", err)
	}
}

func TestReadCSVWithOptions(t *testing.T) {
	in := "\xef\xbb\xbfage;group;y\n30;a;yes\n?;b;no\n;a;yes\n41.5;;no\n"
	tb, err := ReadCSVWith(strings.NewReader(in), "s.csv", ReadOptions{Missing: true, Delimiter: ';'})
	if err != nil {
		t.Fatal(err)
	}
	if tb.Columns[0].Name != "age" || tb.Columns[0].Kind != Numeric {
		t.Fatalf("age column %+v (BOM not dropped, or missing values broke type inference)", tb.Columns[0])
	}
	if c := tb.Columns[1]; c.Kind != Categorical || strings.Join(c.Categories, ",") != "a,b" {
		t.Fatalf("group column %+v (missing values must not become a level)", c)
	}
	if !math.IsNaN(tb.Rows[1][0]) || !math.IsNaN(tb.Rows[2][0]) || !math.IsNaN(tb.Rows[3][1]) || tb.Rows[3][0] != 41.5 {
		t.Fatalf("rows %v", tb.Rows)
	}
	if tb.Lines[3] != 5 {
		t.Fatalf("lines %v", tb.Lines)
	}

	// No header: columns are named by position and the first row is data.
	tb, err = ReadCSVWith(strings.NewReader("1,x\n2,y\n"), "h.csv", ReadOptions{NoHeader: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.Rows) != 2 || tb.Columns[0].Name != "1" || tb.Columns[1].Name != "2" || tb.Lines[0] != 1 {
		t.Fatalf("%+v", tb)
	}
	// A tab delimiter, and quoted fields with the delimiter inside.
	tb, err = ReadCSVWith(strings.NewReader("a\tb\n\"x\ty\"\t1\n"), "t.tsv", ReadOptions{Delimiter: '\t'})
	if err != nil || tb.Columns[0].Categories[0] != "x\ty" {
		t.Fatalf("%+v %v", tb, err)
	}
	// A column with no value at all reads as numeric, every row NaN; the
	// task loader refuses it as a feature.
	tb, err = ReadCSVWith(strings.NewReader("a,b\n1,\n2,?\n"), "e.csv", withMissing)
	if err != nil || tb.Columns[1].Kind != Numeric || !math.IsNaN(tb.Rows[0][1]) {
		t.Fatalf("%+v %v", tb, err)
	}
}

// TestReadGenericErrors: broken files fail with the file and line.
func TestReadGenericErrors(t *testing.T) {
	head := "@relation r\n@attribute a numeric\n@attribute c {x, 'y z'}\n@data\n"
	arff := []struct{ name, in, want string }{
		{"ragged", head + "1,x\n2\n", "f.arff:6: 1 fields, want 2"},
		{"truncated mid-quote", head + "1,'y z\n", "f.arff:5: unterminated quote"},
		{"truncated header", "@relation r\n@attribute a numeric\n@attri", `f.arff:3: unknown keyword "@attri"`},
		{"garbage", "\x00\x01\x02binary\n", "f.arff:1: expected an @relation, @attribute or @data line"},
		{"bad number", head + "1x,x\n", `f.arff:5: field 1 (a): "1x" is not a finite number`},
		{"unknown level", head + "1,w\n", `f.arff:5: field 2 (c): "w" is not one of the declared values`},
		{"long line", head + strings.Repeat("1", maxLineBytes+1) + "\n", "f.arff:5: bufio.Scanner: token too long"},
	}
	for _, c := range arff {
		t.Run("arff "+c.name, func(t *testing.T) {
			_, err := ReadARFFWith(strings.NewReader(c.in), "f.arff", withMissing)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
		})
	}
	csvCases := []struct{ name, in, want string }{
		{"ragged", "a,b\n1,2\n3\n", "x.csv:3: wrong number of fields"},
		{"too many fields", "a,b\n1,2,3\n", "x.csv:2: wrong number of fields"},
		{"bare quote", "a,b\n1,2\n3,x\"y\n", `x.csv:3:4: bare "`},
		{"truncated quote", "a,b\n1,\"abc", `x.csv:2:`},
		{"empty", "", "x.csv: empty file"},
		{"header only", "a,b\n", "x.csv: no data rows"},
	}
	for _, c := range csvCases {
		t.Run("csv "+c.name, func(t *testing.T) {
			_, err := ReadCSVWith(strings.NewReader(c.in), "x.csv", withMissing)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
		})
	}
	if _, err := ReadCSVWith(strings.NewReader(""), "n.csv", ReadOptions{NoHeader: true}); err == nil || !strings.Contains(err.Error(), "want data rows") {
		t.Fatalf("error %v", err)
	}
}
