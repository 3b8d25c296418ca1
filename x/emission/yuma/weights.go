package yuma

// csr is a sparse matrix in compressed-row form: row i holds the entries
// cols[start[i]:start[i+1]] (ascending) with values vals[...]. The clipped
// and bond-target weights share W's pattern, so they are just other value
// arrays over the same csr.
type csr struct {
	start []int32
	cols  []uint16
	vals  []Fixed
}

func (m *csr) row(i int) (cols []uint16, vals []Fixed) {
	a, b := m.start[i], m.start[i+1]
	return m.cols[a:b], m.vals[a:b]
}

// maskedWeights builds W (DESIGN §5 step 2): rows of UIDs without a previous
// permit are dropped, self-weights are dropped, w_ij is dropped when i last
// updated its weights at or before the block j registered at, zero entries
// are dropped, and each remaining row is normalised to sum 1 (rounded toward
// zero).
func maskedWeights(in *Input) *csr {
	n := len(in.Stake)
	nnz := 0
	if in.PrevPermit != nil {
		for i, row := range in.Weights {
			if in.PrevPermit[i] {
				nnz += len(row)
			}
		}
	}
	m := &csr{
		start: make([]int32, n+1),
		cols:  make([]uint16, 0, nnz),
		vals:  make([]Fixed, 0, nnz),
	}
	for i := range n {
		m.start[i] = int32(len(m.cols))
		if in.PrevPermit == nil || !in.PrevPermit[i] || i >= len(in.Weights) {
			continue
		}
		lu := in.LastUpdate[i]
		first := len(m.cols)
		var total uint64
		for _, w := range in.Weights[i] {
			j := int(w.UID)
			if w.Value == 0 || j == i || lu <= in.RegisteredAt[j] {
				continue
			}
			m.cols = append(m.cols, w.UID)
			m.vals = append(m.vals, Fixed(w.Value)) // raw for now
			total += uint64(w.Value)
		}
		for k := first; k < len(m.vals); k++ {
			// raw·2^32 < 2^48: exact integer division, rounded toward zero.
			m.vals[k] = Fixed((uint64(m.vals[k]) << FracBits) / total)
		}
	}
	m.start[n] = int32(len(m.cols))
	return m
}
