package keeper_test

import (
	"testing"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/subnet/types"
)

// creditPool sends reward to x/subnet's account and adds it to hot's pool,
// as x/emission's payout does.
func (f *fixture) creditPool(netuid uint32, hot account, reward int64) {
	f.t.Helper()
	coins := sdk.NewCoins(sdk.NewCoin(types.Denom, math.NewInt(reward)))
	require.NoError(f.t, f.bank.MintCoins(f.ctx, faucet, coins))
	require.NoError(f.t, f.bank.SendCoinsFromModuleToModule(f.ctx, faucet, types.ModuleName, coins))
	require.NoError(f.t, f.k.AddRewardToStakePool(f.ctx, uint16(netuid), hot.addr, math.NewInt(reward)))
}

// position is cold's only position as StakeByAddress reports it.
func (f *fixture) position(cold account) types.StakePosition {
	f.t.Helper()
	res, err := f.qs.StakeByAddress(f.ctx, &types.QueryStakeByAddressRequest{Address: cold.String()})
	require.NoError(f.t, err)
	require.Len(f.t, res.Positions, 1)
	return res.Positions[0]
}

func requirePosition(t *testing.T, p types.StakePosition, value, principal, earned int64) {
	t.Helper()
	require.Equal(t, []string{math.NewInt(value).String(), math.NewInt(principal).String(), math.NewInt(earned).String()},
		[]string{p.Amount.String(), p.Principal.String(), p.Earned.String()}, "value, principal, earned")
}

// A delegator's earnings are its position's value minus its principal
// (staked minus withdrawn): the pool credit attributed by its shares, and
// a withdrawal moves value and principal together, so a withdrawn gain
// still counts.
func TestPositionEarnings(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1000 * assay)
	netuid := f.registerSubnet(owner, plainHP())
	cold, hot := f.funded(10*assay), newAccount()
	f.registerNeuron(netuid, cold, hot)
	a, b := f.funded(100*assay), f.funded(100*assay)
	f.stake(netuid, a, hot, 30*assay)
	f.stake(netuid, b, hot, 10*assay)
	requirePosition(t, f.position(a), 30*assay, 30*assay, 0)

	f.creditPool(netuid, hot, 4*assay)
	requirePosition(t, f.position(a), 33*assay, 30*assay, 3*assay)
	requirePosition(t, f.position(b), 11*assay, 10*assay, 1*assay)
	dels, err := f.qs.Delegators(f.ctx, &types.QueryDelegatorsRequest{Netuid: netuid, Hotkey: hot.String()})
	require.NoError(t, err)
	earned := math.ZeroInt()
	for _, p := range dels.Positions {
		earned = earned.Add(p.Earned)
	}
	require.Equal(t, math.NewInt(4*assay), earned, "the pool's credit is its delegators' earnings")

	require.NoError(t, f.unstake(netuid, a, hot, math.NewInt(13*assay)))
	// the shares burned round up and the value rounds down: 1 uassay of
	// share rounding shows in earned
	requirePosition(t, f.position(a), 20*assay-1, 17*assay, 3*assay-1)
	// b buys in at the pool's price; the shares minted round down, by 1 uassay here
	f.stake(netuid, b, hot, 11*assay)
	requirePosition(t, f.position(b), 22*assay-1, 21*assay, 1*assay-1)

	// b's deposit rounded in a's favour; a withdraws more than its
	// principal and the gain still counts
	requirePosition(t, f.position(a), 20*assay, 17*assay, 3*assay)
	require.NoError(t, f.unstake(netuid, a, hot, math.NewInt(19*assay)))
	requirePosition(t, f.position(a), 1*assay, -2*assay, 3*assay)
	// a closes: the principal goes with the position
	require.NoError(t, f.unstake(netuid, a, hot, math.NewInt(1*assay)))
	res, err := f.qs.StakeByAddress(f.ctx, &types.QueryStakeByAddressRequest{Address: a.String()})
	require.NoError(t, err)
	require.Empty(t, res.Positions)
	has, err := f.k.StakePrincipal.Has(f.ctx, collections.Join3(uint16(netuid), hot.addr, a.addr))
	require.NoError(t, err)
	require.False(t, has, "a closed position keeps no principal")

	// genesis carries the principal
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate())
	require.Len(t, gs.StakePositions, 1)
	require.Equal(t, math.NewInt(21*assay), gs.StakePositions[0].Principal)
	g := newFixture(t)
	require.NoError(t, g.k.InitGenesis(g.ctx, gs))
	// b is the pool's only holder now: its value is the whole pool
	requirePosition(t, g.position(b), 22*assay, 21*assay, 1*assay)

	// a genesis without principals counts earnings from the import
	gs.StakePositions[0].Principal = math.Int{}
	h := newFixture(t)
	require.NoError(t, h.k.InitGenesis(h.ctx, gs))
	requirePosition(t, h.position(b), 22*assay, 22*assay, 0)
	c := sdk.NewCoins(sdk.NewInt64Coin(types.Denom, 11*assay))
	require.NoError(t, h.bank.MintCoins(h.ctx, faucet, c))
	require.NoError(t, h.bank.SendCoinsFromModuleToAccount(h.ctx, faucet, b.addr, c))
	h.stake(netuid, b, hot, 11*assay)
	requirePosition(t, h.position(b), 33*assay, 33*assay, 0)
}

// A position refunded when its hotkey is pruned or its subnet dissolved
// leaves no principal behind.
func TestRefundDropsPrincipal(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1000 * assay)
	netuid := f.registerSubnet(owner, plainHP())
	cold, hot := f.funded(10*assay), newAccount()
	f.registerNeuron(netuid, cold, hot)
	a := f.funded(100 * assay)
	f.stake(netuid, a, hot, 5*assay)
	_, err := f.msgs.DissolveSubnet(f.ctx, &types.MsgDissolveSubnet{Owner: owner.String(), Netuid: netuid})
	require.NoError(t, err)
	n := 0
	require.NoError(t, f.k.StakePrincipal.Walk(f.ctx, nil, func(collections.Triple[uint16, sdk.AccAddress, sdk.AccAddress], math.Int) (bool, error) {
		n++
		return false, nil
	}))
	require.Zero(t, n)
}
