package dataset

import (
	"encoding/json"
	"fmt"
	"math"
)

// Encoder turns raw rows into model inputs: numeric columns are standardised
// as (x − Mean) / Scale, categorical columns become one-hot blocks. Its
// statistics come from the train split only (so validation rows never leak
// into the model), and it is stored in the model file, so a validator and a
// miner encode a row to the same vector.
//
// Encoder is a plain struct with ordered slices and no maps: its JSON form is
// byte-stable, which the model hash relies on.
type Encoder struct {
	Columns []ColumnEncoding `json:"columns"`
	// MissingAsZero makes a NaN raw value a missing value, encoded as the
	// column's zero block: a numeric column's mean (0 once standardised),
	// a categorical column's all-zero one-hot (DESIGN §11). Without it NaN
	// is an error, as in encoders written before missing values existed
	// (omitempty keeps their bytes, and so their model hashes, unchanged).
	MissingAsZero bool `json:"missing_as_zero,omitempty"`
}

// ColumnEncoding is the encoding of one raw column.
type ColumnEncoding struct {
	Name string `json:"name"`
	Kind Kind   `json:"kind"`
	// Categories is the one-hot width of a categorical column.
	Categories int `json:"categories,omitempty"`
	// Mean and Scale standardise a numeric column.
	Mean  float64 `json:"mean,omitempty"`
	Scale float64 `json:"scale,omitempty"`
}

// FitEncoder computes the encoding of schema's features from rows (the train
// split): mean and population standard deviation for numeric columns (a
// constant column gets Scale 1), one-hot width for categorical ones. NaN
// (missing) values are left out of a column's statistics; a column with no
// value at all gets mean 0 and Scale 1.
func FitEncoder(s Schema, rows [][]float64) (*Encoder, error) {
	if len(rows) == 0 {
		return nil, fmt.Errorf("dataset: cannot fit an encoder on zero rows")
	}
	e := &Encoder{Columns: make([]ColumnEncoding, len(s.Features))}
	for c, f := range s.Features {
		ce := ColumnEncoding{Name: f.Name, Kind: f.Kind}
		switch f.Kind {
		case Categorical:
			ce.Categories = len(f.Categories)
		case Numeric:
			// Without NaN this is the plain two-pass mean and deviation
			// over every row, in row order (bit-identical to before).
			var sum float64
			n := 0
			for _, r := range rows {
				if !math.IsNaN(r[c]) {
					sum += r[c]
					n++
				}
			}
			if n > 0 {
				ce.Mean = sum / float64(n)
			}
			var ss float64
			for _, r := range rows {
				if !math.IsNaN(r[c]) {
					d := r[c] - ce.Mean
					ss += d * d
				}
			}
			ce.Scale = math.Sqrt(ss / float64(max(n, 1)))
			if ce.Scale == 0 || math.IsNaN(ce.Scale) {
				ce.Scale = 1
			}
		default:
			return nil, fmt.Errorf("dataset: feature %q has unknown kind %q", f.Name, f.Kind)
		}
		e.Columns[c] = ce
	}
	return e, nil
}

// NewScaleEncoder encodes every feature of s (all numeric) as x/scale: the
// fixed pixel scaling for images, where per-pixel statistics add nothing.
func NewScaleEncoder(s Schema, scale float64) *Encoder {
	e := &Encoder{Columns: make([]ColumnEncoding, len(s.Features))}
	for c, f := range s.Features {
		e.Columns[c] = ColumnEncoding{Name: f.Name, Kind: Numeric, Scale: scale}
	}
	return e
}

// Width is the length of an encoded row.
func (e *Encoder) Width() int {
	w := 0
	for _, c := range e.Columns {
		if c.Kind == Categorical {
			w += c.Categories
		} else {
			w++
		}
	}
	return w
}

// Validate checks the encoder is usable (e.g. after loading it from a file).
func (e *Encoder) Validate() error {
	if len(e.Columns) == 0 {
		return fmt.Errorf("dataset: encoder has no columns")
	}
	for i, c := range e.Columns {
		switch c.Kind {
		case Categorical:
			if c.Categories <= 0 {
				return fmt.Errorf("dataset: encoder column %d (%s): %d categories", i, c.Name, c.Categories)
			}
		case Numeric:
			if c.Scale == 0 || math.IsNaN(c.Scale) || math.IsInf(c.Scale, 0) || math.IsNaN(c.Mean) || math.IsInf(c.Mean, 0) {
				return fmt.Errorf("dataset: encoder column %d (%s): bad mean/scale %v/%v", i, c.Name, c.Mean, c.Scale)
			}
		default:
			return fmt.Errorf("dataset: encoder column %d (%s): unknown kind %q", i, c.Name, c.Kind)
		}
	}
	return nil
}

// Encode writes the encoding of one raw row into dst (len Width()).
func (e *Encoder) Encode(row, dst []float64) error {
	if len(row) != len(e.Columns) {
		return fmt.Errorf("dataset: row has %d values, want %d", len(row), len(e.Columns))
	}
	if len(dst) != e.Width() {
		return fmt.Errorf("dataset: destination has %d values, want %d", len(dst), e.Width())
	}
	o := 0
	for c, ce := range e.Columns {
		v := row[c]
		if math.IsNaN(v) && e.MissingAsZero {
			w := 1
			if ce.Kind == Categorical {
				w = ce.Categories
			}
			clear(dst[o : o+w])
			o += w
			continue
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("dataset: feature %d (%s): value %v is not finite", c, ce.Name, v)
		}
		if ce.Kind == Categorical {
			k := int(v)
			if float64(k) != v || k < 0 || k >= ce.Categories {
				return fmt.Errorf("dataset: feature %d (%s): category index %v not in [0, %d)", c, ce.Name, v, ce.Categories)
			}
			for j := 0; j < ce.Categories; j++ {
				dst[o+j] = 0
			}
			dst[o+k] = 1
			o += ce.Categories
			continue
		}
		dst[o] = (v - ce.Mean) / ce.Scale
		o++
	}
	return nil
}

// EncodeBatch encodes rows into one row-major matrix (len(rows) × Width()).
func (e *Encoder) EncodeBatch(rows [][]float64) ([]float64, error) {
	w := e.Width()
	out := make([]float64, len(rows)*w)
	for i, r := range rows {
		if err := e.Encode(r, out[i*w:(i+1)*w]); err != nil {
			return nil, fmt.Errorf("row %d: %w", i, err)
		}
	}
	return out, nil
}

// MarshalBinary is the encoder's canonical byte form (JSON of ordered
// fields), as stored in model files.
func (e *Encoder) MarshalBinary() ([]byte, error) { return json.Marshal(e) }

// UnmarshalBinary parses MarshalBinary's output and validates it.
func (e *Encoder) UnmarshalBinary(b []byte) error {
	var d Encoder
	if err := json.Unmarshal(b, &d); err != nil {
		return fmt.Errorf("dataset: encoder: %w", err)
	}
	if err := d.Validate(); err != nil {
		return err
	}
	*e = d
	return nil
}
