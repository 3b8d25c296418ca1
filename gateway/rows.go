package gateway

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
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

// InferRequest is the body of POST /v1/subnets/{netuid}/infer.
type InferRequest struct {
	// Rows are objects keyed by feature column: numbers for numeric
	// columns, strings (one of the column's values) for nominal ones, null
	// for a missing value.
	Rows []map[string]json.RawMessage `json:"rows"`
}

// DecodeRows parses an infer body against a task's schema into raw rows
// (numeric values as is, nominal values as their index, missing as NaN:
// the format dataset.Dataset.X and the miners' encoders take). Every
// refusal is an *InputError naming the row and column.
func DecodeRows(body []byte, s *dataset.Schema) ([][]float64, error) {
	var req InferRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return nil, badInput("malformed_json", "", "malformed JSON body: %v", err)
	}
	if dec.More() {
		return nil, badInput("malformed_json", "", "malformed JSON body: more than one JSON value")
	}
	if len(req.Rows) == 0 {
		return nil, badInput("no_rows", "rows", "at least one row is required")
	}
	if len(req.Rows) > MaxRows {
		return nil, &InputError{Status: http.StatusRequestEntityTooLarge, Code: "too_many_rows", Field: "rows",
			Msg: fmt.Sprintf("%d rows, at most %d per request", len(req.Rows), MaxRows)}
	}
	out := make([][]float64, len(req.Rows))
	for i, obj := range req.Rows {
		row, err := decodeRow(obj, s, i)
		if err != nil {
			return nil, err
		}
		out[i] = row
	}
	return out, nil
}

func decodeRow(obj map[string]json.RawMessage, s *dataset.Schema, i int) ([]float64, error) {
	if obj == nil {
		return nil, badInput("bad_row", fmt.Sprintf("rows[%d]", i), "a row is an object keyed by column name")
	}
	row := make([]float64, len(s.Features))
	for c, f := range s.Features {
		field := fmt.Sprintf("rows[%d].%s", i, f.Name)
		raw, ok := obj[f.Name]
		if !ok {
			return nil, badInput("missing_column", field, "column %q is missing (send null for a missing value)", f.Name)
		}
		v, err := decodeValue(raw, f)
		if err != nil {
			err.Field = field
			return nil, err
		}
		row[c] = v
	}
	if len(obj) > len(s.Features) {
		// Name the first unknown column in sorted order, so the answer is
		// the same for the same body.
		var unknown []string
		for k := range obj {
			if s.FeatureIndex(k) < 0 {
				unknown = append(unknown, k)
			}
		}
		slices.Sort(unknown)
		return nil, badInput("unknown_column", fmt.Sprintf("rows[%d].%s", i, unknown[0]),
			"unknown column %q (the task's features are %s)", unknown[0], featureList(s))
	}
	return row, nil
}

// missing is the raw value of a missing feature (dataset: NaN).
var missing = math.NaN()

func decodeValue(raw json.RawMessage, f dataset.Feature) (float64, *InputError) {
	t := bytes.TrimSpace(raw)
	if bytes.Equal(t, []byte("null")) {
		return missing, nil
	}
	switch f.Kind {
	case dataset.Categorical:
		var v string
		if err := json.Unmarshal(t, &v); err != nil {
			return 0, badInput("wrong_type", "", "nominal column %q takes a string, got %s", f.Name, clip(t))
		}
		i := slices.Index(f.Categories, v)
		if i < 0 {
			return 0, badInput("unknown_value", "", "value %q is not one of column %q's values %s", v, f.Name, quoteList(f.Categories))
		}
		return float64(i), nil
	default:
		var v float64
		if err := json.Unmarshal(t, &v); err != nil {
			return 0, badInput("wrong_type", "", "numeric column %q takes a number, got %s", f.Name, clip(t))
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

// errBodyTooLarge is a body over Config.MaxBodyBytes.
var errBodyTooLarge = errors.New("body too large")
