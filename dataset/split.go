package dataset

import (
	"fmt"
	"math"
	"slices"
)

// RNG is a SplitMix64 generator. The split and model initialisation use it
// instead of math/rand so that the sequence is fixed by this code alone: a
// validator and a miner built with different Go releases must still agree on
// which rows are held out.
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

// Split fixes a train/validation split of n rows labelled y: within each
// class, a seeded permutation puts round(valFraction·count) rows into
// validation, so both parts keep the class balance. Both index lists come
// back sorted. The same (y, seed, valFraction) always gives the same split.
func Split(y []int, seed uint64, valFraction float64) (train, val []int, err error) {
	if !(valFraction > 0 && valFraction < 1) {
		return nil, nil, fmt.Errorf("dataset: validation fraction %v not in (0, 1)", valFraction)
	}
	classes := 0
	for i, c := range y {
		if c < 0 {
			return nil, nil, fmt.Errorf("dataset: row %d has negative label %d", i, c)
		}
		classes = max(classes, c+1)
	}
	rng := NewRNG(seed)
	for c := 0; c < classes; c++ {
		var rows []int
		for i, yc := range y {
			if yc == c {
				rows = append(rows, i)
			}
		}
		Shuffle(rng, rows)
		k := int(math.Round(valFraction * float64(len(rows))))
		val = append(val, rows[:k]...)
		train = append(train, rows[k:]...)
	}
	slices.Sort(train)
	slices.Sort(val)
	return train, val, nil
}
