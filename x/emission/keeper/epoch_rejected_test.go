package keeper_test

import (
	"context"
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/emission/keeper"
	"github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/emission/yuma"
	"github.com/assay-network/assay/x/subnet/epoch"
	subnetkeeper "github.com/assay-network/assay/x/subnet/keeper"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// corruptingSubnets hands x/emission inputs the Yuma library must reject (a
// weight on a UID that does not exist) while corrupt is set: the state
// x/subnet keeps can never produce such inputs, so this is the only way to
// reach the rejected path through the real keepers.
type corruptingSubnets struct {
	*subnetkeeper.Keeper
	corrupt bool
}

func (c *corruptingSubnets) RunEpoch(ctx context.Context, netuid uint16, run func(subnettypes.EpochInputs) (subnettypes.EpochResults, error)) error {
	return c.Keeper.RunEpoch(ctx, netuid, func(in subnettypes.EpochInputs) (subnettypes.EpochResults, error) {
		if c.corrupt {
			in.Weights[0] = append(in.Weights[0], yuma.Weight{UID: uint16(len(in.Hotkeys) + 7), Value: 1})
		}
		return run(in)
	})
}

func epochEvents(t *testing.T, ctx sdk.Context) []*types.EventEpoch {
	t.Helper()
	var out []*types.EventEpoch
	for _, ev := range ctx.EventManager().ABCIEvents() {
		msg, err := sdk.ParseTypedEvent(ev)
		if err != nil {
			continue
		}
		if e, ok := msg.(*types.EventEpoch); ok {
			out = append(out, e)
		}
	}
	return out
}

// TestRejectedEpochKeepsThePoolPending: x/emission README, Decisions: an
// epoch whose inputs the Yuma library rejects does not halt the chain; it
// emits EventEpoch with paid=false, pays nobody, records no history, and
// leaves the pool pending for the next epoch, which pays all of it.
func TestRejectedEpochKeepsThePoolPending(t *testing.T) {
	view := &corruptingSubnets{}
	f := newFixtureWith(t, func(sk *subnetkeeper.Keeper) types.SubnetKeeper {
		view.Keeper = sk
		return view
	})
	netuid, owner, _, _, _, _ := subnetWithMiners(t, f, 4)
	view.corrupt = true
	ownerBefore := f.balance(owner.addr)

	due := epoch.Next(f.ctx.BlockHeight(), uint16(netuid), 4)
	for f.ctx.BlockHeight() < due-1 {
		f.block()
	}
	pendingBefore := f.pool(netuid).Pending
	f.block() // the epoch's block: its own emission is added to the pool before the epoch runs
	require.Equal(t, due, f.ctx.BlockHeight())
	evs := epochEvents(t, f.ctx)
	require.Len(t, evs, 1, "one EventEpoch for the rejected epoch")
	require.False(t, evs[0].Paid)
	require.Equal(t, uint32(netuid), evs[0].Netuid)
	pending := f.pool(netuid).Pending
	require.True(t, pending.GT(pendingBefore), "the pool still holds everything: %s then %s", pendingBefore, pending)
	require.Equal(t, pending.String(), evs[0].Pool, "the event names the pool left pending")
	require.Equal(t, ownerBefore, f.balance(owner.addr), "nobody was paid")
	hist, err := f.qs.History(f.ctx, &types.QueryHistoryRequest{Netuid: netuid})
	require.NoError(t, err)
	require.Empty(t, hist.Epochs, "a rejected epoch is not recorded")
	f.invariant()

	view.corrupt = false
	next := epoch.Next(f.ctx.BlockHeight(), uint16(netuid), 4)
	for f.ctx.BlockHeight() < next {
		f.block()
	}
	hist, err = f.qs.History(f.ctx, &types.QueryHistoryRequest{Netuid: netuid, Limit: 1})
	require.NoError(t, err)
	require.Len(t, hist.Epochs, 1)
	rec := hist.Epochs[0]
	require.True(t, rec.Paid)
	require.True(t, rec.Pool.GT(pending), "the next epoch pays the rejected epoch's pool too: %s > %s", rec.Pool, pending)
	require.Equal(t, ownerBefore.Add(rec.OwnerCut), f.balance(owner.addr))
	require.True(t, rec.OwnerCut.GT(math.ZeroInt()))
	f.invariant()
}

// TestHistoryKeepsTheLastHistoryLengthEpochs: x/emission README, State:
// history keeps the last history_length epochs of each subnet, the newest
// ones, and trimming one subnet leaves another's alone.
func TestHistoryKeepsTheLastHistoryLengthEpochs(t *testing.T) {
	f := newFixture(t)
	p, err := f.k.Params.Get(f.ctx)
	require.NoError(t, err)
	p.HistoryLength = 3
	_, err = keeper.NewMsgServerImpl(f.k).UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.k.Authority(), Params: p})
	require.NoError(t, err)
	a, _, _, _, _, _ := subnetWithMiners(t, f, 4)
	b, _, _, _, _, _ := subnetWithMiners(t, f, 9)

	paid := map[uint32][]int64{} // looked up by netuid only, never ranged
	for len(paid[a]) < 5 || len(paid[b]) < 4 {
		f.block()
		for _, ev := range epochEvents(t, f.ctx) {
			if ev.Paid {
				paid[ev.Netuid] = append(paid[ev.Netuid], ev.Block)
			}
		}
	}
	for _, netuid := range []uint32{a, b} {
		hist, err := f.qs.History(f.ctx, &types.QueryHistoryRequest{Netuid: netuid, Limit: 100})
		require.NoError(t, err)
		var got []int64
		for _, r := range hist.Epochs {
			require.Equal(t, netuid, r.Netuid)
			got = append(got, r.Block)
		}
		all := paid[netuid]
		require.ElementsMatch(t, all[len(all)-3:], got, "subnet %d keeps the three newest of %v", netuid, all)
	}
}
