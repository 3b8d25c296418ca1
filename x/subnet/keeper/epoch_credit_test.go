package keeper_test

import (
	"testing"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/emission/yuma"
	"github.com/assay-network/assay/x/subnet/types"
)

// unchangedResults are results that leave every neuron and bond as it is.
func unchangedResults(in types.EpochInputs) types.EpochResults {
	n := len(in.Hotkeys)
	res := types.EpochResults{Permits: in.Permits, Emission: make([]uint64, n), Consensus: make([]yuma.Fixed, n),
		ValidatorTrust: make([]yuma.Fixed, n), Incentive: make([]yuma.Fixed, n), Dividends: make([]yuma.Fixed, n), Bonds: in.Bonds}
	return res
}

// An epoch's credits do what AddRewardToStakePool does: a staked pool and
// its views grow by the reward, a pool without shares hands it to the
// remainder, and the module account stays accounted for.
func TestRunEpochCreditsStakePools(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1000 * assay)
	netuid := uint16(f.registerSubnet(owner, plainHP()))
	staked, bare := newAccount(), newAccount()
	f.registerNeuron(uint32(netuid), f.funded(10*assay), staked)
	f.registerNeuron(uint32(netuid), f.funded(10*assay), bare)
	a := f.funded(100 * assay)
	f.stake(uint32(netuid), a, staked, 30*assay)
	before, err := f.k.SubnetStake.Get(f.ctx, netuid)
	require.NoError(t, err)
	remainder, err := f.k.StakeRemainder.Get(f.ctx)
	if err != nil {
		remainder = math.ZeroInt()
	}

	r1, r2 := math.NewInt(3*assay), math.NewInt(2*assay)
	total := sdk.NewCoins(sdk.NewCoin(types.Denom, r1.Add(r2)))
	require.NoError(t, f.bank.MintCoins(f.ctx, faucet, total))
	require.NoError(t, f.bank.SendCoinsFromModuleToModule(f.ctx, faucet, types.ModuleName, total))
	require.NoError(t, f.k.RunEpoch(f.ctx, netuid, func(in types.EpochInputs) (types.EpochResults, error) {
		res := unchangedResults(in)
		res.Credits = []types.StakeCredit{{UID: 0, Hotkey: staked.addr, Amount: r1.Uint64()}, {UID: 1, Hotkey: bare.addr, Amount: r2.Uint64()}}
		return res, nil
	}))

	require.Equal(t, math.NewInt(33*assay), f.stakeValue(uint32(netuid), a, staked))
	n, err := f.k.Neurons.Get(f.ctx, collections.Join(netuid, uint16(0)))
	require.NoError(t, err)
	require.Equal(t, math.NewInt(33*assay), n.Stake)
	f.requireStakeViewsAgree()
	after, err := f.k.SubnetStake.Get(f.ctx, netuid)
	require.NoError(t, err)
	require.Equal(t, before.Add(r1), after)
	got, err := f.k.StakeRemainder.Get(f.ctx)
	require.NoError(t, err)
	require.Equal(t, remainder.Add(r2), got)
	f.checkConservation()

	err = f.k.RunEpoch(f.ctx, netuid, func(in types.EpochInputs) (types.EpochResults, error) {
		res := unchangedResults(in)
		res.Credits = []types.StakeCredit{{UID: 9, Hotkey: staked.addr, Amount: r1.Uint64()}}
		return res, nil
	})
	require.ErrorIs(t, err, types.ErrNeuronNotFound)
}
