package yuma

import "slices"

// consensus returns C (DESIGN §5 step 3): per column j the largest c with
// Σ_i S_act,i·[W_ij ≥ c] ≥ κ·ΣS_act, 0 if none. Only rows with active stake
// vote; a voting row without an entry for j votes 0. With ΣS_act exactly 1
// the threshold is κ; scaling by ΣS_act keeps κ = 1 meaningful despite the
// rounding of S_act. Cost: O(nnz·log(nnz/n)).
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
		col := keys[count[j]:count[j+1]]
		slices.Sort(col)
		// Walk from the largest weight down; a group of equal weights is
		// added whole, so the running sum at the end of a group is exactly
		// Σ S_act·[W ≥ value].
		var acc Fixed
		for k := len(col) - 1; k >= 0; k-- {
			acc = acc.Add(sAct[col[k]&0xffff])
			v := Fixed(col[k] >> 16)
			if k > 0 && Fixed(col[k-1]>>16) == v {
				continue
			}
			if acc >= threshold {
				c[j] = v
				break
			}
		}
	}
	return c
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
