package types

import (
	"math"

	sdkmath "cosmossdk.io/math"
)

// SaturatingUint64 converts an on-chain amount for the integer libraries
// (Yuma, the emission schedule): negative or nil is 0 and anything above
// 2^64−1 is 2^64−1. Real amounts are far below that (the whole supply is
// ~2^45 uassay), so saturation only guards against a corrupt value.
func SaturatingUint64(v sdkmath.Int) uint64 {
	if v.IsNil() || v.IsNegative() {
		return 0
	}
	if !v.IsUint64() {
		return math.MaxUint64
	}
	return v.Uint64()
}
