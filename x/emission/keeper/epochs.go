package keeper

import (
	"context"

	"cosmossdk.io/collections"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/subnet/epoch"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// EndBlock queues the epochs due at this height and runs at most
// max_epochs_per_block of the queue, oldest first, then lowest netuid. Its
// work is one pass over the subnets plus the epochs it runs.
func (k *Keeper) EndBlock(ctx context.Context) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	height := sdk.UnwrapSDKContext(ctx).BlockHeight()
	subnets, err := k.subnets.SubnetSchedules(ctx)
	if err != nil {
		return err
	}
	for _, s := range subnets {
		if epoch.IsStart(height, s.Netuid, s.Tempo) {
			if err := k.Deferred.Set(ctx, collections.Join(height, s.Netuid)); err != nil {
				return err
			}
		}
	}

	var due []collections.Pair[int64, uint16]
	err = k.Deferred.Walk(ctx, nil, func(key collections.Pair[int64, uint16]) (bool, error) {
		due = append(due, key)
		return uint32(len(due)) >= params.MaxEpochsPerBlock, nil
	})
	if err != nil {
		return err
	}
	for _, key := range due {
		if err := k.Deferred.Remove(ctx, key); err != nil {
			return err
		}
		if err := k.runEpoch(ctx, params, key.K2(), key.K1() != height); err != nil {
			return err
		}
	}
	return nil
}

// subnetByNetuid finds a subnet in the schedule list (ordered by netuid).
func subnetByNetuid(list []subnettypes.SubnetSchedule, netuid uint32) (subnettypes.SubnetSchedule, bool) {
	for _, s := range list {
		if uint32(s.Netuid) == netuid {
			return s, true
		}
	}
	return subnettypes.SubnetSchedule{}, false
}

// AfterSubnetDissolved burns the subnet's pending emission (there is nobody
// left to pay), and drops its pool, queued epochs and history.
func (k *Keeper) AfterSubnetDissolved(ctx context.Context, id uint16) error {
	p, err := k.pool(ctx, id)
	if err != nil {
		return err
	}
	if p.Pending.IsPositive() {
		if err := k.bank.BurnCoins(ctx, types.ModuleName, coins(p.Pending)); err != nil {
			return err
		}
		burned, err := getInt(ctx, k.Burned)
		if err != nil {
			return err
		}
		if err := k.Burned.Set(ctx, burned.Add(p.Pending)); err != nil {
			return err
		}
	}
	if err := k.Pools.Remove(ctx, id); err != nil {
		return err
	}
	var queued []collections.Pair[int64, uint16]
	if err := k.Deferred.Walk(ctx, nil, func(key collections.Pair[int64, uint16]) (bool, error) {
		if key.K2() == id {
			queued = append(queued, key)
		}
		return false, nil
	}); err != nil {
		return err
	}
	for _, key := range queued {
		if err := k.Deferred.Remove(ctx, key); err != nil {
			return err
		}
	}
	return k.History.Clear(ctx, collections.NewPrefixedPairRange[uint16, int64](id))
}

// AfterNeuronReplaced needs nothing: per-UID results live in x/subnet and
// the history keeps the hotkey that earned each payout.
func (k *Keeper) AfterNeuronReplaced(context.Context, uint16, uint32, string) error { return nil }

var _ subnettypes.SubnetHooks = (*Keeper)(nil)
