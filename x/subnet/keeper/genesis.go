package keeper

import (
	"context"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/subnet/types"
)

// InitGenesis writes a validated genesis state.
func (k *Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	for _, s := range gs.Subnets {
		if err := k.Subnets.Set(ctx, uint16(s.Netuid), s); err != nil {
			return err
		}
	}
	for _, n := range gs.Neurons {
		// Stake is a view of the pools: initStakeGenesis derives it.
		n.Stake = math.ZeroInt()
		if err := k.Neurons.Set(ctx, collections.Join(uint16(n.Netuid), uint16(n.Uid)), n); err != nil {
			return err
		}
		if err := k.HotkeyUID.Set(ctx, collections.Join(uint16(n.Netuid), sdk.MustAccAddressFromBech32(n.Hotkey)), uint16(n.Uid)); err != nil {
			return err
		}
	}
	if err := k.LastLock.Set(ctx, gs.LastLock); err != nil {
		return err
	}
	if err := k.initStakeGenesis(ctx, gs); err != nil {
		return err
	}
	for _, m := range gs.Models {
		if err := k.ModelPublishers.Set(ctx, collections.Join(uint16(m.Netuid), m.ModelHash), m.Publisher); err != nil {
			return err
		}
	}
	for _, r := range gs.BondResets {
		if err := k.BondResets.Set(ctx, joinUID(uint16(r.Netuid), uint16(r.Uid))); err != nil {
			return err
		}
	}
	return k.LastLockBlock.Set(ctx, gs.LastLockBlock)
}

// ExportGenesis reads the whole state back, in key order.
func (k *Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: p, LastLock: math.ZeroInt()}
	if err := k.Subnets.Walk(ctx, nil, func(_ uint16, s types.Subnet) (bool, error) {
		gs.Subnets = append(gs.Subnets, s)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Neurons.Walk(ctx, nil, func(_ collections.Pair[uint16, uint16], n types.Neuron) (bool, error) {
		gs.Neurons = append(gs.Neurons, n)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if last, err := k.LastLock.Get(ctx); err == nil {
		gs.LastLock = last
	} else if !isNotFound(err) {
		return nil, err
	}
	if b, err := k.LastLockBlock.Get(ctx); err == nil {
		gs.LastLockBlock = b
	} else if !isNotFound(err) {
		return nil, err
	}
	if err := k.exportStakeGenesis(ctx, gs); err != nil {
		return nil, err
	}
	if err := k.ModelPublishers.Walk(ctx, nil, func(key collections.Pair[uint16, string], p types.ModelPublisher) (bool, error) {
		gs.Models = append(gs.Models, types.GenesisModel{Netuid: uint32(key.K1()), ModelHash: key.K2(), Publisher: p})
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.BondResets.Walk(ctx, nil, func(key collections.Pair[uint16, uint16]) (bool, error) {
		gs.BondResets = append(gs.BondResets, types.GenesisUID{Netuid: uint32(key.K1()), Uid: uint32(key.K2())})
		return false, nil
	}); err != nil {
		return nil, err
	}
	return gs, nil
}
