package yuma

import (
	"math"
	"math/bits"
)

// bondTarget returns W̃ = W + β(W̄ − W) over W's pattern (step 6).
func bondTarget(w *csr, clipped []Fixed, beta Fixed) []Fixed {
	switch beta {
	case 0:
		return w.vals
	case One:
		return clipped
	}
	out := make([]Fixed, len(w.vals))
	for k, v := range w.vals {
		out[k] = v.Sub(beta.Mul(v.Sub(clipped[k]))) // W̄ ≤ W
	}
	return out
}

// alphaFn computes the EMA coefficient of one bond entry.
type alphaFn func(w, b, c Fixed) Fixed

// bondAlpha picks the α rule of step 7. Liquid alpha applies only when some
// consensus value is non-zero (subtensor's rule); otherwise, and when liquid
// alpha is off, α = 1 − bonds_moving_average.
func bondAlpha(p *Params, c []Fixed) alphaFn {
	fixedAlpha := One.Sub(p.BondsMovingAverage)
	if !p.LiquidAlpha || isZero(c) {
		return func(_, _, _ Fixed) Fixed { return fixedAlpha }
	}
	scale := p.AlphaSigmoidSteepness.Div(FromInt(100))
	low, high := p.AlphaLow, p.AlphaHigh
	span := high.Sub(low)
	of := func(x Fixed) Fixed {
		s := Sigmoid(scale.Mul(x.Sub(Half)))
		return low.Add(s.Mul(span)).Clamp(low, high)
	}
	// x = 0 is the common case (a weight at or below consensus that is not
	// selling, always so with bonds_penalty 1): compute it once.
	atZero := of(0)
	return func(w, b, c Fixed) Fixed {
		var x Fixed
		if w >= b {
			x = w.Sub(c).Clamp(0, One)
		} else {
			x = b.Sub(w).Clamp(0, One)
		}
		if x == 0 {
			return atZero
		}
		return of(x)
	}
}

// emaBonds computes B' (step 7) for every row: the union of W̃'s pattern and
// the previous bonds (bonds to UIDs registered after the last epoch dropped),
// B'_ij = clamp(α_ij·W̃_ij + (1 − α_ij)·B_ij, 0, 1), zero entries dropped.
// Every entry decays, including bonds whose weight is now 0.
func emaBonds(in *Input, w *csr, target, c []Fixed) *csr {
	n := len(in.Stake)
	alpha := bondAlpha(&in.Params, c)
	reset := func(j uint16) bool { return in.RegisteredAt[j] > in.LastEpochBlock }
	capacity := len(w.cols)
	for _, row := range in.Bonds {
		capacity += len(row)
	}
	out := &csr{
		start: make([]int32, n+1),
		cols:  make([]uint16, 0, capacity),
		vals:  make([]Fixed, 0, capacity),
	}
	emit := func(j uint16, wv, bv Fixed) {
		a := alpha(wv, bv, c[j])
		v := a.Mul(wv).Add(One.Sub(a).Mul(bv)).Clamp(0, One)
		if v > 0 {
			out.cols = append(out.cols, j)
			out.vals = append(out.vals, v)
		}
	}
	for i := range n {
		out.start[i] = int32(len(out.cols))
		a, end := w.start[i], w.start[i+1]
		var brow []Entry
		if i < len(in.Bonds) {
			brow = in.Bonds[i]
		}
		k := 0
		for a < end || k < len(brow) {
			switch {
			case k < len(brow) && reset(brow[k].UID):
				k++
			case k >= len(brow) || (a < end && w.cols[a] < brow[k].UID):
				emit(w.cols[a], target[a], 0)
				a++
			case a >= end || brow[k].UID < w.cols[a]:
				emit(brow[k].UID, 0, brow[k].Value)
				k++
			default: // same column
				emit(w.cols[a], target[a], brow[k].Value)
				a++
				k++
			}
		}
	}
	out.start[n] = int32(len(out.cols))
	return out
}

// dividends computes D_i ∝ S_act,i · Σ_j B̂_ij·I_j with B̂ = B' normalised per
// column (step 8), normalised. B̂_ij·I_j is computed as B'_ij·(I_j/Σ_i B'_ij)
// with the per-column factor in unsigned Q32.32, so the cost is one multiply
// per bond.
func dividends(b *csr, incentive, sAct []Fixed) []Fixed {
	n := len(incentive)
	colSum := make([]uint64, n)
	for k, j := range b.cols {
		colSum[j] += uint64(b.vals[k])
	}
	factor := make([]uint64, n)
	for j, s := range colSum {
		if s == 0 || incentive[j] <= 0 {
			continue
		}
		iv := uint64(incentive[j])
		hi, lo := iv>>(64-FracBits), iv<<FracBits
		if hi >= s {
			factor[j] = math.MaxUint64
			continue
		}
		factor[j], _ = bits.Div64(hi, lo, s)
	}
	d := make([]Fixed, n)
	for i := range n {
		if sAct[i] == 0 {
			continue
		}
		var acc uint64
		for k := b.start[i]; k < b.start[i+1]; k++ {
			hi, lo := bits.Mul64(uint64(b.vals[k]), factor[b.cols[k]])
			acc += hi<<(64-FracBits) | lo>>FracBits // ≤ I_j, so Σ ≤ ΣI
		}
		d[i] = Fixed(min(acc, math.MaxInt64)).Mul(sAct[i])
	}
	normalize(d)
	return d
}
