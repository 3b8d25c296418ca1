package keeper

import (
	"context"
	"math/bits"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/internal/opened"
	"github.com/assay-network/assay/x/subnet/types"
)

// A hotkey's stake on a subnet has one source of truth, its StakePools
// entry. Two views of it are cached because hot paths read them: the
// neuron's Stake (the epoch and the permit ranking read every UID's stake
// with the neuron record they already load) and SubnetStake (the per-block
// emission split reads one total per subnet instead of walking its pools).
// setPool (and creditPools, its batch form for an epoch's rewards) are the
// only functions that write a pool, and they write both views from the pool
// in the same step, so they cannot drift.

// GetStakePool returns the pool of (netuid, hotkey), empty when none exists.
func (k *Keeper) GetStakePool(ctx context.Context, netuid uint16, hotkey sdk.AccAddress) (types.StakePool, error) {
	p, err := k.StakePools.Get(ctx, joinHotkey(netuid, hotkey))
	if isNotFound(err) {
		return types.EmptyPool(), nil
	}
	return p, err
}

// PoolStake is the stake a pool gives its hotkey: total_stake while the pool
// has shares. A pool whose last share is gone holds only rounding dust, which
// belongs to StakeRemainder, so it gives no stake.
func PoolStake(p types.StakePool) math.Int {
	if !hasShares(p) || p.TotalStake.IsNil() {
		return math.ZeroInt()
	}
	return p.TotalStake
}

func hasShares(p types.StakePool) bool {
	return !p.TotalShares.IsNil() && p.TotalShares.IsPositive()
}

// setPool stores the pool of n's hotkey (hotkey is n's address) and derives
// the views from it: SubnetStake moves by the change in PoolStake and
// n.Stake becomes PoolStake. A pool without shares is deleted and its dust
// moved to the remainder.
func (k *Keeper) setPool(ctx context.Context, n types.Neuron, hotkey sdk.AccAddress, pool types.StakePool) error {
	netuid := uint16(n.Netuid)
	before, err := k.GetStakePool(ctx, netuid, hotkey)
	if err != nil {
		return err
	}
	stake := PoolStake(pool)
	if err := k.adjustSubnetStake(ctx, netuid, stake.Sub(PoolStake(before))); err != nil {
		return err
	}
	if err := k.storePool(ctx, netuid, hotkey, pool); err != nil {
		return err
	}
	n.Stake = stake
	return k.Neurons.Set(ctx, joinUID(netuid, uint16(n.Uid)), n)
}

// creditPools is setPool for an epoch's stake rewards, in one pass: each
// credited pool gains its amount (a pool without shares hands it to the
// remainder, as AddRewardToStakePool does), the neurons' Stake views are
// set in the caller's stakes (by UID), which the caller writes, and
// SubnetStake moves once by the total. It reports which neurons changed.
func (k *Keeper) creditPools(ctx context.Context, netuid uint16, stakes []math.Int, credits []types.StakeCredit) ([]bool, error) {
	changed := make([]bool, len(stakes))
	total := math.ZeroInt()
	var sum uint64                                          // credited, not yet in total
	pools := opened.Open(ctx, k.storeService, k.epochPools) // one store for every pool
	for _, c := range credits {
		switch {
		case int(c.UID) >= len(stakes):
			return nil, types.ErrNeuronNotFound.Wrapf("reward for uid %d: netuid %d has %d neurons", c.UID, netuid, len(stakes))
		case c.Amount == 0:
			continue
		}
		key := joinHotkey(netuid, c.Hotkey)
		pool, _, err := pools.Find(key) // none: an empty pool
		if err != nil {
			return nil, err
		}
		if !pool.hasShares() {
			if err := k.addRemainder(ctx, math.NewIntFromUint64(c.Amount)); err != nil {
				return nil, err
			}
			continue
		}
		pool = pool.credit(c.Amount)
		if err := pools.Set(key, pool); err != nil { // it has shares: storePool would set it
			return nil, err
		}
		if next, carry := bits.Add64(sum, c.Amount, 0); carry == 0 {
			sum = next
		} else {
			total, sum = total.Add(math.NewIntFromUint64(sum)), c.Amount
		}
		stakes[c.UID], changed[c.UID] = pool.stake(), true
	}
	return changed, k.adjustSubnetStake(ctx, netuid, total.Add(math.NewIntFromUint64(sum)))
}

// storePool writes pool, or deletes it and moves its dust to the remainder
// when it has no shares; setPool and creditPools derive the views.
func (k *Keeper) storePool(ctx context.Context, netuid uint16, hotkey sdk.AccAddress, pool types.StakePool) error {
	key := joinHotkey(netuid, hotkey)
	if hasShares(pool) {
		return k.StakePools.Set(ctx, key, pool)
	}
	if !pool.TotalStake.IsNil() {
		if err := k.addRemainder(ctx, pool.TotalStake); err != nil {
			return err
		}
	}
	return k.StakePools.Remove(ctx, key)
}

// adjustSubnetStake moves the SubnetStake view by delta; setPool's helper.
func (k *Keeper) adjustSubnetStake(ctx context.Context, netuid uint16, delta math.Int) error {
	if delta.IsZero() {
		return nil
	}
	cur, err := k.SubnetStake.Get(ctx, netuid)
	if isNotFound(err) {
		cur = math.ZeroInt()
	} else if err != nil {
		return err
	}
	next := cur.Add(delta)
	if next.IsNegative() {
		return types.ErrInvalidAmount.Wrapf("subnet stake of netuid %d would go negative (%s + %s)", netuid, cur, delta)
	}
	if next.IsZero() {
		return k.SubnetStake.Remove(ctx, netuid)
	}
	return k.SubnetStake.Set(ctx, netuid, next)
}

// stakeRemainder returns the tracked rounding remainder (0 when unset).
func (k *Keeper) stakeRemainder(ctx context.Context) (math.Int, error) {
	r, err := k.StakeRemainder.Get(ctx)
	if isNotFound(err) {
		return math.ZeroInt(), nil
	}
	return r, err
}

func (k *Keeper) addRemainder(ctx context.Context, amount math.Int) error {
	if !amount.IsPositive() {
		return nil
	}
	r, err := k.stakeRemainder(ctx)
	if err != nil {
		return err
	}
	return k.StakeRemainder.Set(ctx, r.Add(amount))
}

// TotalStake is Σ pool stake over every pool plus the tracked remainder and
// the stake unbonding: what x/subnet's module account holds besides subnet locks.
func (k *Keeper) TotalStake(ctx context.Context) (math.Int, error) {
	total, err := k.stakeRemainder(ctx)
	if err != nil {
		return total, err
	}
	unbonding, err := k.TotalUnbonding(ctx)
	if err != nil {
		return total, err
	}
	total = total.Add(unbonding)
	err = k.StakePools.Walk(ctx, nil, func(_ collections.Pair[uint16, sdk.AccAddress], p types.StakePool) (bool, error) {
		total = total.Add(p.TotalStake)
		return false, nil
	})
	return total, err
}
