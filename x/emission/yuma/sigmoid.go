package yuma

import "math/bits"

// Fixed-point exponential and logistic function for liquid alpha. The work
// is done in unsigned Q2.62 (62 fractional bits) and rounded to Fixed once,
// so the result is within 1 ulp (2^-32) of the exact value.

const (
	q62     = 62
	q62One  = uint64(1) << q62
	ln2Q62  = uint64(3196577161300663915) // ln 2 · 2^62, rounded to nearest
	expTerm = 24                          // Taylor terms: (ln 2)^24/24! < 2^-80
)

// expNegSmallQ62 returns e^(-r) in Q2.62 for 0 ≤ r < ln 2 given in Q2.62.
func expNegSmallQ62(r uint64) uint64 {
	// Alternating series e^-r = Σ (-r)^k/k!; every term is below 1.
	sum := q62One
	term := q62One
	for k := uint64(1); k <= expTerm; k++ {
		hi, lo := bits.Mul64(term, r)
		term = (hi<<(64-q62) | lo>>q62) / k
		if term == 0 {
			break
		}
		if k%2 == 1 {
			sum -= term
		} else {
			sum += term
		}
	}
	return sum
}

// expNeg returns e^(-x) for x ≥ 0 as Q2.62, with x given as a Fixed.
func expNeg(x Fixed) uint64 {
	if x <= 0 {
		return q62One
	}
	// Range reduction x = k·ln2 + r, 0 ≤ r < ln2, with x in Q62 as a 128-bit
	// value; then e^-x = e^-r / 2^k.
	mag := uint64(x)
	hi, lo := mag>>(64-(q62-FracBits)), mag<<(q62-FracBits) // x in Q62 as 128 bits
	if hi >= ln2Q62 {
		return 0
	}
	k, r := bits.Div64(hi, lo, ln2Q62)
	if k >= 62 {
		return 0 // e^-x < 2^-62
	}
	return expNegSmallQ62(r) >> k
}

// sigmoidExpBound clamps the logistic exponent as subtensor does.
var sigmoidExpBound = FromInt(20)

// Sigmoid returns the logistic function 1/(1+e^(-z)), with z clamped to
// [-20, 20] first.
func Sigmoid(z Fixed) Fixed {
	z = z.Clamp(-sigmoidExpBound, sigmoidExpBound)
	neg := z < 0
	if neg {
		z = -z
	}
	e := expNeg(z) // e^-|z| in (0, 1], Q2.62
	// σ(|z|) = 1/(1+e), σ(-|z|) = e/(1+e); compute in Q62 then round to Q32.
	den := q62One + e // < 2^63
	var numer uint64 = q62One
	if neg {
		numer = e
	}
	// numer/den in Q62: (numer << 62) / den; numer ≤ den so it fits.
	nh, nl := numer>>(64-q62), numer<<q62
	q, _ := bits.Div64(nh, nl, den)
	return Fixed((q + 1<<(q62-FracBits-1)) >> (q62 - FracBits))
}
