package dataset

import "fmt"

// CompiledEncoder is an immutable snapshot of an Encoder for hot paths (a
// serving miner encodes every request with it). Encoder is a plain struct
// whose Columns anyone may change, so its Width is recomputed on each call;
// the snapshot computes the width once and keeps each column's parameters in
// a flat slice, and it encodes a whole row-major matrix without per-row
// slices. Encodings and error messages are Encoder.Encode's, bit for bit
// (the same (x − Mean) / Scale, no precomputed reciprocal). Changing the
// Encoder after Compile does not change the snapshot.
type CompiledEncoder struct {
	cols          []compiledColumn
	names         []string // for error messages
	width         int
	missingAsZero bool
}

type compiledColumn struct {
	categorical bool
	categories  int     // one-hot width of a categorical column
	mean, scale float64 // a numeric column's
}

// Compile snapshots e (which should be valid: Validate).
func (e *Encoder) Compile() *CompiledEncoder {
	c := &CompiledEncoder{cols: make([]compiledColumn, len(e.Columns)), names: make([]string, len(e.Columns)), missingAsZero: e.MissingAsZero}
	for i, ce := range e.Columns {
		c.names[i] = ce.Name
		if ce.Kind == Categorical {
			c.cols[i] = compiledColumn{categorical: true, categories: ce.Categories}
			c.width += ce.Categories
		} else {
			c.cols[i] = compiledColumn{mean: ce.Mean, scale: ce.Scale}
			c.width++
		}
	}
	return c
}

// Width is the length of an encoded row (the Encoder's Width at Compile).
func (c *CompiledEncoder) Width() int { return c.width }

// Columns is the length of a raw row.
func (c *CompiledEncoder) Columns() int { return len(c.cols) }

// Encode writes the encoding of one raw row into dst (len Width()), as
// Encoder.Encode does.
func (c *CompiledEncoder) Encode(row, dst []float64) error {
	if len(row) != len(c.cols) {
		return fmt.Errorf("dataset: row has %d values, want %d", len(row), len(c.cols))
	}
	if len(dst) != c.width {
		return fmt.Errorf("dataset: destination has %d values, want %d", len(dst), c.width)
	}
	return c.encode(row, dst)
}

// EncodeMatrix encodes the row-major matrix raw (rows × Columns()) into dst
// (rows × Width()); an error names the row as EncodeBatch's does ("row 3:
// dataset: feature 5 (…): …").
func (c *CompiledEncoder) EncodeMatrix(raw, dst []float64) error {
	n := len(c.cols)
	if n == 0 || len(raw)%n != 0 {
		return fmt.Errorf("dataset: matrix has %d values, not a whole number of %d-value rows", len(raw), n)
	}
	rows := len(raw) / n
	if len(dst) != rows*c.width {
		return fmt.Errorf("dataset: destination has %d values, want %d rows × %d", len(dst), rows, c.width)
	}
	for r := range rows {
		if err := c.encode(raw[r*n:(r+1)*n:(r+1)*n], dst[r*c.width:(r+1)*c.width:(r+1)*c.width]); err != nil {
			return fmt.Errorf("row %d: %w", r, err)
		}
	}
	return nil
}

// encode is Encode once the lengths are checked (len(row) = len(c.cols),
// len(dst) = c.width).
func (c *CompiledEncoder) encode(row, dst []float64) error {
	row = row[:len(c.cols)]
	clear(dst) // the one-hot blocks' zeros
	o := 0
	for i := range c.cols {
		ce := &c.cols[i]
		v := row[i]
		if v-v != 0 { // NaN or ±Inf (Encode's IsNaN || IsInf, in one compare)
			if v != v && c.missingAsZero { // NaN: missing, its block stays zero
				if ce.categorical {
					o += ce.categories
				} else {
					o++
				}
				continue
			}
			return fmt.Errorf("dataset: feature %d (%s): value %v is not finite", i, c.names[i], v)
		}
		if ce.categorical {
			k := int(v)
			if float64(k) != v || k < 0 || k >= ce.categories {
				return fmt.Errorf("dataset: feature %d (%s): category index %v not in [0, %d)", i, c.names[i], v, ce.categories)
			}
			dst[o+k] = 1
			o += ce.categories
			continue
		}
		dst[o] = (v - ce.mean) / ce.scale
		o++
	}
	return nil
}
