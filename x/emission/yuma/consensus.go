package yuma

import "slices"

// consensus returns C (DESIGN §5 step 3): per column j the largest c with
// Σ_i S_act,i·[W_ij ≥ c] ≥ κ·ΣS_act, 0 if none. Only rows with active stake
// vote; a voting row without an entry for j votes 0. With ΣS_act exactly 1
// the threshold is κ; scaling by ΣS_act keeps κ = 1 meaningful despite the
// rounding of S_act. Cost: O(n + nnz) expected (quickselect per column).
func consensus(w *csr, sAct []Fixed, kappa Fixed, n int) []Fixed {
	c := make([]Fixed, n)
	total := sum(sAct)
	if total == 0 {
		return c
	}
	threshold := kappa.Mul(total)

	// Transpose the voting entries into columns. Each key packs the weight
	// (≤ 2^32, 33 bits) above the row index (16 bits), so sorting the keys
	// orders a column by weight and the row is recovered for its stake.
	count := make([]int32, n+1)
	for i := range n {
		if sAct[i] == 0 {
			continue
		}
		cols, _ := w.row(i)
		for _, j := range cols {
			count[j+1]++
		}
	}
	for j := range n {
		count[j+1] += count[j]
	}
	keys := make([]uint64, count[n])
	fill := slices.Clone(count[:n])
	for i := range n {
		if sAct[i] == 0 {
			continue
		}
		cols, vals := w.row(i)
		for k, j := range cols {
			keys[fill[j]] = uint64(vals[k])<<16 | uint64(i)
			fill[j]++
		}
	}
	for j := range n {
		c[j] = kappaQuantile(keys[count[j]:count[j+1]], sAct, threshold)
	}
	return c
}

// kappaQuantile returns the largest weight c in col with Σ stake·[w ≥ c] ≥
// threshold, or 0 if there is none. col holds keys weight<<16|row and is
// reordered. It is a weighted quickselect (expected linear time); the answer
// is a function of the multiset of (weight, stake) pairs only, so the pivot
// choice cannot change it.
func kappaQuantile(col []uint64, stake []Fixed, threshold Fixed) Fixed {
	for len(col) > 0 {
		pivot := col[len(col)/2] >> 16
		// Three-way partition: [0, gt) > pivot, [gt, lt) == pivot, [lt, len) < pivot.
		gt, i, lt := 0, 0, len(col)
		var above, equal Fixed
		for i < lt {
			switch v := col[i] >> 16; {
			case v > pivot:
				above = above.Add(stake[col[i]&0xffff])
				col[gt], col[i] = col[i], col[gt]
				gt++
				i++
			case v < pivot:
				lt--
				col[lt], col[i] = col[i], col[lt]
			default:
				equal = equal.Add(stake[col[i]&0xffff])
				i++
			}
		}
		switch {
		case gt > 0 && above >= threshold:
			col = col[:gt]
		case above.Add(equal) >= threshold:
			return Fixed(pivot)
		default:
			threshold = threshold.Sub(above.Add(equal))
			col = col[lt:]
		}
	}
	return 0
}

// clip returns W̄ = min(W, C) over W's pattern, the validator trust
// VT_i = Σ_j W̄_ij and the ranks R_j = Σ_i W̄_ij·S_act,i (steps 4–5).
func clip(w *csr, c, sAct []Fixed) (clipped, trust, rank []Fixed) {
	n := len(c)
	clipped = make([]Fixed, len(w.vals))
	trust = make([]Fixed, n)
	rank = make([]Fixed, n)
	for i := range n {
		a, b := w.start[i], w.start[i+1]
		var t Fixed
		for k := a; k < b; k++ {
			j := w.cols[k]
			v := min(w.vals[k], c[j])
			clipped[k] = v
			t = t.Add(v)
			if sAct[i] != 0 {
				rank[j] = rank[j].Add(v.Mul(sAct[i]))
			}
		}
		trust[i] = t
	}
	return clipped, trust, rank
}
