package keeper

import (
	"context"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/subnet/types"
)

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

// AddStake moves amount (positive) from the coldkey into the pool of a hotkey
// registered on netuid and mints the coldkey shares:
// amount·total_shares/total_stake, floored (ShareScale per uassay into an
// empty pool).
func (k *Keeper) AddStake(ctx context.Context, coldkey, hotkey sdk.AccAddress, netuid uint16, amount math.Int) (math.Int, error) {
	n, err := k.NeuronByHotkey(ctx, netuid, hotkey)
	if err != nil {
		return math.Int{}, err
	}
	pool, err := k.GetStakePool(ctx, netuid, hotkey)
	if err != nil {
		return math.Int{}, err
	}
	shares := pool.SharesFor(amount)
	if !shares.IsPositive() {
		return math.Int{}, types.ErrStakeTooSmall.Wrapf("amount: %s%s buys no share of the pool of %s on netuid %d (%s%s for %s shares)",
			amount, types.Denom, hotkey, netuid, pool.TotalStake, types.Denom, pool.TotalShares)
	}
	held, heldValue, err := k.StakeOf(ctx, netuid, hotkey, coldkey)
	if err != nil {
		return math.Int{}, err
	}
	if err := k.bank.SendCoinsFromAccountToModule(ctx, coldkey, types.ModuleName, coins(amount)); err != nil {
		return math.Int{}, types.ErrInvalidAmount.Wrapf("cannot stake %s%s from %s: %s", amount, types.Denom, coldkey, err)
	}
	pool.TotalStake = pool.TotalStake.Add(amount)
	pool.TotalShares = pool.TotalShares.Add(shares)
	if err := k.StakePositions.Set(ctx, collections.Join3(netuid, hotkey, coldkey), held.Add(shares)); err != nil {
		return math.Int{}, err
	}
	if err := k.movePrincipal(ctx, collections.Join3(netuid, hotkey, coldkey), heldValue, amount); err != nil {
		return math.Int{}, err
	}
	if err := k.StakeByColdkey.Set(ctx, collections.Join3(coldkey, netuid, hotkey)); err != nil {
		return math.Int{}, err
	}
	if err := k.setPool(ctx, n, hotkey, pool); err != nil {
		return math.Int{}, err
	}
	if _, err := k.RecomputePermits(ctx, netuid); err != nil {
		return math.Int{}, err
	}
	return shares, sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventStakeAdded{
		Netuid: uint32(netuid), Hotkey: n.Hotkey, Coldkey: coldkey.String(), Amount: amount.String(), Shares: shares.String(),
	})
}

// RemoveStake pays amount (positive) of the coldkey's stake back to it,
// burning ceil(amount·total_shares/total_stake) shares (all of them when
// amount is the whole position), so the rest of the pool never loses value.
func (k *Keeper) RemoveStake(ctx context.Context, coldkey, hotkey sdk.AccAddress, netuid uint16, amount math.Int) (math.Int, error) {
	n, err := k.NeuronByHotkey(ctx, netuid, hotkey)
	if err != nil {
		return math.Int{}, err
	}
	held, value, err := k.StakeOf(ctx, netuid, hotkey, coldkey)
	if err != nil {
		return math.Int{}, err
	}
	if amount.GT(value) {
		return math.Int{}, types.ErrInsufficientStake.Wrapf("amount: removing %s%s but %s has %s%s staked on %s on netuid %d",
			amount, types.Denom, coldkey, value, types.Denom, hotkey, netuid)
	}
	pool, err := k.GetStakePool(ctx, netuid, hotkey)
	if err != nil {
		return math.Int{}, err
	}
	burn := held
	if amount.LT(value) {
		burn = math.MinInt(pool.SharesToWithdraw(amount), held)
	}
	pool.TotalStake = pool.TotalStake.Sub(amount)
	pool.TotalShares = pool.TotalShares.Sub(burn)
	posKey := collections.Join3(netuid, hotkey, coldkey)
	if left := held.Sub(burn); left.IsZero() {
		if err := k.StakePositions.Remove(ctx, posKey); err != nil {
			return math.Int{}, err
		}
		if err := k.StakePrincipal.Remove(ctx, posKey); err != nil {
			return math.Int{}, err
		}
		if err := k.StakeByColdkey.Remove(ctx, collections.Join3(coldkey, netuid, hotkey)); err != nil {
			return math.Int{}, err
		}
	} else {
		if err := k.StakePositions.Set(ctx, posKey, left); err != nil {
			return math.Int{}, err
		}
		if err := k.movePrincipal(ctx, posKey, value, amount.Neg()); err != nil {
			return math.Int{}, err
		}
	}
	if err := k.setPool(ctx, n, hotkey, pool); err != nil {
		return math.Int{}, err
	}
	if err := k.payOrUnbond(ctx, coldkey, netuid, hotkey, amount); err != nil {
		return math.Int{}, err
	}
	if _, err := k.RecomputePermits(ctx, netuid); err != nil {
		return math.Int{}, err
	}
	return burn, sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventStakeRemoved{
		Netuid: uint32(netuid), Hotkey: n.Hotkey, Coldkey: coldkey.String(), Amount: amount.String(), Shares: burn.String(),
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
	if !hasShares(pool) {
		return k.addRemainder(ctx, amount)
	}
	pool.TotalStake = pool.TotalStake.Add(amount)
	return k.setPool(ctx, n, hotkey, pool)
}

// refundHotkeyStake pays every position of n's pool back to its coldkey
// (floored value) and deletes the pool; the rounding dust goes to the
// remainder. Bounded by the hotkey's delegator count.
func (k *Keeper) refundHotkeyStake(ctx context.Context, n types.Neuron, hotkey sdk.AccAddress) error {
	netuid := uint16(n.Netuid)
	pool, err := k.GetStakePool(ctx, netuid, hotkey)
	if err != nil {
		return err
	}
	// Positions exist only inside a pool with shares: nothing to refund.
	if !hasShares(pool) {
		return nil
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
		if err := k.StakePrincipal.Remove(ctx, key); err != nil {
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
			Netuid: uint32(netuid), Hotkey: n.Hotkey, Coldkey: coldkey.String(), Amount: amount.String(),
		}); err != nil {
			return err
		}
	}
	// What no position could claim is dust: a pool without shares hands it
	// to the remainder.
	return k.setPool(ctx, n, hotkey, types.StakePool{TotalStake: pool.TotalStake.Sub(paid), TotalShares: math.ZeroInt()})
}
