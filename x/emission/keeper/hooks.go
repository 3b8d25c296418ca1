package keeper

import (
	"context"

	"cosmossdk.io/collections"

	"github.com/assay-network/assay/x/emission/types"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

var _ subnettypes.SubnetHooks = (*Keeper)(nil)

// AfterSubnetDissolved burns the subnet's pending emission (there is nobody
// left to pay), and drops its pool, queued epochs and history.
func (k *Keeper) AfterSubnetDissolved(ctx context.Context, id uint16) error {
	if err := k.burnPending(ctx, id); err != nil {
		return err
	}
	if err := k.Pools.Remove(ctx, id); err != nil {
		return err
	}
	if err := k.dequeue(ctx, id); err != nil {
		return err
	}
	return k.History.Clear(ctx, collections.NewPrefixedPairRange[uint16, int64](id))
}

// AfterNeuronReplaced needs nothing: per-UID results live in x/subnet and
// the history keeps the hotkey that earned each payout.
func (k *Keeper) AfterNeuronReplaced(context.Context, uint16, uint32, string) error { return nil }

// burnPending destroys the subnet's pending pool and adds it to Burned.
func (k *Keeper) burnPending(ctx context.Context, id uint16) error {
	p, err := k.pool(ctx, id)
	if err != nil || !p.Pending.IsPositive() {
		return err
	}
	if err := k.bank.BurnCoins(ctx, types.ModuleName, coins(p.Pending)); err != nil {
		return err
	}
	burned, err := getInt(ctx, k.Burned)
	if err != nil {
		return err
	}
	return k.Burned.Set(ctx, burned.Add(p.Pending))
}
