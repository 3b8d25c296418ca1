package keeper_test

import (
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/emission/schedule"
	"github.com/assay-network/assay/x/emission/types"
)

func TestBlockRewardIsMintedAndSplitBySqrtStake(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1_000_000_000_000)
	a := f.subnet(owner, quickHP(1000))
	b := f.subnet(owner, quickHP(1000))
	c := f.subnet(owner, quickHP(1000)) // no stake: gets nothing
	va, vb := newAccount(), newAccount()
	f.neuron(a, owner, va)
	f.neuron(b, owner, vb)
	f.neuron(c, owner, newAccount())
	f.stake(a, owner, va, 100_000_000) // sqrt = 10,000
	f.stake(b, owner, vb, 400_000_000) // sqrt = 20,000

	f.block()
	require.Equal(t, math.NewInt(333_333), f.pool(a).Pending)
	require.Equal(t, math.NewInt(666_666), f.pool(b).Pending)
	require.True(t, f.pool(c).Pending.IsZero())
	carry, _ := f.k.Carry.Get(f.ctx)
	require.Equal(t, math.NewInt(1), carry, "the rounding remainder is carried")
	issued, _ := f.k.Issued.Get(f.ctx)
	require.Equal(t, math.NewIntFromUint64(schedule.InitialReward), issued)

	// the carried uassay joins the next block's split: 1,000,001 → 333,333 + 666,667 + 1
	f.block()
	require.Equal(t, math.NewInt(666_666), f.pool(a).Pending)
	require.Equal(t, math.NewInt(1_333_333), f.pool(b).Pending)
	carry, _ = f.k.Carry.Get(f.ctx)
	require.Equal(t, math.NewInt(1), carry)
	f.invariant()

	// the equal rule ignores stake size (but not its absence)
	p, _ := f.k.Params.Get(f.ctx)
	p.SplitRule = schedule.RuleEqual
	require.NoError(t, f.k.Params.Set(f.ctx, p))
	before := f.pool(a).Pending
	f.block()
	require.Equal(t, before.Add(math.NewInt(500_000)), f.pool(a).Pending)
	f.invariant()
}

func TestRewardWithNoStakedSubnetIsCarried(t *testing.T) {
	f := newFixture(t)
	f.blocks(5)
	carry, _ := f.k.Carry.Get(f.ctx)
	require.Equal(t, math.NewInt(5_000_000), carry)
	f.invariant()

	owner := f.funded(1_000_000_000_000)
	n := f.subnet(owner, quickHP(1000))
	v := newAccount()
	f.neuron(n, owner, v)
	f.stake(n, owner, v, 1_000_000)
	f.block()
	require.Equal(t, math.NewInt(6_000_000), f.pool(n).Pending, "the first staked subnet receives the carry")
	f.invariant()
}

func TestScheduleQueryAndHalving(t *testing.T) {
	f := newFixture(t)
	f.block()
	res, err := f.qs.Schedule(f.ctx, &types.QueryScheduleRequest{})
	require.NoError(t, err)
	require.Equal(t, math.NewInt(1_000_000), res.CurrentReward)
	require.Equal(t, math.NewInt(1_000_000), res.Issued)
	require.Equal(t, "10500000000000", res.NextHalvingIssuance.String())
	require.Equal(t, f.ctx.BlockHeight()+10_499_999, res.NextHalvingHeight)

	// jump issuance to just below half the cap: the reward halves on crossing it
	require.NoError(t, f.k.Issued.Set(f.ctx, math.NewIntFromUint64(schedule.SupplyCap/2-1)))
	require.NoError(t, f.bank.MintCoins(f.ctx, faucet, coins(int64(schedule.SupplyCap/2-2))))
	f.block()
	issued, _ := f.k.Issued.Get(f.ctx)
	require.Equal(t, math.NewIntFromUint64(schedule.SupplyCap/2-1+schedule.InitialReward), issued)
	res, _ = f.qs.Schedule(f.ctx, &types.QueryScheduleRequest{})
	require.Equal(t, math.NewInt(500_000), res.CurrentReward)
	require.Equal(t, uint32(1), res.Halvings)
}
