package keeper_test

import (
	"strconv"
	"strings"
	"testing"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/subnet/types"
)

// releasedIDs lists the unbonding ids released by the block just run, in
// event order.
func (f *fixture) releasedIDs() []uint64 {
	var ids []uint64
	for _, ev := range f.ctx.EventManager().Events() {
		if ev.Type != "assay.subnet.v1.EventUnbondingReleased" {
			continue
		}
		for _, a := range ev.Attributes {
			if a.Key == "id" {
				id, err := strconv.ParseUint(strings.Trim(a.Value, `"`), 10, 64)
				require.NoError(f.t, err)
				ids = append(ids, id)
			}
		}
	}
	return ids
}

func (f *fixture) endBlockAt(height int64) {
	f.t.Helper()
	f.ctx = f.ctx.WithBlockHeight(height).WithEventManager(sdk.NewEventManager())
	require.NoError(f.t, f.k.EndBlock(f.ctx))
}

// 1203 removals due in one block are paid 500 per block, oldest first,
// over three blocks, nothing lost or paid twice; the queue survives an
// export and import in between.
func TestUnbondingReleasesAtMost500PerBlockOldestFirst(t *testing.T) {
	f := newFixture(t)
	p, _ := f.k.GetParams(f.ctx)
	p.UnbondingPeriod = 5
	require.NoError(t, f.k.Params.Set(f.ctx, p))
	owner := f.funded(1000 * assay)
	netuid := f.registerSubnet(owner, plainHP())
	cold, hot := f.funded(10*assay), newAccount()
	f.registerNeuron(netuid, cold, hot)
	alice := f.funded(10_000)
	f.stake(netuid, alice, hot, 5_000)
	const n = 1203
	for range n {
		require.NoError(t, f.unstake(netuid, alice, hot, math.NewInt(2)))
	}
	release := f.ctx.BlockHeight() + 5
	f.checkConservation()

	want := uint64(0) // ids count from 0
	for i, batch := range []int{500, 500, 203} {
		before := f.balance(alice.addr)
		f.endBlockAt(release + int64(i))
		ids := f.releasedIDs()
		require.Equal(t, batch, len(ids), "releases in block %d", release+int64(i))
		for _, id := range ids {
			require.Equal(t, want, id, "oldest first")
			want++
		}
		require.Equal(t, before.AddRaw(int64(2*batch)).String(), f.balance(alice.addr).String())
		f.checkConservation()
		if i == 0 {
			// 703 entries wait: they travel through genesis unchanged.
			gs, err := f.k.ExportGenesis(f.ctx)
			require.NoError(t, err)
			require.NoError(t, gs.Validate())
			require.Len(t, gs.Unbondings, n-500)
			g := newFixture(t)
			g.ctx = g.ctx.WithBlockHeight(f.ctx.BlockHeight())
			require.NoError(t, g.k.InitGenesis(g.ctx, gs))
			again, err := g.k.ExportGenesis(g.ctx)
			require.NoError(t, err)
			require.Equal(t, gs.Unbondings, again.Unbondings)
			total, err := g.k.TotalUnbonding(g.ctx)
			require.NoError(t, err)
			require.Equal(t, int64(2*(n-500)), total.Int64())
		}
	}
	f.endBlockAt(release + 3)
	require.Empty(t, f.releasedIDs())
	total, err := f.k.TotalUnbonding(f.ctx)
	require.NoError(t, err)
	require.True(t, total.IsZero())
}

// With an unbonding period set, refunds forced by a prune or a dissolve
// are paid at once (x/subnet README, "Unbonding"), and an unbonding already
// queued by the pruned hotkey's delegator still releases on time.
func TestForcedRefundsArePaidAtOnceWithAPeriod(t *testing.T) {
	f := newFixture(t)
	p, _ := f.k.GetParams(f.ctx)
	p.UnbondingPeriod = 10
	require.NoError(t, f.k.Params.Set(f.ctx, p))
	owner := f.funded(100 * assay * 1000)
	hp := types.DefaultHyperparams()
	hp.MaxUids, hp.MaxValidators, hp.ImmunityPeriod = 1, 1, 0
	netuid := f.registerSubnet(owner, &hp)
	cold, hot := f.funded(10*assay), newAccount()
	f.registerNeuron(netuid, cold, hot)
	alice := f.funded(10 * assay)
	f.stake(netuid, alice, hot, 3*assay)
	require.NoError(t, f.unstake(netuid, alice, hot, math.NewInt(assay)))
	release := f.ctx.BlockHeight() + 10
	f.advance(1)

	// The newcomer prunes the only UID: alice's remaining 2 assay come back now.
	before := f.balance(alice.addr)
	res, err := f.msgs.RegisterNeuron(f.ctx, registerMsg(netuid, cold, newAccount(), math.NewInt(1_000_000_000)))
	require.NoError(t, err)
	require.Equal(t, hot.String(), res.PrunedHotkey)
	require.Equal(t, before.Add(math.NewInt(2*assay)).String(), f.balance(alice.addr).String(), "a prune refunds at once")
	f.checkConservation()

	// A dissolve refunds at once too.
	newHot := newAccount()
	_, err = f.msgs.RegisterNeuron(f.ctx, registerMsg(netuid, cold, newHot, math.NewInt(1_000_000_000)))
	require.NoError(t, err)
	bob := f.funded(10 * assay)
	f.stake(netuid, bob, newHot, 4*assay)
	before = f.balance(bob.addr)
	_, err = f.msgs.DissolveSubnet(f.ctx, &types.MsgDissolveSubnet{Owner: owner.String(), Netuid: netuid})
	require.NoError(t, err)
	require.Equal(t, before.Add(math.NewInt(4*assay)).String(), f.balance(bob.addr).String(), "a dissolve refunds at once")
	f.checkConservation()

	// alice's queued unbonding outlives both and releases at its block.
	res2, err := f.qs.Unbondings(f.ctx, &types.QueryUnbondingsRequest{Address: alice.String()})
	require.NoError(t, err)
	require.Len(t, res2.Unbondings, 1)
	before = f.balance(alice.addr)
	f.endBlockAt(release)
	require.Equal(t, before.Add(math.NewInt(assay)).String(), f.balance(alice.addr).String())
	f.checkConservation()
}

// q subnet unbondings lists an address's entries soonest first, whatever
// order they were made in (x/subnet README, Queries): a removal under a
// 20-block period, then one under a 5-block period, list the second first.
func TestUnbondingsQuerySoonestFirst(t *testing.T) {
	f := newFixture(t)
	setPeriod := func(n uint64) {
		p, _ := f.k.GetParams(f.ctx)
		p.UnbondingPeriod = n
		require.NoError(t, f.k.Params.Set(f.ctx, p))
	}
	owner := f.funded(1000 * assay)
	netuid := f.registerSubnet(owner, plainHP())
	cold, hot := f.funded(10*assay), newAccount()
	f.registerNeuron(netuid, cold, hot)
	alice := f.funded(50 * assay)
	f.stake(netuid, alice, hot, 5*assay)
	h := f.ctx.BlockHeight()
	setPeriod(20)
	require.NoError(t, f.unstake(netuid, alice, hot, math.NewInt(assay)))
	setPeriod(5)
	require.NoError(t, f.unstake(netuid, alice, hot, math.NewInt(2*assay)))
	res, err := f.qs.Unbondings(f.ctx, &types.QueryUnbondingsRequest{Address: alice.String()})
	require.NoError(t, err)
	require.Len(t, res.Unbondings, 2)
	require.Equal(t, []int64{h + 5, h + 20}, []int64{res.Unbondings[0].ReleaseBlock, res.Unbondings[1].ReleaseBlock})
	require.Equal(t, []int64{2 * assay, assay}, []int64{res.Unbondings[0].Amount.Int64(), res.Unbondings[1].Amount.Int64()})
}
