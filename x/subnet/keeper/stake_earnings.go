package keeper

import (
	"context"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/subnet/types"
)

// A delegator is paid by its position growing: stake rewards raise the
// pool's total_stake without minting shares. The position's earnings are
// its value now minus its principal, the net amount its coldkey staked
// (every add minus every remove), so a withdrawn gain still counts and a
// withdrawal of principal does not look like a loss. The principal is kept
// per position because the value alone cannot tell a gain from a deposit.

type positionKey = collections.Triple[uint16, sdk.AccAddress, sdk.AccAddress]

// principalOf returns the stored principal of key. A position without one
// (opened before principals were kept, or imported without one) counts
// from value, the position's value now: no earnings until it grows.
func (k *Keeper) principalOf(ctx context.Context, key positionKey, value math.Int) (math.Int, error) {
	p, err := k.StakePrincipal.Get(ctx, key)
	if isNotFound(err) {
		return value, nil
	}
	return p, err
}

// movePrincipal adds delta (negative on removal) to key's principal; value
// is the position's value before the move, the principal of a position that
// has none stored.
func (k *Keeper) movePrincipal(ctx context.Context, key positionKey, value, delta math.Int) error {
	p, err := k.principalOf(ctx, key, value)
	if err != nil {
		return err
	}
	return k.StakePrincipal.Set(ctx, key, p.Add(delta))
}

// PositionView is a position as queries show it: shares, value now,
// principal and earned (value - principal).
func (k *Keeper) PositionView(ctx context.Context, netuid uint16, hotkey, coldkey sdk.AccAddress, pool types.StakePool, shares math.Int) (types.StakePosition, error) {
	value := pool.ValueOf(shares)
	principal, err := k.principalOf(ctx, collections.Join3(netuid, hotkey, coldkey), value)
	if err != nil {
		return types.StakePosition{}, err
	}
	return types.StakePosition{
		Netuid: uint32(netuid), Hotkey: hotkey.String(), Coldkey: coldkey.String(),
		Shares: shares, Amount: value, Principal: principal, Earned: value.Sub(principal),
	}, nil
}

// PositionsOf lists coldkey's positions (by netuid, then hotkey) with their
// value, principal and earnings, and the sum of their values.
func (k *Keeper) PositionsOf(ctx context.Context, coldkey sdk.AccAddress) ([]types.StakePosition, math.Int, error) {
	var keys []collections.Triple[sdk.AccAddress, uint16, sdk.AccAddress]
	rng := collections.NewPrefixedTripleRange[sdk.AccAddress, uint16, sdk.AccAddress](coldkey)
	if err := k.StakeByColdkey.Walk(ctx, rng, func(key collections.Triple[sdk.AccAddress, uint16, sdk.AccAddress]) (bool, error) {
		keys = append(keys, key)
		return false, nil
	}); err != nil {
		return nil, math.Int{}, err
	}
	total := math.ZeroInt()
	out := make([]types.StakePosition, 0, len(keys))
	for _, key := range keys {
		netuid, hotkey := key.K2(), key.K3()
		shares, err := k.StakePositions.Get(ctx, collections.Join3(netuid, hotkey, coldkey))
		if err != nil {
			return nil, math.Int{}, err
		}
		pool, err := k.GetStakePool(ctx, netuid, hotkey)
		if err != nil {
			return nil, math.Int{}, err
		}
		p, err := k.PositionView(ctx, netuid, hotkey, coldkey, pool, shares)
		if err != nil {
			return nil, math.Int{}, err
		}
		out = append(out, p)
		total = total.Add(p.Amount)
	}
	return out, total, nil
}
