package dataset

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Table is a parsed tabular file: typed columns and rows of raw values
// (numbers, or category indexes for categorical columns).
type Table struct {
	Columns []Feature
	Rows    [][]float64
	// Lines holds each row's line in the file (1-based), for error messages.
	Lines []int
}

// Column returns the index of the named column, or -1.
func (t *Table) Column(name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// maxLineBytes bounds one line of input; longer lines are an error rather
// than an unbounded allocation.
const maxLineBytes = 1 << 20

// ReadOptions says how ReadARFFWith and ReadCSVWith read a file. The zero
// value is ReadARFF's and ReadCSV's behaviour.
type ReadOptions struct {
	// Missing accepts missing values, read as NaN: an unquoted '?' or an
	// empty field in ARFF, a '?' or an empty field in CSV.
	Missing bool
	// Delimiter separates CSV fields; 0 means ','.
	Delimiter rune
	// NoHeader says the CSV's first row is data; its columns are named by
	// position, "1", "2", ….
	NoHeader bool
}

// ReadARFF parses a dense ARFF file (Weka's format): numeric and nominal
// attributes, one instance per line. name is used in error messages only.
// Missing values ('?'), sparse rows, string and date attributes are rejected
// with an error naming the line, because no Assay dataset has them and
// guessing would change the data silently.
func ReadARFF(r io.Reader, name string) (*Table, error) {
	return ReadARFFWith(r, name, ReadOptions{})
}

// ReadARFFWith is ReadARFF with options; with o.Missing an unquoted '?'
// or empty field is a missing value (NaN), while a quoted '?' stays the
// literal value "?".
func ReadARFFWith(r io.Reader, name string, o ReadOptions) (*Table, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLineBytes)
	t := &Table{}
	inData := false
	lineNo := 0
	errf := func(format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", name, lineNo, fmt.Sprintf(format, args...))
	}
	for sc.Scan() {
		lineNo++
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '%' {
			continue
		}
		if !inData {
			if line[0] != '@' {
				return nil, errf("expected an @relation, @attribute or @data line, got %q", clip(line))
			}
			keyword, rest := splitKeyword(line)
			switch strings.ToLower(keyword) {
			case "@relation":
			case "@attribute":
				f, err := parseAttribute(rest)
				if err != nil {
					return nil, errf("%v", err)
				}
				if t.Column(f.Name) >= 0 {
					return nil, errf("duplicate attribute %q", f.Name)
				}
				t.Columns = append(t.Columns, f)
			case "@data":
				if len(t.Columns) == 0 {
					return nil, errf("@data before any @attribute")
				}
				inData = true
			default:
				return nil, errf("unknown keyword %q", keyword)
			}
			continue
		}
		if line[0] == '{' {
			return nil, errf("sparse ARFF rows are not supported")
		}
		fields, quoted, err := splitQuotedFields(line)
		if err != nil {
			return nil, errf("%v", err)
		}
		if len(fields) != len(t.Columns) {
			return nil, errf("%d fields, want %d (one per @attribute)", len(fields), len(t.Columns))
		}
		row := make([]float64, len(fields))
		for i, v := range fields {
			if o.Missing && !quoted[i] && (v == "?" || v == "") {
				row[i] = math.NaN()
				continue
			}
			// With missing values allowed, a '?' that gets here was quoted:
			// a value like any other.
			x, err := parseValue(t.Columns[i], v, o.Missing)
			if err != nil {
				return nil, errf("field %d (%s): %v", i+1, t.Columns[i].Name, err)
			}
			row[i] = x
		}
		t.Rows = append(t.Rows, row)
		t.Lines = append(t.Lines, lineNo)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", name, lineNo+1, err)
	}
	if !inData {
		return nil, fmt.Errorf("%s: no @data section", name)
	}
	return t, nil
}

// parseValue converts one raw field according to its column; a '?' is
// refused unless literalQuestion says it is a value.
func parseValue(c Feature, v string, literalQuestion bool) (float64, error) {
	if v == "?" && !literalQuestion {
		return 0, fmt.Errorf("missing value '?' is not supported")
	}
	if c.Kind == Numeric {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, fmt.Errorf("%q is not a finite number", clip(v))
		}
		return x, nil
	}
	for j, cat := range c.Categories {
		if cat == v {
			return float64(j), nil
		}
	}
	return 0, fmt.Errorf("%q is not one of the declared values %v", clip(v), c.Categories)
}

// parseAttribute parses the part of an @attribute line after the keyword.
func parseAttribute(s string) (Feature, error) {
	name, rest, err := nextToken(s)
	if err != nil {
		return Feature{}, fmt.Errorf("attribute name: %v", err)
	}
	if name == "" {
		return Feature{}, fmt.Errorf("attribute without a name")
	}
	rest = strings.TrimSpace(rest)
	if strings.HasPrefix(rest, "{") {
		if !strings.HasSuffix(rest, "}") {
			return Feature{}, fmt.Errorf("attribute %q: nominal values not closed by '}'", name)
		}
		vals, err := splitFields(rest[1 : len(rest)-1])
		if err != nil {
			return Feature{}, fmt.Errorf("attribute %q: %v", name, err)
		}
		seen := map[string]bool{}
		for _, v := range vals {
			if v == "" {
				return Feature{}, fmt.Errorf("attribute %q: empty nominal value", name)
			}
			if seen[v] {
				return Feature{}, fmt.Errorf("attribute %q: duplicate nominal value %q", name, v)
			}
			seen[v] = true
		}
		return Feature{Name: name, Kind: Categorical, Categories: vals}, nil
	}
	switch strings.ToLower(rest) {
	case "numeric", "real", "integer":
		return Feature{Name: name, Kind: Numeric}, nil
	case "":
		return Feature{}, fmt.Errorf("attribute %q has no type", name)
	}
	return Feature{}, fmt.Errorf("attribute %q: unsupported type %q", name, clip(rest))
}

// splitKeyword splits "@keyword rest".
func splitKeyword(line string) (string, string) {
	i := strings.IndexAny(line, " \t")
	if i < 0 {
		return line, ""
	}
	return line[:i], strings.TrimSpace(line[i+1:])
}

// nextToken reads one (possibly quoted) token terminated by whitespace.
func nextToken(s string) (tok, rest string, err error) {
	s = strings.TrimLeft(s, " \t")
	if s == "" {
		return "", "", nil
	}
	if q := s[0]; q == '\'' || q == '"' {
		v, n, err := readQuoted(s)
		if err != nil {
			return "", "", err
		}
		return v, s[n:], nil
	}
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, "", nil
	}
	return s[:i], s[i:], nil
}

// splitFields splits a comma-separated list where values may be quoted with
// ' or " (ARFF style), trimming whitespace around unquoted values.
func splitFields(s string) ([]string, error) {
	out, _, err := splitQuotedFields(s)
	return out, err
}

// splitQuotedFields is splitFields that also reports which values were
// quoted (a quoted '?' is a value, an unquoted one is missing).
func splitQuotedFields(s string) (out []string, quoted []bool, err error) {
	for {
		s = strings.TrimLeft(s, " \t")
		var v string
		q := s != "" && (s[0] == '\'' || s[0] == '"')
		if q {
			qv, n, err := readQuoted(s)
			if err != nil {
				return nil, nil, err
			}
			v, s = qv, strings.TrimLeft(s[n:], " \t")
			if s != "" && s[0] != ',' {
				return nil, nil, fmt.Errorf("unexpected %q after quoted value %q", clip(s), qv)
			}
		} else {
			i := strings.IndexByte(s, ',')
			if i < 0 {
				i = len(s)
			}
			v, s = strings.TrimSpace(s[:i]), s[i:]
		}
		out = append(out, v)
		quoted = append(quoted, q)
		if s == "" {
			return out, quoted, nil
		}
		s = s[1:] // the comma
	}
}

// readQuoted reads a quoted value at the start of s, honouring backslash
// escapes; it returns the value and the number of bytes consumed.
func readQuoted(s string) (string, int, error) {
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == q:
			return b.String(), i + 1, nil
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, fmt.Errorf("unterminated quote in %q", clip(s))
}

// clip shortens s for error messages.
func clip(s string) string {
	const n = 60
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
