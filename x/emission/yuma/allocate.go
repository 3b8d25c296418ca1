package yuma

import (
	"cmp"
	"math/big"
	"math/bits"
	"slices"
)

// Allocate splits amount in proportion to shares (negative shares count as
// 0) exactly: each part is floor(amount·share/Σshares), and the units left
// over go one each to the largest fractional remainders, ties to the lower
// index. Σparts + remainder == amount always; remainder is non-zero only
// when every share is zero (then it is the whole amount).
func Allocate(amount uint64, shares []Fixed) (parts []uint64, remainder uint64) {
	parts = make([]uint64, len(shares))
	var hi, lo uint64
	for _, s := range shares {
		if s > 0 {
			var c uint64
			lo, c = bits.Add64(lo, uint64(s), 0)
			hi += c
		}
	}
	if hi == 0 && lo == 0 {
		return parts, amount
	}
	// rem[i] is the fractional remainder numerator (denominator: the sum).
	type rem struct {
		idx int
		r   big.Int
	}
	var rems []rem
	var small []uint64
	var given uint64
	if hi == 0 {
		small = make([]uint64, len(shares))
		for i, s := range shares {
			if s <= 0 {
				continue
			}
			ph, pl := bits.Mul64(amount, uint64(s))
			// ph < lo because s ≤ Σ, so the quotient fits in 64 bits.
			parts[i], small[i] = bits.Div64(ph, pl, lo)
			given += parts[i]
		}
	} else {
		total := new(big.Int).SetUint64(hi)
		total.Lsh(total, 64).Or(total, new(big.Int).SetUint64(lo))
		amt := new(big.Int).SetUint64(amount)
		rems = make([]rem, len(shares))
		var q big.Int
		for i, s := range shares {
			rems[i].idx = i
			if s <= 0 {
				continue
			}
			q.Mul(amt, big.NewInt(int64(s)))
			q.QuoRem(&q, total, &rems[i].r)
			parts[i] = q.Uint64()
			given += parts[i]
		}
	}
	left := amount - given // < number of positive shares
	if left == 0 {
		return parts, 0
	}
	order := make([]int, 0, len(shares))
	for i, s := range shares {
		if s > 0 {
			order = append(order, i)
		}
	}
	slices.SortFunc(order, func(a, b int) int {
		var c int
		if small != nil {
			c = cmp.Compare(small[b], small[a])
		} else {
			c = rems[b].r.Cmp(&rems[a].r)
		}
		if c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	for _, i := range order[:left] {
		parts[i]++
	}
	return parts, 0
}
