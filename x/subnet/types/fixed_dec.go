package types

import (
	"math/bits"

	"cosmossdk.io/math"

	"github.com/assay-network/assay/x/emission/yuma"
	"github.com/assay-network/assay/x/internal/compact"
)

// The Yuma library's outputs are I32F32; a neuron and an epoch record store
// them as 18-decimal LegacyDec, truncated toward zero: raw·10^18 / 2^32.

const decPrecision = 1_000_000_000_000_000_000

// FixedDecScaled is f as a LegacyDec's 10^18-scaled integer; ok is false
// when that is beyond int64 (|f| > 9.2, never a Yuma output in [0, 1]).
func FixedDecScaled(f yuma.Fixed) (scaled int64, ok bool) {
	raw := f.Raw()
	neg := raw < 0
	mag := uint64(raw)
	if neg {
		mag = -mag
	}
	// 128-bit product; the shift divides by 2^32 and truncates.
	hi, lo := bits.Mul64(mag, decPrecision)
	q := hi<<(64-yuma.FracBits) | lo>>yuma.FracBits
	if hi>>yuma.FracBits != 0 || q > 1<<63-1 {
		return 0, false
	}
	d := int64(q)
	if neg {
		d = -d
	}
	return d, true
}

// FixedToDec is f as the LegacyDec stored and shown for it.
func FixedToDec(f yuma.Fixed) math.LegacyDec {
	d, ok := FixedDecScaled(f)
	if !ok {
		// the exact big-number path
		return math.LegacyNewDec(f.Raw()).QuoInt64(1 << yuma.FracBits)
	}
	// d is already scaled by 10^18: set it in place, without the
	// multiplication by 10^0 that LegacyNewDecWithPrec would do
	dec := math.LegacyZeroDec()
	dec.BigIntMut().SetInt64(d)
	return dec
}

// WriteFixedDec writes f as w.Dec writes FixedToDec(f), without building
// the LegacyDec when it fits int64.
func WriteFixedDec(w *compact.Writer, f yuma.Fixed) {
	if d, ok := FixedDecScaled(f); ok {
		w.Int64(d)
		return
	}
	w.Dec(FixedToDec(f))
}
