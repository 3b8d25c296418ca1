package keeper_test

import (
	"testing"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/assay-network/assay/x/emission/keeper"
	"github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/subnet/epoch"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

func coins(amount int64) sdk.Coins { return sdk.NewCoins(sdk.NewInt64Coin(types.Denom, amount)) }

func subnetWithMiners(t *testing.T, f *fixture, tempo uint64) (netuid uint32, owner, val, minerA, minerB, minerCold account) {
	owner = f.funded(1_000_000_000_000)
	netuid = f.subnet(owner, quickHP(tempo))
	val, minerA, minerB = newAccount(), newAccount(), newAccount()
	minerCold = f.funded(1_000_000_000)
	valCold := f.funded(10_000_000_000)
	require.Equal(t, uint32(0), f.neuron(netuid, valCold, val))
	require.Equal(t, uint32(1), f.neuron(netuid, minerCold, minerA))
	require.Equal(t, uint32(2), f.neuron(netuid, minerCold, minerB))
	f.stake(netuid, valCold, val, 1_000_000_000)
	f.block() // weights must come after the miners registered
	f.setWeights(netuid, val, []uint32{1, 2}, []uint32{3, 1})
	return
}

func TestEpochPaysOwnerMinersAndValidators(t *testing.T) {
	f := newFixture(t)
	netuid, owner, val, _, _, minerCold := subnetWithMiners(t, f, 4)
	ownerBefore := f.balance(owner.addr)
	coldBefore := f.balance(minerCold.addr)
	poolBefore, err := f.sk.GetStakePool(f.ctx, uint16(netuid), val.addr)
	require.NoError(t, err)

	// run to the subnet's next epoch
	next := epoch.Next(f.ctx.BlockHeight(), uint16(netuid), 4)
	for f.ctx.BlockHeight() < next {
		f.block()
	}
	hist, err := f.qs.History(f.ctx, &types.QueryHistoryRequest{Netuid: netuid, Limit: 1})
	require.NoError(t, err)
	require.Len(t, hist.Epochs, 1)
	rec := hist.Epochs[0]
	require.True(t, rec.Paid, "a staked validator with a permit exists, so the epoch pays")
	require.Equal(t, next, rec.Block)

	// owner cut = floor(18% of the pool)
	require.Equal(t, math.LegacyNewDecFromInt(rec.Pool).MulInt64(18).QuoInt64(100).TruncateInt(), rec.OwnerCut)
	require.Equal(t, ownerBefore.Add(rec.OwnerCut), f.balance(owner.addr))
	// miners share half of the rest, by incentive: A (3 parts) earns more than B (1 part)
	a, b := rec.Results[1], rec.Results[2]
	require.True(t, a.MinerReward.GT(b.MinerReward), "miner A %s > miner B %s", a.MinerReward, b.MinerReward)
	require.True(t, b.MinerReward.IsPositive())
	require.Equal(t, coldBefore.Add(a.MinerReward).Add(b.MinerReward), f.balance(minerCold.addr))
	require.True(t, a.Incentive.GT(b.Incentive))
	// the validator: take (18%) to its coldkey, the rest compounds in its pool
	v := rec.Results[0]
	require.True(t, v.ValidatorPermit)
	require.True(t, v.ValidatorTake.IsPositive())
	require.Equal(t, v.ValidatorTake.Add(v.ValidatorStaked).String(),
		rec.ValidatorsTotal.String(), "one validator gets all of the validator share")
	poolAfter, err := f.sk.GetStakePool(f.ctx, uint16(netuid), val.addr)
	require.NoError(t, err)
	require.Equal(t, poolBefore.TotalStake.Add(v.ValidatorStaked), poolAfter.TotalStake, "delegators compound")
	// the split adds up
	require.Equal(t, rec.Pool.String(), rec.OwnerCut.Add(rec.MinersTotal).Add(rec.ValidatorsTotal).Add(rec.Carried).String())

	// x/subnet shows the results on the metagraph
	n, err := f.sk.GetNeuron(f.ctx, uint16(netuid), 1)
	require.NoError(t, err)
	require.Equal(t, a.Incentive, n.Incentive)
	require.Equal(t, a.MinerReward, n.Emission)

	// token holders see it per role
	rw, err := f.qs.Rewards(f.ctx, &types.QueryRewardsRequest{Address: minerCold.String()})
	require.NoError(t, err)
	require.Len(t, rw.Rewards, 1)
	require.Equal(t, a.MinerReward.Add(b.MinerReward), rw.Rewards[0].Totals.Miner)
	rw, err = f.qs.Rewards(f.ctx, &types.QueryRewardsRequest{Address: val.String()})
	require.NoError(t, err)
	require.Equal(t, v.ValidatorStaked, rw.Total)
	f.invariant()

	// and the next epoch builds bonds on the previous ones
	next = epoch.Next(f.ctx.BlockHeight(), uint16(netuid), 4)
	for f.ctx.BlockHeight() < next {
		f.block()
	}
	in, err := f.sk.EpochInputs(f.ctx, uint16(netuid))
	require.NoError(t, err)
	require.NotEmpty(t, in.Bonds[0], "the validator's bonds are stored between epochs")
	f.invariant()

}

func TestNoIncentiveSendsEverythingToValidators(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1_000_000_000_000)
	netuid := f.subnet(owner, quickHP(4))
	val := newAccount()
	f.neuron(netuid, owner, val)
	f.stake(netuid, owner, val, 1_000_000)
	next := epoch.Next(f.ctx.BlockHeight(), uint16(netuid), 4)
	for f.ctx.BlockHeight() < next {
		f.block()
	}
	hist, _ := f.qs.History(f.ctx, &types.QueryHistoryRequest{Netuid: netuid})
	rec := hist.Epochs[0]
	require.True(t, rec.Paid)
	require.True(t, rec.Fallback)
	require.True(t, rec.MinersTotal.IsZero())
	require.Equal(t, rec.Pool.Sub(rec.OwnerCut).Sub(rec.Carried), rec.ValidatorsTotal)
	f.invariant()
}

func TestEpochWithoutValidatorStakeKeepsThePoolPending(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1_000_000_000_000)
	netuid := f.subnet(owner, quickHP(4))
	f.neuron(netuid, owner, newAccount())
	// Pending from an earlier period (e.g. stake that left): nobody to pay now.
	require.NoError(t, f.bank.MintCoins(f.ctx, faucet, coins(777)))
	require.NoError(t, f.bank.SendCoinsFromModuleToModule(f.ctx, faucet, types.ModuleName, coins(777)))
	require.NoError(t, f.k.Pools.Set(f.ctx, uint16(netuid), types.SubnetPool{Netuid: netuid, Pending: math.NewInt(777), Received: math.NewInt(777)}))
	require.NoError(t, f.k.Issued.Set(f.ctx, math.NewInt(777)))
	next := epoch.Next(f.ctx.BlockHeight(), uint16(netuid), 4)
	for f.ctx.BlockHeight() < next {
		f.block()
	}
	hist, _ := f.qs.History(f.ctx, &types.QueryHistoryRequest{Netuid: netuid})
	require.False(t, hist.Epochs[0].Paid)
	require.Equal(t, math.NewInt(777), f.pool(netuid).Pending)
	f.invariant()
}

func TestMaxEpochsPerBlockDefersInOrder(t *testing.T) {
	f := newFixture(t)
	p, _ := f.k.Params.Get(f.ctx)
	p.MaxEpochsPerBlock = 2
	require.NoError(t, f.k.Params.Set(f.ctx, p))
	owner := f.funded(1_000_000_000_000)
	// tempos chosen so netuids 1, 2, 3 are all due at height 12:
	// (12+1)%13, (12+2)%14, (12+3)%15 == 0
	var nets []uint32
	for i, tempo := range []uint64{12, 13, 14} {
		n := f.subnet(owner, quickHP(tempo))
		require.Equal(t, uint32(i+1), n)
		v := newAccount()
		f.neuron(n, owner, v)
		f.stake(n, owner, v, 1_000_000)
		nets = append(nets, n)
	}
	for f.ctx.BlockHeight() < 12 {
		f.block()
	}
	last := func(n uint32) int64 { return f.pool(n).LastEpochBlock }
	require.Equal(t, int64(12), last(nets[0]))
	require.Equal(t, int64(12), last(nets[1]))
	require.Equal(t, int64(0), last(nets[2]), "third epoch deferred")
	f.block()
	require.Equal(t, int64(13), last(nets[2]), "deferred epoch runs first in the next block")
	found := false
	for _, ev := range f.ctx.EventManager().Events() {
		if ev.Type == "assay.emission.v1.EventEpoch" {
			for _, a := range ev.Attributes {
				found = found || (a.Key == "deferred" && a.Value == "true")
			}
		}
	}
	require.True(t, found, "the deferred epoch is marked in its event")
	f.invariant()
}

func TestDissolveBurnsPendingEmission(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1_000_000_000_000)
	netuid := f.subnet(owner, quickHP(1000))
	v := newAccount()
	f.neuron(netuid, owner, v)
	f.stake(netuid, owner, v, 1_000_000)
	f.blocks(3)
	pending := f.pool(netuid).Pending
	require.True(t, pending.IsPositive())
	_, err := f.subMsg.DissolveSubnet(f.ctx, &subnettypes.MsgDissolveSubnet{Owner: owner.String(), Netuid: netuid})
	require.NoError(t, err)
	burned, _ := f.k.Burned.Get(f.ctx)
	require.Equal(t, pending, burned)
	_, err = f.qs.Subnet(f.ctx, &types.QuerySubnetRequest{Netuid: netuid})
	require.Equal(t, codes.NotFound, status.Code(err))
	f.invariant()
	f.blocks(2)
	f.invariant()
}

func TestQueriesRejectBadInput(t *testing.T) {
	f := newFixture(t)
	_, err := f.qs.History(f.ctx, &types.QueryHistoryRequest{Netuid: 42})
	require.Equal(t, codes.NotFound, status.Code(err))
	// a netuid beyond uint16 is refused, not wrapped onto netuid 1
	_, err = f.qs.Subnet(f.ctx, &types.QuerySubnetRequest{Netuid: 1 << 16})
	require.Equal(t, codes.InvalidArgument, status.Code(err))
	require.ErrorContains(t, err, "netuid")
	_, err = f.qs.History(f.ctx, &types.QueryHistoryRequest{Netuid: 1<<16 + 1})
	require.Equal(t, codes.InvalidArgument, status.Code(err))
	require.ErrorContains(t, err, "netuid")
	_, err = f.qs.Rewards(f.ctx, &types.QueryRewardsRequest{Address: "nope"})
	require.ErrorIs(t, err, types.ErrInvalidAddress)
	rw, err := f.qs.Rewards(f.ctx, &types.QueryRewardsRequest{Address: newAccount().String()})
	require.NoError(t, err)
	require.Empty(t, rw.Rewards)
	require.True(t, rw.Total.IsZero())
}

func TestUpdateParamsNamesTheField(t *testing.T) {
	f := newFixture(t)
	ms := keeper.NewMsgServerImpl(f.k)
	for field, mut := range map[string]func(*types.Params){
		"max_epochs_per_block": func(p *types.Params) { p.MaxEpochsPerBlock = 0 },
		"split_rule":           func(p *types.Params) { p.SplitRule = "proportional" },
		"owner_cut":            func(p *types.Params) { p.OwnerCut = math.LegacyNewDec(2) },
		"miner_share":          func(p *types.Params) { p.MinerShare = math.LegacyNewDec(-1) },
		"history_length":       func(p *types.Params) { p.HistoryLength = 0 },
	} {
		p := types.DefaultParams()
		mut(&p)
		_, err := ms.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.k.Authority(), Params: p})
		require.ErrorIs(t, err, types.ErrInvalidParams, field)
		require.ErrorContains(t, err, field)
	}
	_, err := ms.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: newAccount().String(), Params: types.DefaultParams()})
	require.ErrorIs(t, err, types.ErrInvalidAuthority)
}
