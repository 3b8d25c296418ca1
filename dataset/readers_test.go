package dataset

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadARFF(t *testing.T) {
	f, err := os.Open("testdata/tiny.arff")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tb, err := ReadARFF(f, "tiny.arff")
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.Columns) != 6 || len(tb.Rows) != 5 {
		t.Fatalf("got %d columns, %d rows; want 6, 5", len(tb.Columns), len(tb.Rows))
	}
	ps := tb.Columns[tb.Column("personal_status")]
	if ps.Kind != Categorical || strings.Join(ps.Categories, ",") != "male single,female single,male mar/wid,female div/dep/mar" {
		t.Fatalf("personal_status = %+v", ps)
	}
	if k := tb.Columns[tb.Column("age")].Kind; k != Numeric {
		t.Fatalf("age kind %q", k)
	}
	// Row 3: 'no checking', 12 , 'male mar/wid',49,no,good — spaces trimmed,
	// categories as indexes.
	want := []float64{2, 12, 2, 49, 1, 0}
	for i, v := range want {
		if tb.Rows[2][i] != v {
			t.Fatalf("row 3 = %v, want %v", tb.Rows[2], want)
		}
	}
	if tb.Rows[4][1] != 24.5 {
		t.Fatalf("duration row 5 = %v", tb.Rows[4][1])
	}
}

func TestReadARFFErrors(t *testing.T) {
	head := "@relation r\n@attribute a numeric\n@attribute c {x, 'y z'}\n@data\n"
	cases := []struct{ name, in, want string }{
		{"field count", head + "1,x\n2\n", "f.arff:6: 1 fields, want 2"},
		{"unknown nominal", head + "1,w\n", `f.arff:5: field 2 (c): "w" is not one of the declared values`},
		{"bad number", head + "1x,x\n", `f.arff:5: field 1 (a): "1x" is not a finite number`},
		{"nan", head + "NaN,x\n", `field 1 (a): "NaN" is not a finite number`},
		{"missing", head + "?,x\n", "f.arff:5: field 1 (a): missing value '?'"},
		{"unterminated quote", head + "1,'y z\n", "f.arff:5: unterminated quote"},
		{"sparse", head + "{0 1}\n", "f.arff:5: sparse ARFF rows"},
		{"no data", "@relation r\n@attribute a numeric\n", "f.arff: no @data section"},
		{"duplicate attribute", "@attribute a numeric\n@attribute a numeric\n", `f.arff:2: duplicate attribute "a"`},
		{"string attribute", "@attribute s string\n", `f.arff:1: attribute "s": unsupported type "string"`},
		{"unclosed nominal", "@attribute s {a, b\n", "f.arff:1: attribute \"s\": nominal values not closed"},
		{"junk header", "hello\n", `f.arff:1: expected an @relation`},
		{"data first", "@data\n", "f.arff:1: @data before any @attribute"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadARFF(strings.NewReader(c.in), "f.arff")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestReadCSV(t *testing.T) {
	in := "n,c,z\n1,b,0\n2.5,a,0\n-3,b,0\n"
	tb, err := ReadCSV(strings.NewReader(in), "x.csv")
	if err != nil {
		t.Fatal(err)
	}
	if tb.Columns[0].Kind != Numeric || tb.Columns[1].Kind != Categorical || tb.Columns[2].Kind != Numeric {
		t.Fatalf("kinds %+v", tb.Columns)
	}
	// Categories are sorted, not in order of appearance.
	if got := strings.Join(tb.Columns[1].Categories, ","); got != "a,b" {
		t.Fatalf("categories %q", got)
	}
	if tb.Rows[0][1] != 1 || tb.Rows[1][1] != 0 || tb.Rows[2][0] != -3 {
		t.Fatalf("rows %v", tb.Rows)
	}
}

func TestReadCSVErrors(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"ragged", "a,b\n1,2\n3\n", "x.csv:3: wrong number of fields"},
		{"empty value", "a,b\n1,2\n3, \n", "x.csv:3: field 2 (b): empty value"},
		{"bare quote", "a,b\n1,2\n3,x\"y\n", `x.csv:3:4: bare "`},
		{"duplicate header", "a,a\n1,2\n", `x.csv:1: duplicate column "a"`},
		{"empty header", "a,\n1,2\n", "x.csv:1: column 2 has an empty name"},
		{"no rows", "a,b\n", "x.csv: no data rows"},
		{"empty", "", "x.csv: empty file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadCSV(strings.NewReader(c.in), "x.csv")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to contain %q", err, c.want)
			}
		})
	}
}

// idxBytes builds an unsigned-byte IDX file.
func idxBytes(dims []uint32, data []byte) []byte {
	var b bytes.Buffer
	b.Write([]byte{0, 0, 8, byte(len(dims))})
	for _, d := range dims {
		_ = binary.Write(&b, binary.BigEndian, d)
	}
	b.Write(data)
	return b.Bytes()
}

func TestReadIDX(t *testing.T) {
	data := []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	idx, err := ReadIDX(bytes.NewReader(idxBytes([]uint32{3, 2, 2}, data)), "i")
	if err != nil {
		t.Fatal(err)
	}
	if len(idx.Dims) != 3 || idx.Dims[0] != 3 || !bytes.Equal(idx.Data, data) {
		t.Fatalf("got %+v", idx)
	}

	// The .gz path goes through gzip.
	dir := t.TempDir()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(idxBytes([]uint32{12}, data))
	_ = zw.Close()
	p := filepath.Join(dir, "l-idx1-ubyte.gz")
	if err := os.WriteFile(p, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if idx, err := ReadIDXFile(p); err != nil || !bytes.Equal(idx.Data, data) {
		t.Fatalf("gz: %v %v", idx, err)
	}
	// A corrupt gzip stream must not load.
	bad := bytes.Clone(gz.Bytes())
	bad[len(bad)-5] ^= 0xff
	_ = os.WriteFile(p, bad, 0o644)
	if _, err := ReadIDXFile(p); err == nil {
		t.Fatal("corrupt gzip accepted")
	}
}

func TestReadIDXErrors(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		want string
	}{
		{"truncated", idxBytes([]uint32{4}, []byte{1, 2}), "truncated: 2 of 4 data bytes"},
		{"trailing", idxBytes([]uint32{1}, []byte{1, 2}), "trailing bytes"},
		{"magic", []byte{1, 2, 3, 4}, "not an IDX file"},
		{"float type", []byte{0, 0, 0x0d, 1, 0, 0, 0, 1}, "element type 0x0d unsupported"},
		{"zero dim", idxBytes([]uint32{0}, nil), "dimension 0 = 0 out of range"},
		{"huge", idxBytes([]uint32{1 << 20, 1 << 20}, nil), "out of range"},
		{"short", []byte{0, 0}, "reading IDX magic"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadIDX(bytes.NewReader(c.in), "i")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to contain %q", err, c.want)
			}
		})
	}
}

// FuzzReadTabular feeds arbitrary bytes to the ARFF and CSV readers: they
// must return a table or an error, never panic, and a table they return
// must be consistent (one value per column, category indexes in range).
func FuzzReadTabular(f *testing.F) {
	for _, p := range []string{"testdata/tiny.arff", "testdata/cps1985-wages/data.csv"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) > 2000 {
			b = b[:2000]
		}
		f.Add(b)
	}
	f.Add([]byte("@attribute a {'x\\'y', z}\n@data\n'x\\'y'\n"))
	f.Add([]byte("a,b\n\"1\",\"x,y\"\n"))
	f.Add([]byte("@attribute a {x, '?'}\n@attribute b real\n@data\n'?',?\n,1\n"))
	f.Add([]byte("\xef\xbb\xbfa;b\n?;\n1;x\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		// missingOK: NaN is a missing value, allowed only with ReadOptions.Missing.
		check := func(missingOK bool) func(*Table, error) {
			return func(tb *Table, err error) { checkTable(t, missingOK, tb, err) }
		}
		check(false)(ReadARFF(bytes.NewReader(in), "fuzz.arff"))
		check(false)(ReadCSV(bytes.NewReader(in), "fuzz.csv"))
		check(true)(ReadARFFWith(bytes.NewReader(in), "fuzz.arff", ReadOptions{Missing: true}))
		check(true)(ReadCSVWith(bytes.NewReader(in), "fuzz.csv", ReadOptions{Missing: true, Delimiter: ';'}))
		check(true)(ReadCSVWith(bytes.NewReader(in), "fuzz.csv", ReadOptions{Missing: true, NoHeader: true}))
	})
}

// checkTable asserts a table a reader returned is consistent: one value
// per column, a line per row, category indexes in range, NaN (missing)
// only when missingOK.
func checkTable(t *testing.T, missingOK bool, tb *Table, err error) {
	if err != nil {
		return
	}
	if len(tb.Lines) != len(tb.Rows) {
		t.Fatalf("%d line numbers for %d rows", len(tb.Lines), len(tb.Rows))
	}
	for _, r := range tb.Rows {
		if len(r) != len(tb.Columns) {
			t.Fatalf("row of %d values for %d columns", len(r), len(tb.Columns))
		}
		for c, v := range r {
			if math.IsNaN(v) {
				if !missingOK {
					t.Fatalf("NaN in column %q without missing values allowed", tb.Columns[c].Name)
				}
				continue
			}
			if col := tb.Columns[c]; col.Kind == Categorical && (v < 0 || int(v) >= len(col.Categories)) {
				t.Fatalf("category index %v out of range for %q", v, col.Name)
			}
		}
	}
}
