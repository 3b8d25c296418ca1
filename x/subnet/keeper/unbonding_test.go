package keeper_test

import (
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/subnet/types"
)

func TestUnbondingPeriodHoldsRemovedStakeUntilRelease(t *testing.T) {
	f := newFixture(t)
	p, _ := f.k.GetParams(f.ctx)
	p.UnbondingPeriod = 10
	require.NoError(t, f.k.Params.Set(f.ctx, p))
	owner := f.funded(1000 * assay)
	netuid := f.registerSubnet(owner, plainHP())
	cold, hot := f.funded(10*assay), newAccount()
	f.registerNeuron(netuid, cold, hot)
	alice := f.funded(50 * assay)
	f.stake(netuid, alice, hot, 5*assay)

	require.NoError(t, f.unstake(netuid, alice, hot, math.NewInt(2*assay)))
	require.Equal(t, math.NewInt(45*assay), f.balance(alice.addr), "nothing paid yet")
	require.Equal(t, math.NewInt(3*assay), f.stakeValue(netuid, alice, hot), "the position shrank at once")
	res, err := f.qs.Unbondings(f.ctx, &types.QueryUnbondingsRequest{Address: alice.String()})
	require.NoError(t, err)
	require.Len(t, res.Unbondings, 1)
	release := f.ctx.BlockHeight() + 10
	require.Equal(t, release, res.Unbondings[0].ReleaseBlock)
	require.Equal(t, math.NewInt(2*assay), res.Unbondings[0].Amount)
	f.checkConservation()

	// survives an export/import
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate())
	require.Len(t, gs.Unbondings, 1)

	f.ctx = f.ctx.WithBlockHeight(release - 1)
	require.NoError(t, f.k.EndBlock(f.ctx))
	require.Equal(t, math.NewInt(45*assay), f.balance(alice.addr))
	f.ctx = f.ctx.WithBlockHeight(release)
	require.NoError(t, f.k.EndBlock(f.ctx))
	require.Equal(t, math.NewInt(47*assay), f.balance(alice.addr), "paid at the release block")
	res, _ = f.qs.Unbondings(f.ctx, &types.QueryUnbondingsRequest{Address: alice.String()})
	require.Empty(t, res.Unbondings)
	f.checkConservation()

	_, err = f.qs.Unbondings(f.ctx, &types.QueryUnbondingsRequest{Address: "nope"})
	require.ErrorIs(t, err, types.ErrInvalidAddress)

	p.UnbondingPeriod = 2_000_000
	require.ErrorContains(t, p.Validate(), "unbonding_period")
}
