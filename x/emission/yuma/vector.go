package yuma

import "math/bits"

// sum adds a vector exactly (int64 arithmetic is associative, so the order
// does not matter), saturating.
func sum(x []Fixed) Fixed {
	var s Fixed
	for _, v := range x {
		s = s.Add(v)
	}
	return s
}

// isZero reports whether every element is 0.
func isZero(x []Fixed) bool {
	for _, v := range x {
		if v != 0 {
			return false
		}
	}
	return true
}

// normalize scales a non-negative vector in place to sum 1, each element
// rounded toward zero (so the sum is in (1 − n·2^-32, 1]); an all-zero vector
// is left alone. Equal inputs give equal outputs.
func normalize(x []Fixed) {
	var hi, lo uint64
	for _, v := range x {
		if v > 0 {
			var c uint64
			lo, c = bits.Add64(lo, uint64(v), 0)
			hi += c
		}
	}
	if hi == 0 && lo == 0 {
		return
	}
	// If the sum overflows 64 bits, drop low bits of every element and sum
	// the shifted elements again (the sum of shifted values is what they are
	// normalised by, so the result still sums to 1 within n·2^-32).
	shift := uint(0)
	if hi != 0 {
		shift = uint(64 - bits.LeadingZeros64(hi))
		lo = 0
		for _, v := range x {
			if v > 0 {
				lo += uint64(v) >> shift
			}
		}
	}
	for i, v := range x {
		if v <= 0 {
			x[i] = 0
			continue
		}
		x[i] = ratioQ32(uint64(v)>>shift, lo)
	}
}

// ratioQ32 returns a/b (a ≤ b, b > 0) as a Fixed in [0, 1], rounded toward zero.
func ratioQ32(a, b uint64) Fixed {
	if a >= b {
		return One
	}
	q, _ := bits.Div64(a>>(64-FracBits), a<<FracBits, b)
	return Fixed(q)
}

// normalizeStake turns raw stakes into S = stake/Σstake, rounded toward zero.
func normalizeStake(stake []uint64, minStake uint64) []Fixed {
	var hi, lo uint64
	for _, s := range stake {
		if s >= minStake {
			var c uint64
			lo, c = bits.Add64(lo, s, 0)
			hi += c
		}
	}
	out := make([]Fixed, len(stake))
	if hi == 0 && lo == 0 {
		return out
	}
	shift := uint(0)
	if hi != 0 { // see normalize
		shift = uint(64 - bits.LeadingZeros64(hi))
		lo = 0
		for _, s := range stake {
			if s >= minStake {
				lo += s >> shift
			}
		}
	}
	for i, s := range stake {
		if s >= minStake && s != 0 {
			out[i] = ratioQ32(s>>shift, lo)
		}
	}
	return out
}
