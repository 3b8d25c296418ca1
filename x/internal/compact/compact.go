// Package compact is a binary store encoding for the values an epoch reads
// and rewrites in bulk.
package compact

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"

	"cosmossdk.io/collections/codec"
	"cosmossdk.io/math"
)

// An epoch reads and rewrites every neuron and bond row of a subnet and
// writes a record of every UID, and their proto encoding costs more than the
// consensus itself: math.Int and LegacyDec are stored as decimal text and
// each bond entry is a nested message. Those values are therefore stored in
// a compact binary form (integers as varints, a number as decimal text only
// when it does not fit int64), while their Go types, queries and genesis stay
// the proto ones. A compact value starts with Mark, a byte no proto message
// starts with (field number 0 is invalid), so a value stored as proto still
// decodes.
const Mark = 0x00

// ErrMalformed is a compact value that ends early, has bytes left over or
// holds an impossible tag (a corrupted store, never a user's input).
var ErrMalformed = errors.New("compact value truncated or malformed")

// Value is a collections value codec with a compact binary form and
// the proto codec's JSON, string and type name (the schema, genesis and
// queries see no difference).
type Value[T any] struct {
	codec.ValueCodec[T] // the proto codec: JSON, Stringify, ValueType, and decoding proto-encoded values
	Write               func(*Writer, T)
	Read                func(*Reader) T
	// SizeHint is the initial buffer size of an encoded value.
	SizeHint func(T) int
}

func (c Value[T]) Encode(v T) ([]byte, error) {
	size := 64
	if c.SizeHint != nil {
		size = c.SizeHint(v)
	}
	w := Writer{buf: make([]byte, 1, size)} // buf[0] is Mark
	c.Write(&w, v)
	return w.buf, nil
}

func (c Value[T]) Decode(b []byte) (T, error) {
	if len(b) == 0 || b[0] != Mark {
		return c.ValueCodec.Decode(b)
	}
	r := Reader{buf: b[1:]}
	v := c.Read(&r)
	if r.err != nil || len(r.buf) != 0 {
		var zero T
		return zero, fmt.Errorf("%w: %T", ErrMalformed, zero)
	}
	return v, nil
}

// Writer builds a compact value; Reader reads the fields back in the same
// order.
type Writer struct{ buf []byte }

func (w *Writer) Uvarint(v uint64) { w.buf = binary.AppendUvarint(w.buf, v) }
func (w *Writer) Varint(v int64)   { w.buf = binary.AppendVarint(w.buf, v) }

func (w *Writer) Text(s string) {
	w.Uvarint(uint64(len(s)))
	w.buf = append(w.buf, s...)
}

func (w *Writer) Bool(b bool) {
	if b {
		w.buf = append(w.buf, 1)
	} else {
		w.buf = append(w.buf, 0)
	}
}

// BigInt writes an integer as a varint when it fits int64 (tag 0), else as
// decimal text (tag 1). nil is 0, as the proto encoding has it.
func (w *Writer) BigInt(i *big.Int) {
	if i == nil || i.IsInt64() {
		w.buf = append(w.buf, 0)
		if i != nil {
			w.Varint(i.Int64())
		} else {
			w.Varint(0)
		}
		return
	}
	w.buf = append(w.buf, 1)
	w.Text(i.String())
}

func (w *Writer) MathInt(i math.Int) {
	if i.IsNil() {
		w.BigInt(nil)
		return
	}
	w.BigInt(i.BigIntMut())
}

// Int64 writes v as MathInt writes the same integer (and Dec the LegacyDec
// whose 10^18-scaled integer is v), without building either.
func (w *Writer) Int64(v int64) {
	w.buf = append(w.buf, 0)
	w.Varint(v)
}

// Uint64 writes v as MathInt writes the same integer.
func (w *Writer) Uint64(v uint64) {
	if v <= 1<<63-1 {
		w.Int64(int64(v))
		return
	}
	w.buf = append(w.buf, 1)
	w.Text(strconv.FormatUint(v, 10))
}

// Dec writes a LegacyDec as its 10^18-scaled integer.
func (w *Writer) Dec(d math.LegacyDec) {
	if d.IsNil() {
		w.BigInt(nil)
		return
	}
	w.BigInt(d.BigIntMut())
}

// Reader reads what Writer wrote; the first error sticks and
// every later read returns zero values.
type Reader struct {
	buf []byte
	err error
}

func (r *Reader) Fail() { r.err, r.buf = ErrMalformed, nil }

func (r *Reader) Uvarint() uint64 {
	v, n := binary.Uvarint(r.buf)
	if n <= 0 {
		r.Fail()
		return 0
	}
	r.buf = r.buf[n:]
	return v
}

func (r *Reader) Varint() int64 {
	v, n := binary.Varint(r.buf)
	if n <= 0 {
		r.Fail()
		return 0
	}
	r.buf = r.buf[n:]
	return v
}

func (r *Reader) Blob() []byte {
	n := r.Uvarint()
	if n > uint64(len(r.buf)) {
		r.Fail()
		return nil
	}
	b := r.buf[:n:n]
	r.buf = r.buf[n:]
	return b
}

func (r *Reader) Text() string { return string(r.Blob()) }

// Raw appends b as is; the reader takes it back with Take.
func (w *Writer) Raw(b ...byte) { w.buf = append(w.buf, b...) }

// Extend appends n zero bytes and returns them for the caller to fill, so
// fixed-width data is written without an append per field.
func (w *Writer) Extend(n int) []byte {
	w.buf = slices.Grow(w.buf, n)
	start := len(w.buf)
	w.buf = w.buf[:start+n]
	return w.buf[start:]
}

// Take returns the next n bytes (nil and a failed read when fewer are left).
func (r *Reader) Take(n int) []byte {
	if n < 0 || n > len(r.buf) {
		r.Fail()
		return nil
	}
	b := r.buf[:n:n]
	r.buf = r.buf[n:]
	return b
}

// Len is how many bytes are left to read.
func (r *Reader) Len() int { return len(r.buf) }

func (r *Reader) Byte() byte {
	if len(r.buf) == 0 {
		r.Fail()
		return 0
	}
	b := r.buf[0]
	r.buf = r.buf[1:]
	return b
}

func (r *Reader) Bool() bool {
	switch r.Byte() {
	case 0:
		return false
	case 1:
		return true
	}
	r.Fail()
	return false
}

func (r *Reader) BigInt() *big.Int {
	switch r.Byte() {
	case 0:
		return big.NewInt(r.Varint())
	case 1:
		if i, ok := new(big.Int).SetString(r.Text(), 10); ok {
			return i
		}
	}
	r.Fail()
	return new(big.Int)
}

func (r *Reader) MathInt() math.Int {
	i := r.BigInt()
	if i.BitLen() > math.MaxBitLen {
		r.Fail()
		return math.ZeroInt()
	}
	return math.NewIntFromBigIntMut(i)
}

func (r *Reader) Dec() math.LegacyDec {
	if len(r.buf) > 0 && r.buf[0] == 0 {
		// the common case, built in place: the scaling constructors cost
		// a multiplication and a second allocation
		r.buf = r.buf[1:]
		d := math.LegacyZeroDec()
		d.BigIntMut().SetInt64(r.Varint())
		return d
	}
	return math.LegacyNewDecFromBigIntWithPrec(r.BigInt(), math.LegacyPrecision)
}

// Open returns a Reader over b's fields when b is a compact value; ok is
// false when b is proto-encoded (or empty). A caller that reads only some
// fields and rewrites the rest uses Open, Offset and Append instead of a
// whole Value decode.
func Open(b []byte) (r Reader, ok bool) {
	if len(b) == 0 || b[0] != Mark {
		return Reader{}, false
	}
	return Reader{buf: b[1:]}, true
}

// Done is nil when every read succeeded and nothing is left over, the
// condition Value.Decode checks.
func (r *Reader) Done() error {
	if r.err != nil || len(r.buf) != 0 {
		return ErrMalformed
	}
	return nil
}

// SmallInt reads a MathInt stored in its varint form (every integer that
// fits int64) without building it; ok is false, and nothing is read, when
// the next number is in text form (MathInt reads it).
func (r *Reader) SmallInt() (v int64, ok bool) {
	if len(r.buf) == 0 || r.buf[0] != 0 {
		return 0, false
	}
	r.buf = r.buf[1:]
	return r.Varint(), true
}

// SkipInt and SkipDec read past a MathInt or a Dec without building it
// when it is in the common varint form; the text form is decoded, so each
// fails exactly where MathInt or Dec would.
func (r *Reader) SkipInt() {
	if !r.skipVarintNumber() {
		r.MathInt()
	}
}

func (r *Reader) SkipDec() {
	if !r.skipVarintNumber() {
		r.BigInt()
	}
}

func (r *Reader) skipVarintNumber() bool {
	if len(r.buf) == 0 || r.buf[0] != 0 {
		return false
	}
	r.buf = r.buf[1:]
	r.Varint()
	return true
}

// Append returns a Writer that appends to b (b is the start of a compact
// value, Mark included); Bytes returns what it built.
func Append(b []byte) Writer { return Writer{buf: b} }

func (w *Writer) Bytes() []byte { return w.buf }
