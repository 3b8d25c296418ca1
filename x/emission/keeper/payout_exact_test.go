package keeper_test

import (
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/subnet/epoch"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// exactSubnet: validator A (own stake 3,000,000 plus a delegator's
// 1,000,000) and validator B (1,000,000) both weight the one miner.
type exactSubnet struct {
	netuid                         uint32
	owner, aCold, bCold, delegator account
	a, b, miner, minerCold         account
}

func newExactSubnet(t *testing.T, f *fixture) exactSubnet {
	s := exactSubnet{owner: f.funded(1_000_000_000_000), aCold: f.funded(10_000_000), bCold: f.funded(10_000_000),
		delegator: f.funded(10_000_000), minerCold: f.funded(10_000_000), a: newAccount(), b: newAccount(), miner: newAccount()}
	s.netuid = f.subnet(s.owner, quickHP(4))
	require.Equal(t, uint32(0), f.neuron(s.netuid, s.aCold, s.a))
	require.Equal(t, uint32(1), f.neuron(s.netuid, s.bCold, s.b))
	require.Equal(t, uint32(2), f.neuron(s.netuid, s.minerCold, s.miner))
	f.stake(s.netuid, s.aCold, s.a, 3_000_000)
	f.stake(s.netuid, s.delegator, s.a, 1_000_000)
	f.stake(s.netuid, s.bCold, s.b, 1_000_000)
	f.block()
	f.setWeights(s.netuid, s.a, []uint32{2}, []uint32{1})
	f.setWeights(s.netuid, s.b, []uint32{2}, []uint32{1})
	return s
}

// snapshot is every balance and stake an epoch moves.
type snapshot struct {
	owner, aCold, bCold, minerCold math.Int
	poolA, poolB                   math.Int
	delegatorValue, aColdValue     math.Int
}

func (f *fixture) snapshot(s exactSubnet) snapshot {
	f.t.Helper()
	pool := func(h account) math.Int {
		p, err := f.sk.GetStakePool(f.ctx, uint16(s.netuid), h.addr)
		require.NoError(f.t, err)
		return p.TotalStake
	}
	value := func(cold, hot account) math.Int {
		_, v, err := f.sk.StakeOf(f.ctx, uint16(s.netuid), hot.addr, cold.addr)
		require.NoError(f.t, err)
		return v
	}
	return snapshot{
		owner: f.balance(s.owner.addr), aCold: f.balance(s.aCold.addr), bCold: f.balance(s.bCold.addr),
		minerCold: f.balance(s.minerCold.addr), poolA: pool(s.a), poolB: pool(s.b),
		delegatorValue: value(s.delegator, s.a), aColdValue: value(s.aCold, s.a),
	}
}

// nextEpoch runs to the subnet's next epoch and returns its record.
func (f *fixture) nextEpoch(netuid uint32) types.EpochRecord {
	f.t.Helper()
	next := epoch.Next(f.ctx.BlockHeight(), uint16(netuid), 4)
	for f.ctx.BlockHeight() < next {
		f.block()
	}
	h, err := f.qs.History(f.ctx, &types.QueryHistoryRequest{Netuid: netuid, Limit: 1})
	require.NoError(f.t, err)
	require.Len(f.t, h.Epochs, 1)
	require.Equal(f.t, next, h.Epochs[0].Block)
	return h.Epochs[0]
}

func floorMul(x math.Int, rate string) math.Int {
	return math.LegacyNewDecFromInt(x).Mul(math.LegacyMustNewDecFromStr(rate)).TruncateInt()
}

// checkPaid checks one epoch to the uassay: owner cut 18 % of the pool,
// the one miner half of the rest, each validator's part split by its own
// take into its coldkey and its pool, and the delegator's quarter of A's
// pool compounding by share.
func checkPaid(t *testing.T, rec types.EpochRecord, before, after snapshot, takeA, takeB string) {
	t.Helper()
	require.True(t, rec.Paid)
	ownerCut := floorMul(rec.Pool, "0.18")
	miners := floorMul(rec.Pool.Sub(ownerCut), "0.5")
	validators := rec.Pool.Sub(ownerCut).Sub(miners)
	require.Equal(t, ownerCut.String(), rec.OwnerCut.String(), "owner cut")
	require.Equal(t, ownerCut.String(), after.owner.Sub(before.owner).String(), "owner balance")
	require.Equal(t, miners.String(), rec.MinersTotal.String(), "miner share: the one miner gets all of it")
	require.Equal(t, miners.String(), after.minerCold.Sub(before.minerCold).String(), "miner's coldkey")

	va, vb := rec.Results[0], rec.Results[1]
	partA, partB := va.ValidatorTake.Add(va.ValidatorStaked), vb.ValidatorTake.Add(vb.ValidatorStaked)
	require.Equal(t, validators.String(), partA.Add(partB).Add(rec.Carried).String(), "validators' share")
	require.True(t, rec.Carried.LT(math.NewInt(2)), "at most one uassay per validator part is carried")
	// The validators' share is divided by Yuma's dividends (A holds 4/5 of
	// the validator stake), each part rounded down.
	wantA := math.LegacyNewDecFromInt(validators).Mul(va.Dividends).Quo(va.Dividends.Add(vb.Dividends)).TruncateInt()
	require.True(t, partA.Sub(wantA).Abs().LTE(math.OneInt()), "A's part %s, want %s by dividends %s and %s", partA, wantA, va.Dividends, vb.Dividends)
	require.True(t, partA.GT(partB.MulRaw(3)), "A's part %s is not above 3× B's %s", partA, partB)

	for _, v := range []struct {
		name                  string
		part, take, staked    math.Int
		rate                  string
		coldBefore, coldAfter math.Int
		poolBefore, poolAfter math.Int
	}{
		{"A", partA, va.ValidatorTake, va.ValidatorStaked, takeA, before.aCold, after.aCold, before.poolA, after.poolA},
		{"B", partB, vb.ValidatorTake, vb.ValidatorStaked, takeB, before.bCold, after.bCold, before.poolB, after.poolB},
	} {
		wantTake := floorMul(v.part, v.rate)
		require.Equal(t, wantTake.String(), v.take.String(), "%s: take = floor(part·%s)", v.name, v.rate)
		require.Equal(t, v.part.Sub(wantTake).String(), v.staked.String(), "%s: the rest is staked", v.name)
		require.Equal(t, wantTake.String(), v.coldAfter.Sub(v.coldBefore).String(), "%s: coldkey receives the take", v.name)
		require.Equal(t, v.staked.String(), v.poolAfter.Sub(v.poolBefore).String(), "%s: pool receives the rest", v.name)
	}
	// The delegator owns a quarter of A's shares: its value grows by a
	// quarter of what A's pool received, A's coldkey's by three quarters
	// (each rounded down).
	gain := after.poolA.Sub(before.poolA)
	require.Equal(t, before.delegatorValue.Add(gain.QuoRaw(4)).String(), after.delegatorValue.String(), "delegator compounds by share")
	require.True(t, after.aColdValue.Sub(before.aColdValue.Add(gain.MulRaw(3).QuoRaw(4))).Abs().LTE(math.OneInt()),
		"A's coldkey compounds by share")
}

// Two epochs, to the uassay: first with A at the default 18 % take and B
// at 5 %, then after A lowers its take to 9 %, which moves A's payout from
// its coldkey to its pool and so to its delegator.
func TestEpochPaysExactlyAndTakeMovesThePayout(t *testing.T) {
	f := newFixture(t)
	s := newExactSubnet(t, f)
	_, err := f.subMsg.SetTake(f.ctx, &subnettypes.MsgSetTake{Coldkey: s.bCold.String(), Hotkey: s.b.String(), Take: math.LegacyMustNewDecFromStr("0.05")})
	require.NoError(t, err)

	before := f.snapshot(s)
	rec := f.nextEpoch(s.netuid)
	after := f.snapshot(s)
	checkPaid(t, rec, before, after, "0.18", "0.05")
	f.invariant()

	_, err = f.subMsg.SetTake(f.ctx, &subnettypes.MsgSetTake{Coldkey: s.aCold.String(), Hotkey: s.a.String(), Take: math.LegacyMustNewDecFromStr("0.09")})
	require.NoError(t, err)
	before = f.snapshot(s)
	rec2 := f.nextEpoch(s.netuid)
	after2 := f.snapshot(s)
	checkPaid(t, rec2, before, after2, "0.09", "0.05")
	f.invariant()
}
