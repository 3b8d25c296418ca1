package keeper

import (
	"context"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/subnet/types"
)

// GetStakePool returns the pool of (netuid, hotkey), empty when none exists.
func (k *Keeper) GetStakePool(ctx context.Context, netuid uint16, hotkey sdk.AccAddress) (types.StakePool, error) {
	p, err := k.StakePools.Get(ctx, collections.Join(netuid, hotkey))
	if isNotFound(err) {
		return types.EmptyPool(), nil
	}
	return p, err
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

// savePool writes the pool (removing it, and moving any dust to the
// remainder, once its last share is gone) and mirrors its stake on the neuron.
func (k *Keeper) savePool(ctx context.Context, n types.Neuron, hotkey sdk.AccAddress, pool types.StakePool) error {
	key := collections.Join(uint16(n.Netuid), hotkey)
	before, err := k.StakePools.Get(ctx, key)
	if err != nil && !isNotFound(err) {
		return err
	}
	after := pool.TotalStake
	if pool.TotalShares.IsZero() {
		after = math.ZeroInt()
	}
	if err := k.adjustSubnetStake(ctx, uint16(n.Netuid), after.Sub(stakeOrZero(before.TotalStake))); err != nil {
		return err
	}
	if pool.TotalShares.IsZero() {
		if err := k.addRemainder(ctx, pool.TotalStake); err != nil {
			return err
		}
		if err := k.StakePools.Remove(ctx, key); err != nil {
			return err
		}
		n.Stake = math.ZeroInt()
	} else {
		if err := k.StakePools.Set(ctx, key, pool); err != nil {
			return err
		}
		n.Stake = pool.TotalStake
	}
	return k.Neurons.Set(ctx, collections.Join(uint16(n.Netuid), uint16(n.Uid)), n)
}

// StakeOf returns the shares and current value of coldkey's position on (netuid, hotkey).
func (k *Keeper) StakeOf(ctx context.Context, netuid uint16, hotkey, coldkey sdk.AccAddress) (shares, value math.Int, err error) {
	shares, err = k.StakePositions.Get(ctx, collections.Join3(netuid, hotkey, coldkey))
	if isNotFound(err) {
		return math.ZeroInt(), math.ZeroInt(), nil
	}
	if err != nil {
		return shares, value, err
	}
	pool, err := k.GetStakePool(ctx, netuid, hotkey)
	if err != nil {
		return shares, value, err
	}
	return shares, pool.ValueOf(shares), nil
}

// AddStake moves amount from the coldkey into the pool of a hotkey registered
// on netuid and mints the coldkey shares: amount·total_shares/total_stake,
// floored (ShareScale per uassay into an empty pool).
func (k *Keeper) AddStake(ctx context.Context, msg *types.MsgAddStake) (math.Int, error) {
	if err := msg.ValidateBasic(); err != nil {
		return math.Int{}, err
	}
	n, err := k.NeuronByHotkey(ctx, msg.Netuid, msg.Hotkey)
	if err != nil {
		return math.Int{}, err
	}
	hotkey := sdk.MustAccAddressFromBech32(msg.Hotkey)
	coldkey := sdk.MustAccAddressFromBech32(msg.Coldkey)
	netuid := uint16(msg.Netuid)
	pool, err := k.GetStakePool(ctx, netuid, hotkey)
	if err != nil {
		return math.Int{}, err
	}
	shares := pool.SharesFor(msg.Amount)
	if !shares.IsPositive() {
		return math.Int{}, types.ErrStakeTooSmall.Wrapf("amount: %s%s buys no share of the pool of %s on netuid %d (%s%s for %s shares)",
			msg.Amount, types.Denom, msg.Hotkey, msg.Netuid, pool.TotalStake, types.Denom, pool.TotalShares)
	}
	held, _, err := k.StakeOf(ctx, netuid, hotkey, coldkey)
	if err != nil {
		return math.Int{}, err
	}
	if err := k.bank.SendCoinsFromAccountToModule(ctx, coldkey, types.ModuleName, coins(msg.Amount)); err != nil {
		return math.Int{}, types.ErrInvalidAmount.Wrapf("cannot stake %s%s from %s: %s", msg.Amount, types.Denom, msg.Coldkey, err)
	}
	pool.TotalStake = pool.TotalStake.Add(msg.Amount)
	pool.TotalShares = pool.TotalShares.Add(shares)
	if err := k.StakePositions.Set(ctx, collections.Join3(netuid, hotkey, coldkey), held.Add(shares)); err != nil {
		return math.Int{}, err
	}
	if err := k.StakeByColdkey.Set(ctx, collections.Join3(coldkey, netuid, hotkey)); err != nil {
		return math.Int{}, err
	}
	if err := k.savePool(ctx, n, hotkey, pool); err != nil {
		return math.Int{}, err
	}
	if _, err := k.RecomputePermits(ctx, msg.Netuid); err != nil {
		return math.Int{}, err
	}
	return shares, sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventStakeAdded{
		Netuid: msg.Netuid, Hotkey: msg.Hotkey, Coldkey: msg.Coldkey, Amount: msg.Amount.String(), Shares: shares.String(),
	})
}

// RemoveStake pays amount of the coldkey's stake back to it, burning
// ceil(amount·total_shares/total_stake) shares (all of them when amount is the
// whole position), so the rest of the pool never loses value.
func (k *Keeper) RemoveStake(ctx context.Context, msg *types.MsgRemoveStake) (math.Int, error) {
	if err := msg.ValidateBasic(); err != nil {
		return math.Int{}, err
	}
	n, err := k.NeuronByHotkey(ctx, msg.Netuid, msg.Hotkey)
	if err != nil {
		return math.Int{}, err
	}
	hotkey := sdk.MustAccAddressFromBech32(msg.Hotkey)
	coldkey := sdk.MustAccAddressFromBech32(msg.Coldkey)
	netuid := uint16(msg.Netuid)
	held, value, err := k.StakeOf(ctx, netuid, hotkey, coldkey)
	if err != nil {
		return math.Int{}, err
	}
	if msg.Amount.GT(value) {
		return math.Int{}, types.ErrInsufficientStake.Wrapf("amount: removing %s%s but %s has %s%s staked on %s on netuid %d",
			msg.Amount, types.Denom, msg.Coldkey, value, types.Denom, msg.Hotkey, msg.Netuid)
	}
	pool, err := k.GetStakePool(ctx, netuid, hotkey)
	if err != nil {
		return math.Int{}, err
	}
	burn := held
	if msg.Amount.LT(value) {
		burn = math.MinInt(pool.SharesToWithdraw(msg.Amount), held)
	}
	pool.TotalStake = pool.TotalStake.Sub(msg.Amount)
	pool.TotalShares = pool.TotalShares.Sub(burn)
	posKey := collections.Join3(netuid, hotkey, coldkey)
	if left := held.Sub(burn); left.IsZero() {
		if err := k.StakePositions.Remove(ctx, posKey); err != nil {
			return math.Int{}, err
		}
		if err := k.StakeByColdkey.Remove(ctx, collections.Join3(coldkey, netuid, hotkey)); err != nil {
			return math.Int{}, err
		}
	} else if err := k.StakePositions.Set(ctx, posKey, left); err != nil {
		return math.Int{}, err
	}
	if err := k.savePool(ctx, n, hotkey, pool); err != nil {
		return math.Int{}, err
	}
	if err := k.payOrUnbond(ctx, coldkey, msg.Netuid, msg.Hotkey, msg.Amount); err != nil {
		return math.Int{}, err
	}
	if _, err := k.RecomputePermits(ctx, msg.Netuid); err != nil {
		return math.Int{}, err
	}
	return burn, sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventStakeRemoved{
		Netuid: msg.Netuid, Hotkey: msg.Hotkey, Coldkey: msg.Coldkey, Amount: msg.Amount.String(), Shares: burn.String(),
	})
}

// AddRewardToStakePool raises the stake of (netuid, hotkey) by amount without
// minting shares, so every delegator gains pro rata. The tokens must already
// be in x/subnet's module account. A pool without shares has no owner for the
// reward; it goes to the tracked remainder.
func (k *Keeper) AddRewardToStakePool(ctx context.Context, netuid uint16, hotkey sdk.AccAddress, amount math.Int) error {
	if amount.IsNil() || amount.IsNegative() {
		return types.ErrInvalidAmount.Wrapf("reward: must be a non-negative amount, got %s", amount)
	}
	if amount.IsZero() {
		return nil
	}
	// by address bytes: a bech32 round trip costs more than the credit
	uid, err := k.HotkeyUID.Get(ctx, joinHotkey(netuid, hotkey))
	if isNotFound(err) {
		return types.ErrNeuronNotFound.Wrapf("hotkey %s is not registered on netuid %d", hotkey, netuid)
	} else if err != nil {
		return err
	}
	n, err := k.Neurons.Get(ctx, joinUID(netuid, uid))
	if err != nil {
		return err
	}
	pool, err := k.GetStakePool(ctx, netuid, hotkey)
	if err != nil {
		return err
	}
	if pool.TotalShares.IsZero() {
		return k.addRemainder(ctx, amount)
	}
	pool.TotalStake = pool.TotalStake.Add(amount)
	return k.savePool(ctx, n, hotkey, pool)
}

// refundHotkeyStake pays every position of (netuid, hotkey) back to its
// coldkey (floored value) and deletes the pool; the rounding dust goes to
// the remainder. Bounded by the hotkey's delegator count.
func (k *Keeper) refundHotkeyStake(ctx context.Context, netuid uint16, hotkey sdk.AccAddress) error {
	pool, err := k.GetStakePool(ctx, netuid, hotkey)
	if err != nil {
		return err
	}
	var keys []collections.Triple[uint16, sdk.AccAddress, sdk.AccAddress]
	var shares []math.Int
	rng := collections.NewSuperPrefixedTripleRange[uint16, sdk.AccAddress, sdk.AccAddress](netuid, hotkey)
	if err := k.StakePositions.Walk(ctx, rng, func(key collections.Triple[uint16, sdk.AccAddress, sdk.AccAddress], s math.Int) (bool, error) {
		keys = append(keys, key)
		shares = append(shares, s)
		return false, nil
	}); err != nil {
		return err
	}
	paid := math.ZeroInt()
	em := sdk.UnwrapSDKContext(ctx).EventManager()
	for i, key := range keys {
		coldkey := key.K3()
		amount := pool.ValueOf(shares[i])
		if err := k.StakePositions.Remove(ctx, key); err != nil {
			return err
		}
		if err := k.StakeByColdkey.Remove(ctx, collections.Join3(coldkey, netuid, hotkey)); err != nil {
			return err
		}
		if amount.IsPositive() {
			if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, coldkey, coins(amount)); err != nil {
				return err
			}
		}
		paid = paid.Add(amount)
		if err := em.EmitTypedEvent(&types.EventStakeRefunded{
			Netuid: uint32(netuid), Hotkey: hotkey.String(), Coldkey: coldkey.String(), Amount: amount.String(),
		}); err != nil {
			return err
		}
	}
	if err := k.addRemainder(ctx, pool.TotalStake.Sub(paid)); err != nil {
		return err
	}
	if err := k.adjustSubnetStake(ctx, netuid, stakeOrZero(pool.TotalStake).Neg()); err != nil {
		return err
	}
	return k.StakePools.Remove(ctx, collections.Join(netuid, hotkey))
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

// adjustSubnetStake keeps SubnetStake equal to Σ pool stake of the subnet.
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
