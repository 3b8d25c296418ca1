package keeper_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/subnet/epoch"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// epochsRun lists the netuids whose epoch ran in the block just executed,
// in event order.
func (f *fixture) epochsRun() []uint32 {
	var out []uint32
	for _, ev := range f.ctx.EventManager().Events() {
		if ev.Type != "assay.emission.v1.EventEpoch" {
			continue
		}
		for _, a := range ev.Attributes {
			if a.Key == "netuid" {
				n, err := strconv.ParseUint(strings.Trim(a.Value, `"`), 10, 32)
				require.NoError(f.t, err)
				out = append(out, uint32(n))
			}
		}
	}
	return out
}

// subnetDueAt registers a staked subnet whose tempo makes its first epoch
// start at height due (the netuid it will get is want).
func (f *fixture) subnetDueAt(owner account, want uint32, due int64) uint32 {
	f.t.Helper()
	tempo := uint64(due) + uint64(want) - 1 // (due + netuid) % (tempo + 1) == 0
	require.True(f.t, epoch.IsStart(due, uint16(want), tempo))
	n := f.subnet(owner, quickHP(tempo))
	require.Equal(f.t, want, n)
	v := newAccount()
	f.neuron(n, owner, v)
	f.stake(n, owner, v, 1_000_000)
	return n
}

// With one epoch per block, a backlog drains first in, first out over
// several blocks in a row, by due height and then netuid, while a later
// epoch comes due behind it; each runs exactly once.
func TestDeferralStaysFIFOOverManyBlocks(t *testing.T) {
	f := newFixture(t)
	p, _ := f.k.Params.Get(f.ctx)
	p.MaxEpochsPerBlock = 1
	require.NoError(t, f.k.Params.Set(f.ctx, p))
	owner := f.funded(1_000_000_000_000)
	for n := uint32(1); n <= 3; n++ {
		f.subnetDueAt(owner, n, 30)
	}
	f.subnetDueAt(owner, 4, 31) // due while 2 and 3 still wait

	ran := map[int64][]uint32{} // lookups only
	for f.ctx.BlockHeight() < 40 {
		f.block()
		if got := f.epochsRun(); len(got) > 0 {
			ran[f.ctx.BlockHeight()] = got
		}
	}
	require.Equal(t, map[int64][]uint32{30: {1}, 31: {2}, 32: {3}, 33: {4}}, ran)
	for n := uint32(1); n <= 4; n++ {
		h, err := f.qs.History(f.ctx, &types.QueryHistoryRequest{Netuid: n})
		require.NoError(t, err)
		require.Len(t, h.Epochs, 1, "netuid %d: one epoch, not lost, not run twice", n)
	}
	has, err := f.k.Deferred.Has(f.ctx, joinDue(31, 4))
	require.NoError(t, err)
	require.False(t, has, "the queue is empty once drained")
	f.invariant()
}

// A subnet dissolved while its epoch waits in the queue: the queued epoch
// never runs, and a new subnet that reuses the netuid starts with an empty
// pool and history and runs its own epochs on its own schedule.
func TestDissolveWithQueuedEpochThenReuseNetuid(t *testing.T) {
	f := newFixture(t)
	p, _ := f.k.Params.Get(f.ctx)
	p.MaxEpochsPerBlock = 1
	require.NoError(t, f.k.Params.Set(f.ctx, p))
	owner := f.funded(1_000_000_000_000)
	f.subnetDueAt(owner, 1, 30)
	f.subnetDueAt(owner, 2, 30)
	for f.ctx.BlockHeight() < 30 {
		f.block()
	}
	require.Equal(t, []uint32{1}, f.epochsRun())
	queued, err := f.k.Deferred.Has(f.ctx, joinDue(30, 2))
	require.NoError(t, err)
	require.True(t, queued, "netuid 2's epoch waits for the next block")
	burnedBefore, _ := f.k.Burned.Get(f.ctx)
	pending := f.pool(2).Pending
	require.True(t, pending.IsPositive())

	_, err = f.subMsg.DissolveSubnet(f.ctx, &subnettypes.MsgDissolveSubnet{Owner: owner.String(), Netuid: 2})
	require.NoError(t, err)
	queued, err = f.k.Deferred.Has(f.ctx, joinDue(30, 2))
	require.NoError(t, err)
	require.False(t, queued, "dissolving drops the queued epoch")
	burned, _ := f.k.Burned.Get(f.ctx)
	require.Equal(t, burnedBefore.Add(pending), burned, "the pending pool is burned")
	f.invariant()
	f.block()
	require.Empty(t, f.epochsRun(), "no epoch runs for the dissolved subnet")

	// The netuid is reused by the next registration.
	due := epoch.Next(f.ctx.BlockHeight(), 2, 7)
	n := f.subnet(owner, quickHP(7))
	require.Equal(t, uint32(2), n)
	pool := f.pool(2)
	require.True(t, pool.Pending.IsZero(), "the new subnet inherits no pending emission")
	require.Zero(t, pool.LastEpochBlock)
	h, err := f.qs.History(f.ctx, &types.QueryHistoryRequest{Netuid: 2})
	require.NoError(t, err)
	require.Empty(t, h.Epochs, "the new subnet inherits no history")
	v := newAccount()
	f.neuron(2, owner, v)
	f.stake(2, owner, v, 1_000_000)
	for f.ctx.BlockHeight() < due {
		f.block()
		if f.ctx.BlockHeight() < due {
			require.NotContains(t, f.epochsRun(), uint32(2), "block %d", f.ctx.BlockHeight())
		}
	}
	require.Equal(t, []uint32{2}, f.epochsRun(), "the reused netuid's first epoch runs on its own schedule")
	require.Equal(t, due, f.pool(2).LastEpochBlock)
	f.invariant()
}
