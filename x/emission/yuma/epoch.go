package yuma

// Epoch runs one Yuma 3 epoch over a subnet (DESIGN §5). It validates the
// input and returns a *FieldError naming the bad field; it never panics on
// any input. The cost is O(n·log n + nnz) (expected) for n UIDs and nnz
// weights plus bonds, and the result depends only on the input.
func Epoch(in Input) (Output, error) {
	if err := in.Validate(); err != nil {
		return Output{}, err
	}
	p := &in.Params
	n := len(in.Stake)

	// 1. Stake, activity, permits, active stake.
	s := normalizeStake(in.Stake, p.MinValidatorStake)
	active := activeMask(in.LastUpdate, p.ActivityCutoff, in.Block)
	permit := TopStakePermits(in.Stake, p.MinValidatorStake, p.MaxValidators)
	sAct := activeStake(s, active, in.PrevPermit)

	// 2. Masked, row-normalised weights.
	w := maskedWeights(&in)

	// 3–5. Consensus, clipping, validator trust, incentive.
	c := consensus(w, sAct, p.Kappa, n)
	clipped, trust, incentive := clip(w, c, sAct)
	normalize(incentive)

	// 6–8. Bonds and dividends.
	target := bondTarget(w, clipped, p.BondsPenalty)
	bonds := emaBonds(&in, w, target, c)
	div := dividends(bonds, incentive, sAct)

	out := Output{
		Stake:          s,
		Active:         active,
		ActiveStake:    sAct,
		Consensus:      c,
		ValidatorTrust: trust,
		Incentive:      incentive,
		Dividends:      div,
		Permit:         permit,
		Bonds:          bondRows(bonds, permit),
	}

	// 9. Validator-side shares with the zero-incentive fallback.
	switch {
	case !isZero(incentive):
		out.ValidatorShares = div
	case !isZero(sAct):
		out.ValidatorShares, out.Fallback = sAct, true
	default:
		out.ValidatorShares, out.Fallback = s, true
	}
	return out, nil
}

// bondRows converts B' to per-UID rows sharing one backing array; rows of
// UIDs without a new permit are cleared (nil) (subtensor drops the bonds of a UID
// that loses or never had a permit).
func bondRows(b *csr, permit []bool) [][]Entry {
	n := len(permit)
	size := 0
	for i := range n {
		if permit[i] {
			size += int(b.start[i+1] - b.start[i])
		}
	}
	backing := make([]Entry, 0, size)
	rows := make([][]Entry, n)
	for i := range n {
		if !permit[i] {
			continue
		}
		cols, vals := b.row(i)
		if len(cols) == 0 {
			continue
		}
		first := len(backing)
		for k, j := range cols {
			backing = append(backing, Entry{UID: j, Value: vals[k]})
		}
		rows[i] = backing[first:len(backing):len(backing)]
	}
	return rows
}
