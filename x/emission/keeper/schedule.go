package keeper

import (
	"context"

	"cosmossdk.io/collections"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/subnet/epoch"
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
	if err := k.enqueueDue(ctx, height); err != nil {
		return err
	}
	due, err := k.nextDue(ctx, params.MaxEpochsPerBlock)
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

// enqueueDue queues every subnet whose epoch starts at height.
func (k *Keeper) enqueueDue(ctx context.Context, height int64) error {
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
	return nil
}

// nextDue returns the first max queued epochs in run order.
func (k *Keeper) nextDue(ctx context.Context, max uint32) ([]collections.Pair[int64, uint16], error) {
	var due []collections.Pair[int64, uint16]
	err := k.Deferred.Walk(ctx, nil, func(key collections.Pair[int64, uint16]) (bool, error) {
		due = append(due, key)
		return uint32(len(due)) >= max, nil
	})
	return due, err
}

// dequeue drops every queued epoch of netuid.
func (k *Keeper) dequeue(ctx context.Context, netuid uint16) error {
	var queued []collections.Pair[int64, uint16]
	if err := k.Deferred.Walk(ctx, nil, func(key collections.Pair[int64, uint16]) (bool, error) {
		if key.K2() == netuid {
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
	return nil
}
