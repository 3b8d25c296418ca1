package keeper

import (
	"context"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/subnet/types"
)

// initStakeGenesis writes pools, positions, takes, weights, commits and the remainder.
func (k *Keeper) initStakeGenesis(ctx context.Context, gs *types.GenesisState) error {
	for _, u := range gs.Unbondings {
		if err := k.Unbondings.Set(ctx, collections.Join(u.ReleaseBlock, u.Id), u); err != nil {
			return err
		}
	}
	if err := k.NextUnbondingID.Set(ctx, gs.NextUnbondingId); err != nil {
		return err
	}
	for _, b := range gs.Bonds {
		if err := k.Bonds.Set(ctx, joinUID(uint16(b.Netuid), uint16(b.Uid)), b.Row); err != nil {
			return err
		}
	}
	// SubnetStake and Neuron.Stake are views of the pools, rebuilt here by
	// the pool writer rather than imported. Validate has checked that every
	// pool's hotkey is registered and holds shares.
	for _, p := range gs.StakePools {
		netuid, hotkey := uint16(p.Netuid), sdk.MustAccAddressFromBech32(p.Hotkey)
		uid, err := k.HotkeyUID.Get(ctx, joinHotkey(netuid, hotkey))
		if err != nil {
			return err
		}
		n, err := k.Neurons.Get(ctx, joinUID(netuid, uid))
		if err != nil {
			return err
		}
		if err := k.setPool(ctx, n, hotkey, p.Pool); err != nil {
			return err
		}
	}
	for _, p := range gs.StakePositions {
		hot, cold := sdk.MustAccAddressFromBech32(p.Hotkey), sdk.MustAccAddressFromBech32(p.Coldkey)
		key := collections.Join3(uint16(p.Netuid), hot, cold)
		if err := k.StakePositions.Set(ctx, key, p.Shares); err != nil {
			return err
		}
		// without a principal the position counts its earnings from import
		if !p.Principal.IsNil() {
			if err := k.StakePrincipal.Set(ctx, key, p.Principal); err != nil {
				return err
			}
		}
		if err := k.StakeByColdkey.Set(ctx, collections.Join3(cold, uint16(p.Netuid), hot)); err != nil {
			return err
		}
	}
	for _, t := range gs.Takes {
		if err := k.Takes.Set(ctx, sdk.MustAccAddressFromBech32(t.Hotkey), t.Take); err != nil {
			return err
		}
	}
	for _, w := range gs.Weights {
		if err := k.Weights.Set(ctx, joinUID(uint16(w.Netuid), uint16(w.Uid)), w.Row); err != nil {
			return err
		}
	}
	for _, c := range gs.Commits {
		if err := k.Commits.Set(ctx, joinHotkey(uint16(c.Netuid), sdk.MustAccAddressFromBech32(c.Hotkey)), c.Commits); err != nil {
			return err
		}
	}
	if gs.StakeRemainder.IsNil() {
		return k.StakeRemainder.Set(ctx, math.ZeroInt())
	}
	return k.StakeRemainder.Set(ctx, gs.StakeRemainder)
}

// exportStakeGenesis reads the stake, take, weights and commit state in key order.
func (k *Keeper) exportStakeGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := k.Unbondings.Walk(ctx, nil, func(_ collections.Pair[int64, uint64], u types.Unbonding) (bool, error) {
		gs.Unbondings = append(gs.Unbondings, u)
		return false, nil
	}); err != nil {
		return err
	}
	next, err := k.NextUnbondingID.Peek(ctx)
	if err != nil {
		return err
	}
	gs.NextUnbondingId = next
	if err := k.StakePools.Walk(ctx, nil, func(key collections.Pair[uint16, sdk.AccAddress], p types.StakePool) (bool, error) {
		gs.StakePools = append(gs.StakePools, types.GenesisStakePool{Netuid: uint32(key.K1()), Hotkey: key.K2().String(), Pool: p})
		return false, nil
	}); err != nil {
		return err
	}
	if err := k.StakePositions.Walk(ctx, nil, func(key collections.Triple[uint16, sdk.AccAddress, sdk.AccAddress], shares math.Int) (bool, error) {
		pool, err := k.GetStakePool(ctx, key.K1(), key.K2())
		if err != nil {
			return true, err
		}
		principal, err := k.principalOf(ctx, key, pool.ValueOf(shares))
		if err != nil {
			return true, err
		}
		gs.StakePositions = append(gs.StakePositions, types.StakePosition{
			Netuid: uint32(key.K1()), Hotkey: key.K2().String(), Coldkey: key.K3().String(), Shares: shares,
			Amount: math.ZeroInt(), Principal: principal, Earned: math.ZeroInt(),
		})
		return false, nil
	}); err != nil {
		return err
	}
	if err := k.Takes.Walk(ctx, nil, func(hot sdk.AccAddress, t types.TakeInfo) (bool, error) {
		gs.Takes = append(gs.Takes, types.GenesisTake{Hotkey: hot.String(), Take: t})
		return false, nil
	}); err != nil {
		return err
	}
	if err := k.Bonds.Walk(ctx, nil, func(key collections.Pair[uint16, uint16], row types.BondsRow) (bool, error) {
		gs.Bonds = append(gs.Bonds, types.GenesisBonds{Netuid: uint32(key.K1()), Uid: uint32(key.K2()), Row: row})
		return false, nil
	}); err != nil {
		return err
	}
	if err := k.Weights.Walk(ctx, nil, func(key collections.Pair[uint16, uint16], row types.WeightsRow) (bool, error) {
		gs.Weights = append(gs.Weights, types.GenesisWeights{Netuid: uint32(key.K1()), Uid: uint32(key.K2()), Row: row})
		return false, nil
	}); err != nil {
		return err
	}
	if err := k.Commits.Walk(ctx, nil, func(key collections.Pair[uint16, sdk.AccAddress], c types.WeightCommits) (bool, error) {
		gs.Commits = append(gs.Commits, types.GenesisCommits{Netuid: uint32(key.K1()), Hotkey: key.K2().String(), Commits: c})
		return false, nil
	}); err != nil {
		return err
	}
	r, err := k.stakeRemainder(ctx)
	gs.StakeRemainder = r
	return err
}
