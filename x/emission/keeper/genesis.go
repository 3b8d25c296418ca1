package keeper

import (
	"context"

	"cosmossdk.io/collections"
	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/emission/types"
)

// InitGenesis writes a validated genesis state.
func (k *Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	// minting needs the module account to exist
	k.auth.GetModuleAccount(ctx, types.ModuleName)
	for _, it := range []struct {
		item collections.Item[sdkmath.Int]
		v    sdkmath.Int
	}{{k.Issued, gs.Issued}, {k.Carry, gs.Carry}, {k.Burned, gs.Burned}} {
		if err := it.item.Set(ctx, it.v); err != nil {
			return err
		}
	}
	for _, p := range gs.Pools {
		if err := k.Pools.Set(ctx, uint16(p.Netuid), p); err != nil {
			return err
		}
	}
	for _, d := range gs.Deferred {
		if err := k.Deferred.Set(ctx, collections.Join(d.DueBlock, uint16(d.Netuid))); err != nil {
			return err
		}
	}
	for _, r := range gs.History {
		if err := k.History.Set(ctx, collections.Join(uint16(r.Netuid), r.Block), r); err != nil {
			return err
		}
	}
	for _, r := range gs.Rewards {
		addr, err := sdk.AccAddressFromBech32(r.Address)
		if err != nil {
			return types.ErrInvalidGenesis.Wrapf("rewards address %q: %s", r.Address, err)
		}
		if err := k.Rewards.Set(ctx, collections.Join(addr, uint16(r.Netuid)), r.Totals); err != nil {
			return err
		}
	}
	return nil
}

// ExportGenesis reads the whole state in key order.
func (k *Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	gs := types.DefaultGenesis()
	var err error
	if gs.Params, err = k.Params.Get(ctx); err != nil {
		return nil, err
	}
	if gs.Issued, err = getInt(ctx, k.Issued); err != nil {
		return nil, err
	}
	if gs.Carry, err = getInt(ctx, k.Carry); err != nil {
		return nil, err
	}
	if gs.Burned, err = getInt(ctx, k.Burned); err != nil {
		return nil, err
	}
	if err := k.Pools.Walk(ctx, nil, func(_ uint16, p types.SubnetPool) (bool, error) {
		gs.Pools = append(gs.Pools, p)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Deferred.Walk(ctx, nil, func(key collections.Pair[int64, uint16]) (bool, error) {
		gs.Deferred = append(gs.Deferred, types.DeferredEpoch{DueBlock: key.K1(), Netuid: uint32(key.K2())})
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.History.Walk(ctx, nil, func(_ collections.Pair[uint16, int64], r types.EpochRecord) (bool, error) {
		gs.History = append(gs.History, r)
		return false, nil
	}); err != nil {
		return nil, err
	}
	err = k.Rewards.Walk(ctx, nil, func(key collections.Pair[sdk.AccAddress, uint16], t types.RewardTotals) (bool, error) {
		gs.Rewards = append(gs.Rewards, types.AddressRewards{Address: key.K1().String(), Netuid: uint32(key.K2()), Totals: t})
		return false, nil
	})
	return gs, err
}
