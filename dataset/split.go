package dataset

import (
	"math"
)

// RNG is a SplitMix64 generator. Model initialisation and the validator's
// challenge sampling use it instead of math/rand so that the sequence is
// fixed by this code alone: a seed gives the same model and the same
// challenges under every Go release. (The split is SplitByHash.)
type RNG struct{ state uint64 }

// NewRNG returns a generator seeded with seed.
func NewRNG(seed uint64) *RNG { return &RNG{state: seed} }

// Uint64 returns the next 64 random bits.
func (r *RNG) Uint64() uint64 {
	r.state += 0x9e3779b97f4a7c15
	z := r.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Float64 returns a uniform value in [0, 1).
func (r *RNG) Float64() float64 { return float64(r.Uint64()>>11) / (1 << 53) }

// Intn returns a uniform value in [0, n); n must be positive.
func (r *RNG) Intn(n int) int {
	// Rejection sampling keeps the result unbiased for any n.
	bound := uint64(n)
	limit := math.MaxUint64 - math.MaxUint64%bound
	for {
		if v := r.Uint64(); v < limit {
			return int(v % bound)
		}
	}
}

// Shuffle permutes s in place (Fisher–Yates).
func Shuffle[T any](r *RNG, s []T) {
	for i := len(s) - 1; i > 0; i-- {
		j := r.Intn(i + 1)
		s[i], s[j] = s[j], s[i]
	}
}
