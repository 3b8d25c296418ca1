package dataset

import (
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
	cr := csv.NewReader(r)
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty file, want a header row", name)
		}
		return nil, csvErr(name, err)
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
	var records [][]string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvErr(name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(records) >= maxCSVRows {
			return nil, fmt.Errorf("%s:%d: more than %d rows", name, line, maxCSVRows)
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
			if rec[i] == "" {
				return nil, fmt.Errorf("%s:%d: field %d (%s): empty value", name, line, i+1, header[i])
			}
		}
		records = append(records, rec)
	}
	if len(records) == 0 {
		return nil, fmt.Errorf("%s: no data rows after the header", name)
	}

	t := &Table{Columns: make([]Feature, len(header)), Rows: make([][]float64, len(records))}
	for r := range records {
		t.Rows[r] = make([]float64, len(header))
	}
	for c, h := range header {
		numeric := true
		for _, rec := range records {
			if _, ok := parseFinite(rec[c]); !ok {
				numeric = false
				break
			}
		}
		if numeric {
			t.Columns[c] = Feature{Name: h, Kind: Numeric}
			for r, rec := range records {
				t.Rows[r][c], _ = parseFinite(rec[c])
			}
			continue
		}
		index := map[string]int{}
		for _, rec := range records {
			index[rec[c]] = 0
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
			t.Rows[r][c] = float64(index[rec[c]])
		}
	}
	return t, nil
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
