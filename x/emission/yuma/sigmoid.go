package yuma

import "math/bits"

// Fixed-point exponential and logistic function for liquid alpha. The work
// is done in unsigned Q2.62 (62 fractional bits) and rounded to Fixed once,
// so the result is within 1 ulp (2^-32) of the exact value. Everything is
// integer arithmetic; the tables are computed at init by the same integer
// series, so they are identical on every platform.

const (
	q62    = 62
	q62One = uint64(1) << q62
	ln2Q62 = uint64(3196577161300663915) // ln 2 · 2^62, rounded to nearest
	// stepQ62 is ln 2 / 64 · 2^62: the range-reduction step.
	stepQ62 = (ln2Q62 + 32) / 64
	// seriesTerms: the remainder after reduction is below ln2/64 < 0.011,
	// and 0.011^7/7! < 2^-64.
	seriesTerms = 7
)

var (
	// invFact[k] = 2^62 / k!.
	invFact [seriesTerms + 1]uint64
	// expStep[m] = e^(-m·ln2/64) in Q62, m = 0..63.
	expStep [64]uint64
)

func init() {
	f := q62One
	for k := range invFact {
		if k > 0 {
			f /= uint64(k)
		}
		invFact[k] = f
	}
	for m := range expStep {
		// e^(-m·step) = (e^(-step))^m, by repeated multiplication in Q62.
		if m == 0 {
			expStep[0] = q62One
			continue
		}
		expStep[m] = mulQ62(expStep[m-1], expSeries(stepQ62))
	}
}

func mulQ62(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi<<(64-q62) | lo>>q62
}

// expSeries returns e^(-r) in Q62 for 0 ≤ r ≤ ln2/64 in Q62, by Horner's
// rule on the alternating Taylor series: every partial value stays in (0, 1].
func expSeries(r uint64) uint64 {
	p := invFact[seriesTerms]
	for k := seriesTerms - 1; k >= 0; k-- {
		p = invFact[k] - mulQ62(r, p)
	}
	return p
}

// expNeg returns e^(-x) for x ≥ 0 as Q2.62, with x given as a Fixed.
func expNeg(x Fixed) uint64 {
	if x <= 0 {
		return q62One
	}
	// x = k·step + r with 0 ≤ r < step, x in Q62 as a 128-bit value; then
	// e^-x = 2^-(k/64) · e^-((k mod 64)·step) · e^-r.
	mag := uint64(x)
	hi, lo := mag>>(64-(q62-FracBits)), mag<<(q62-FracBits)
	if hi >= stepQ62 {
		return 0
	}
	k, r := bits.Div64(hi, lo, stepQ62)
	if k>>6 >= q62 {
		return 0 // e^-x < 2^-62
	}
	return mulQ62(expStep[k&63], expSeries(r)) >> (k >> 6)
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
	numer := q62One
	if neg {
		numer = e
	}
	// numer/den in Q62: (numer << 62) / den; numer ≤ den so it fits.
	q, _ := bits.Div64(numer>>(64-q62), numer<<q62, den)
	return Fixed((q + 1<<(q62-FracBits-1)) >> (q62 - FracBits))
}
