// Package schedule is Assay's emission schedule and subnet split as pure
// integer functions (no SDK imports), so the keeper only wires state to them
// and tests can table them exhaustively.
//
// Block reward (DESIGN §4): reward = initial · 2^-floor(log2(1 / (1 − issued/cap))),
// i.e. it halves when issuance crosses 50%, 75%, 87.5%, … of the cap. With
// remaining = cap − issued, the exponent is the largest k with
// remaining·2^k ≤ cap, computed with integer shifts only. The last reward is
// trimmed so issuance never exceeds the cap.
package schedule

import "math/bits"

const (
	// MicroPerAssay is uassay per ASSAY.
	MicroPerAssay uint64 = 1_000_000
	// SupplyCap is 21,000,000 ASSAY in uassay.
	SupplyCap uint64 = 21_000_000 * MicroPerAssay
	// InitialReward is 1 ASSAY per block in uassay.
	InitialReward uint64 = 1 * MicroPerAssay
)

// Halvings is floor(log2(cap / (cap − issued))): how many times the reward has
// halved at this issuance. It is 64 once nothing remains.
func Halvings(issued, cap uint64) uint {
	if issued >= cap {
		return 64
	}
	remaining := cap - issued
	k := uint(0)
	// remaining·2^(k+1) ≤ cap, without overflow: remaining ≤ cap >> (k+1)
	for k < 63 && remaining <= cap>>(k+1) {
		k++
	}
	return k
}

// BlockReward is the reward for the next block given what has been issued.
func BlockReward(issued, cap, initial uint64) uint64 {
	if issued >= cap {
		return 0
	}
	k := Halvings(issued, cap)
	if k >= 64 {
		return 0
	}
	r := initial >> k
	if remaining := cap - issued; r > remaining {
		r = remaining
	}
	return r
}

// NextHalving returns how many more uassay must be issued before the reward
// halves again, and the height at which that happens if every block from
// height+1 on mints BlockReward. ok is false when the reward is already 0.
func NextHalving(issued, cap, initial uint64, height int64) (threshold uint64, at int64, ok bool) {
	r := BlockReward(issued, cap, initial)
	if r == 0 {
		return 0, 0, false
	}
	k := Halvings(issued, cap)
	// issuance at which remaining first drops to cap >> (k+1)
	threshold = cap - cap>>(k+1)
	if threshold <= issued {
		threshold = issued + 1
	}
	blocks := (threshold - issued + r - 1) / r
	return threshold, height + int64(blocks), true
}

// ISqrt is floor(sqrt(x)) by Newton's method on integers.
func ISqrt(x uint64) uint64 {
	if x < 2 {
		return x
	}
	// start above the root: 2^ceil(bits/2)
	r := uint64(1) << ((bits.Len64(x) + 1) / 2)
	for {
		next := (r + x/r) / 2
		if next >= r {
			return r
		}
		r = next
	}
}

// mulDiv is floor(a·b/c) with a 128-bit intermediate; c > 0 and the result
// must fit 64 bits (true here: b ≤ c).
func mulDiv(a, b, c uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	q, _ := bits.Div64(hi, lo, c)
	return q
}

// Split divides amount pro rata to weights, rounding each share down; the
// remainder (amount − Σ parts) is returned for the caller to carry. With no
// positive weight everything is remainder.
func Split(amount uint64, weights []uint64) (parts []uint64, remainder uint64) {
	parts = make([]uint64, len(weights))
	var total uint64
	for _, w := range weights {
		total += w
	}
	if total == 0 || amount == 0 {
		return parts, amount
	}
	var paid uint64
	for i, w := range weights {
		parts[i] = mulDiv(amount, w, total)
		paid += parts[i]
	}
	return parts, amount - paid
}

// Rule names for the subnet split param.
const (
	RuleSqrtStake = "sqrt_stake"
	RuleEqual     = "equal"
)

// SubnetWeights turns each subnet's total stake into its split weight under
// rule: sqrt(stake) or 1, and 0 for a subnet without stake either way.
// ok is false for an unknown rule.
func SubnetWeights(rule string, stakes []uint64) (weights []uint64, ok bool) {
	weights = make([]uint64, len(stakes))
	for i, s := range stakes {
		if s == 0 {
			continue
		}
		switch rule {
		case RuleSqrtStake:
			weights[i] = ISqrt(s)
		case RuleEqual:
			weights[i] = 1
		default:
			return nil, false
		}
	}
	return weights, true
}
