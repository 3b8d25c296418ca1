package keeper

import (
	"context"
	"math/big"

	"cosmossdk.io/math"

	"github.com/assay-network/assay/x/subnet/types"
)

// ln2 to 18 decimal places, the precision of LegacyDec.
var ln2 = math.LegacyMustNewDecFromStr("0.693147180559945309")

// expTerms bounds the Taylor series of e^-y for y in [0, ln2): the 20th term is
// below 1e-25, far under LegacyDec's 1e-18 resolution.
const expTerms = 20

// pow2Neg returns 2^(-num/den) for 0 <= num < den, with LegacyDec arithmetic
// only, so every node computes the same digits.
func pow2Neg(num, den uint64) math.LegacyDec {
	if num == 0 {
		return math.LegacyOneDec()
	}
	y := ln2.MulInt64(int64(num)).QuoInt64(int64(den))
	sum, term := math.LegacyOneDec(), math.LegacyOneDec()
	for i := int64(1); i <= expTerms; i++ {
		term = term.Mul(y).QuoInt64(i).Neg()
		sum = sum.Add(term)
	}
	return sum
}

// Decay halves amount every halfLife blocks, continuously in between.
func Decay(amount math.Int, elapsed int64, halfLife uint64) math.Int {
	if elapsed <= 0 || amount.IsZero() || halfLife == 0 {
		return amount
	}
	halvings := uint64(elapsed) / halfLife
	if halvings >= 256 {
		return math.ZeroInt()
	}
	halved := math.NewIntFromBigInt(new(big.Int).Rsh(amount.BigInt(), uint(halvings)))
	rem := uint64(elapsed) % halfLife
	return math.LegacyNewDecFromInt(halved).Mul(pow2Neg(rem, halfLife)).TruncateInt()
}

func clampInt(v, lo, hi math.Int) math.Int {
	if v.LT(lo) {
		return lo
	}
	if v.GT(hi) {
		return hi
	}
	return v
}

// RegistrationCostAt is the burn a new neuron pays on subnet s at height:
// the stored burn decayed since it was set, clamped to [min_burn, max_burn].
func RegistrationCostAt(p types.Params, s types.Subnet, height int64) math.Int {
	hp := s.Hyperparams
	return clampInt(Decay(s.Burn, height-s.BurnUpdatedAt, p.BurnHalfLife), hp.MinBurn, hp.MaxBurn)
}

// NextBurn is the stored burn after a registration that paid cost: ×burn_increase, clamped.
func NextBurn(p types.Params, hp types.Hyperparams, cost math.Int) math.Int {
	return clampInt(math.LegacyNewDecFromInt(cost).Mul(p.BurnIncrease).TruncateInt(), hp.MinBurn, hp.MaxBurn)
}

// LockCostAt is DESIGN §3's max(min_lock, 2·last − last·Δ/interval).
func LockCostAt(p types.Params, lastLock math.Int, lastBlock, height int64) math.Int {
	elapsed := height - lastBlock
	if elapsed < 0 {
		elapsed = 0
	}
	cost := lastLock.MulRaw(2).Sub(lastLock.MulRaw(elapsed).QuoRaw(int64(p.LockReductionInterval)))
	if cost.LT(p.MinLock) {
		return p.MinLock
	}
	return cost
}

// RegistrationCost is the current burn for netuid.
func (k *Keeper) RegistrationCost(ctx context.Context, netuid uint16) (math.Int, error) {
	s, err := k.GetSubnet(ctx, netuid)
	if err != nil {
		return math.Int{}, err
	}
	p, err := k.Params.Get(ctx)
	if err != nil {
		return math.Int{}, err
	}
	return RegistrationCostAt(p, s, blockHeight(ctx)), nil
}

// LockCost is the current subnet lock cost.
func (k *Keeper) LockCost(ctx context.Context) (math.Int, error) {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return math.Int{}, err
	}
	last, err := k.LastLock.Get(ctx)
	if err != nil && !isNotFound(err) {
		return math.Int{}, err
	}
	if last.IsNil() {
		last = math.ZeroInt()
	}
	lastBlock, err := k.LastLockBlock.Get(ctx)
	if err != nil && !isNotFound(err) {
		return math.Int{}, err
	}
	return LockCostAt(p, last, lastBlock, blockHeight(ctx)), nil
}
