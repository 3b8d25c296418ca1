package dataset

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// maxCSVRows bounds how many rows ReadCSV accepts; Assay's tabular datasets
// are small and a runaway file should fail, not exhaust memory.
const maxCSVRows = 1 << 22

// ReadCSV parses a CSV file with a header row. A column whose every value
// parses as a finite number is numeric; any other column is categorical with
// its distinct values sorted (so the category order never depends on row
// order). name is used in error messages only.
func ReadCSV(r io.Reader, name string) (*Table, error) {
	return ReadCSVWith(r, name, ReadOptions{})
}

// ReadCSVWith is ReadCSV with options: a delimiter, no header row, and
// missing values ('?' or empty, read as NaN), which type inference skips:
// a column is numeric when every non-missing value is a finite number. A
// leading UTF-8 byte-order mark is dropped.
func ReadCSVWith(r io.Reader, name string, o ReadOptions) (*Table, error) {
	cr := csv.NewReader(skipBOM(r))
	cr.ReuseRecord = false
	if o.Delimiter != 0 {
		cr.Comma = o.Delimiter
	}
	first, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) && o.NoHeader {
			return nil, fmt.Errorf("%s: empty file, want data rows", name)
		}
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty file, want a header row", name)
		}
		return nil, csvErr(name, err)
	}
	var records [][]string
	var lines []int
	header := first
	if o.NoHeader {
		header = make([]string, len(first))
		for i := range header {
			header[i] = strconv.Itoa(i + 1)
		}
	}
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if h == "" {
			return nil, fmt.Errorf("%s:1: column %d has an empty name", name, i+1)
		}
		if seen[h] {
			return nil, fmt.Errorf("%s:1: duplicate column %q", name, h)
		}
		seen[h] = true
		header[i] = h
	}
	rec := first
	if !o.NoHeader {
		rec, err = cr.Read()
	}
	for ; !errors.Is(err, io.EOF); rec, err = cr.Read() {
		if err != nil {
			return nil, csvErr(name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(records) >= maxCSVRows {
			return nil, fmt.Errorf("%s:%d: more than %d rows", name, line, maxCSVRows)
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
			if rec[i] == "" && !o.Missing {
				return nil, fmt.Errorf("%s:%d: field %d (%s): empty value", name, line, i+1, header[i])
			}
		}
		records = append(records, rec)
		lines = append(lines, line)
	}
	if len(records) == 0 {
		return nil, fmt.Errorf("%s: no data rows after the header", name)
	}
	t := typeColumns(header, records, o.Missing)
	t.Lines = lines
	return t, nil
}

// typeColumns infers each column's kind and converts the records.
func typeColumns(header []string, records [][]string, missingOK bool) *Table {
	missing := func(v string) bool { return missingOK && (v == "" || v == "?") }
	t := &Table{Columns: make([]Feature, len(header)), Rows: make([][]float64, len(records))}
	for r := range records {
		t.Rows[r] = make([]float64, len(header))
	}
	for c, h := range header {
		numeric := true
		for _, rec := range records {
			if _, ok := parseFinite(rec[c]); !ok && !missing(rec[c]) {
				numeric = false
				break
			}
		}
		if numeric {
			t.Columns[c] = Feature{Name: h, Kind: Numeric}
			for r, rec := range records {
				if missing(rec[c]) {
					t.Rows[r][c] = math.NaN()
					continue
				}
				t.Rows[r][c], _ = parseFinite(rec[c])
			}
			continue
		}
		index := map[string]int{}
		for _, rec := range records {
			if !missing(rec[c]) {
				index[rec[c]] = 0
			}
		}
		cats := make([]string, 0, len(index))
		for v := range index {
			cats = append(cats, v)
		}
		slices.Sort(cats)
		for j, v := range cats {
			index[v] = j
		}
		t.Columns[c] = Feature{Name: h, Kind: Categorical, Categories: cats}
		for r, rec := range records {
			if missing(rec[c]) {
				t.Rows[r][c] = math.NaN()
				continue
			}
			t.Rows[r][c] = float64(index[rec[c]])
		}
	}
	return t
}

// skipBOM drops a leading UTF-8 byte-order mark, which spreadsheet exports
// write and which would otherwise become part of the first column's name.
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\xef\xbb\xbf" {
		br.Discard(3)
	}
	return br
}

func parseFinite(s string) (float64, bool) {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, false
	}
	return x, true
}

// csvErr reformats encoding/csv's errors as file:line[:column]: message.
func csvErr(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			return fmt.Errorf("%s:%d: %v (the header has a different count)", name, pe.Line, pe.Err)
		}
		return fmt.Errorf("%s:%d:%d: %v", name, pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("%s: %w", name, err)
}
