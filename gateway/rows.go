package gateway

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/assay-network/assay/dataset"
)

// InputError is a request the gateway refuses: an HTTP status, a code
// and a message naming the field (and value) at fault.
type InputError struct {
	Status int
	Code   string
	Field  string
	Msg    string
}

func (e *InputError) Error() string {
	if e.Field == "" {
		return e.Msg
	}
	return e.Field + ": " + e.Msg
}

func badInput(code, field, format string, a ...any) *InputError {
	return &InputError{Status: http.StatusBadRequest, Code: code, Field: field, Msg: fmt.Sprintf(format, a...)}
}

// DecodeRows parses an infer body, {"rows": [{column: value, ...}, ...]}
// (numbers for numeric columns, one of the column's values as a string for
// nominal ones, null for a missing value), against a task's schema into raw rows
// (numeric values as is, nominal values as their index, missing as NaN:
// the format dataset.Dataset.X and the miners' encoders take). Every
// refusal is an *InputError naming the row and column.
func DecodeRows(body []byte, s *dataset.Schema) ([][]float64, error) {
	// One validating pass, then scans that only find extents: decoding into
	// []json.RawMessage scanned every byte three times.
	if !json.Valid(body) {
		var v any
		err := json.Unmarshal(body, &v) // for the message: where and what
		if err == nil {
			err = errors.New("invalid JSON")
		}
		return nil, badInput("malformed_json", "", "malformed JSON body: %v", err)
	}
	var rowsRaw []byte
	found := false
	err := scanObject(body, func(key, value []byte) error {
		if string(key) != "rows" {
			return badInput("malformed_json", "", "malformed JSON body: unknown field %q (the body is {\"rows\": [...]})", key)
		}
		rowsRaw, found = value, true
		return nil
	})
	if errors.Is(err, errNotObject) {
		return nil, badInput("malformed_json", "", "malformed JSON body: the body is an object {\"rows\": [...]}")
	}
	if err != nil {
		return nil, err
	}
	var rows [][]byte
	if found && !bytes.Equal(rowsRaw, []byte("null")) {
		err := scanArray(rowsRaw, func(v []byte) error {
			if len(rows) == MaxRows {
				return errTooManyRows
			}
			rows = append(rows, v)
			return nil
		})
		if errors.Is(err, errTooManyRows) {
			n := 0
			_ = scanArray(rowsRaw, func([]byte) error { n++; return nil })
			return nil, &InputError{Status: http.StatusRequestEntityTooLarge, Code: "too_many_rows", Field: "rows",
				Msg: fmt.Sprintf("%d rows, at most %d per request", n, MaxRows)}
		}
		if err != nil {
			return nil, badInput("bad_rows", "rows", "rows is a list of objects")
		}
	}
	if len(rows) == 0 {
		return nil, badInput("no_rows", "rows", "at least one row is required")
	}
	out := make([][]float64, len(rows))
	for i, obj := range rows {
		row, err := decodeRow(obj, s, i)
		if err != nil {
			return nil, err
		}
		out[i] = row
	}
	return out, nil
}

var errTooManyRows = errors.New("too many rows")

func decodeRow(obj []byte, s *dataset.Schema, i int) ([]float64, error) {
	row := make([]float64, len(s.Features))
	seen := make([]bool, len(s.Features))
	var unknown []string
	err := scanObject(obj, func(key, raw []byte) error {
		c := featureIndex(s, key)
		if c < 0 {
			unknown = append(unknown, string(key))
			return nil
		}
		if seen[c] {
			return badInput("duplicate_column", fmt.Sprintf("rows[%d].%s", i, key), "column %q appears twice", key)
		}
		seen[c] = true
		v, err := decodeValue(raw, s.Features[c])
		if err != nil {
			err.Field = fmt.Sprintf("rows[%d].%s", i, key)
			return err
		}
		row[c] = v
		return nil
	})
	if errors.Is(err, errNotObject) {
		return nil, badInput("bad_row", fmt.Sprintf("rows[%d]", i), "a row is an object keyed by column name")
	}
	if err != nil {
		return nil, err
	}
	if len(unknown) > 0 {
		// The first in sorted order, so the answer is the same for the same body.
		slices.Sort(unknown)
		return nil, badInput("unknown_column", fmt.Sprintf("rows[%d].%s", i, unknown[0]),
			"unknown column %q (the task's features are %s)", unknown[0], featureList(s))
	}
	for c, ok := range seen {
		if !ok {
			f := s.Features[c].Name
			return nil, badInput("missing_column", fmt.Sprintf("rows[%d].%s", i, f), "column %q is missing (send null for a missing value)", f)
		}
	}
	return row, nil
}

// featureIndex is s.FeatureIndex for a key in the body (no string
// allocated: the comparison converts in place).
func featureIndex(s *dataset.Schema, key []byte) int {
	for i := range s.Features {
		if s.Features[i].Name == string(key) {
			return i
		}
	}
	return -1
}

// missing is the raw value of a missing feature (dataset: NaN).
var missing = math.NaN()

// decodeValue reads one value of a document encoding/json already
// checked, so a token starting with '"' is a whole JSON string and one
// starting with '-' or a digit a JSON number (whose grammar strconv
// accepts); only strings with escapes go back through encoding/json.
func decodeValue(raw json.RawMessage, f dataset.Feature) (float64, *InputError) {
	t := bytes.TrimSpace(raw)
	if bytes.Equal(t, []byte("null")) {
		return missing, nil
	}
	isString := len(t) >= 2 && t[0] == '"'
	switch f.Kind {
	case dataset.Categorical:
		if !isString {
			return 0, badInput("wrong_type", "", "nominal column %q takes a string, got %s", f.Name, clip(t))
		}
		v := string(t[1 : len(t)-1])
		if bytes.IndexByte(t, '\\') >= 0 {
			if err := json.Unmarshal(t, &v); err != nil {
				return 0, badInput("wrong_type", "", "nominal column %q takes a string, got %s", f.Name, clip(t))
			}
		}
		i := slices.Index(f.Categories, v)
		if i < 0 {
			return 0, badInput("unknown_value", "", "value %q is not one of column %q's values %s", v, f.Name, quoteList(f.Categories))
		}
		return float64(i), nil
	default:
		if len(t) == 0 || !(t[0] == '-' || (t[0] >= '0' && t[0] <= '9')) {
			return 0, badInput("wrong_type", "", "numeric column %q takes a number, got %s", f.Name, clip(t))
		}
		v, err := strconv.ParseFloat(string(t), 64)
		if err != nil {
			return 0, badInput("wrong_type", "", "numeric column %q: %s is out of range", f.Name, clip(t))
		}
		return v, nil
	}
}

func clip(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}

func quoteList(v []string) string {
	q := make([]string, len(v))
	for i, s := range v {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func featureList(s *dataset.Schema) string {
	names := make([]string, len(s.Features))
	for i, f := range s.Features {
		names[i] = f.Name
	}
	if len(names) > 12 {
		return strings.Join(names[:12], ", ") + fmt.Sprintf(", … (%d in all)", len(names))
	}
	return strings.Join(names, ", ")
}
