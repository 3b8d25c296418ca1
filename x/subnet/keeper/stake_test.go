package keeper_test

import (
	"math/rand"
	"testing"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/subnet/types"
)

const assay = 1_000_000

// plainHP are default hyperparameters with commit-reveal off and a short rate limit.
func plainHP() *types.Hyperparams {
	hp := types.DefaultHyperparams()
	hp.CommitReveal = false
	hp.WeightsRateLimit = 10
	hp.Tempo = 9
	return &hp
}

func (f *fixture) stake(netuid uint32, cold, hot account, amount int64) *types.MsgAddStakeResponse {
	f.t.Helper()
	res, err := f.msgs.AddStake(f.ctx, &types.MsgAddStake{Coldkey: cold.String(), Netuid: netuid, Hotkey: hot.String(), Amount: math.NewInt(amount)})
	require.NoError(f.t, err)
	return res
}

func (f *fixture) unstake(netuid uint32, cold, hot account, amount math.Int) error {
	_, err := f.msgs.RemoveStake(f.ctx, &types.MsgRemoveStake{Coldkey: cold.String(), Netuid: netuid, Hotkey: hot.String(), Amount: amount})
	return err
}

func (f *fixture) stakeValue(netuid uint32, cold, hot account) math.Int {
	_, v, err := f.k.StakeOf(f.ctx, uint16(netuid), hot.addr, cold.addr)
	require.NoError(f.t, err)
	return v
}

func (f *fixture) moduleBalance() math.Int {
	return f.balance(authtypes.NewModuleAddress(types.ModuleName))
}

// checkConservation asserts module balance = Σ subnet locks + Σ pool stake + remainder,
// and that no pool owes its delegators more than it holds.
func (f *fixture) checkConservation() {
	f.t.Helper()
	locks := math.ZeroInt()
	require.NoError(f.t, f.k.Subnets.Walk(f.ctx, nil, func(_ uint16, s types.Subnet) (bool, error) {
		locks = locks.Add(s.Locked)
		return false, nil
	}))
	stake, err := f.k.TotalStake(f.ctx)
	require.NoError(f.t, err)
	require.Equal(f.t, f.moduleBalance().String(), locks.Add(stake).String(), "module balance = locks + stake + remainder")
	require.NoError(f.t, f.k.StakePools.Walk(f.ctx, nil, func(key collections.Pair[uint16, sdk.AccAddress], p types.StakePool) (bool, error) {
		shares, owed := math.ZeroInt(), math.ZeroInt()
		rng := collections.NewSuperPrefixedTripleRange[uint16, sdk.AccAddress, sdk.AccAddress](key.K1(), key.K2())
		require.NoError(f.t, f.k.StakePositions.Walk(f.ctx, rng, func(_ collections.Triple[uint16, sdk.AccAddress, sdk.AccAddress], s math.Int) (bool, error) {
			shares = shares.Add(s)
			owed = owed.Add(p.ValueOf(s))
			return false, nil
		}))
		require.Equal(f.t, p.TotalShares.String(), shares.String(), "pool shares = Σ positions")
		require.True(f.t, owed.LTE(p.TotalStake), "positions owe %s, pool holds %s", owed, p.TotalStake)
		return false, nil
	}))
}

func TestAddAndRemoveStake(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1000 * assay)
	netuid := f.registerSubnet(owner, plainHP())
	cold, hot := f.funded(10*assay), newAccount()
	f.registerNeuron(netuid, cold, hot)
	alice := f.funded(50 * assay)

	res := f.stake(netuid, alice, hot, 5*assay)
	require.Equal(t, math.NewInt(5*assay*types.ShareScale).String(), res.Shares)
	require.Equal(t, math.NewInt(45*assay), f.balance(alice.addr))
	n, err := f.k.NeuronByHotkey(f.ctx, uint16(netuid), hot.addr)
	require.NoError(t, err)
	require.Equal(t, math.NewInt(5*assay), n.Stake)
	require.True(t, n.ValidatorPermit, "5 ASSAY >= min_validator_stake 1 ASSAY")

	// Partial removal, then full removal.
	require.NoError(t, f.unstake(netuid, alice, hot, math.NewInt(2*assay)))
	require.Equal(t, math.NewInt(3*assay), f.stakeValue(netuid, alice, hot))
	err = f.unstake(netuid, alice, hot, math.NewInt(4*assay))
	require.ErrorIs(t, err, types.ErrInsufficientStake)
	require.ErrorContains(t, err, "removing 4000000uassay but")
	require.ErrorContains(t, err, "has 3000000uassay staked")
	require.NoError(t, f.unstake(netuid, alice, hot, math.NewInt(3*assay)))
	require.Equal(t, math.NewInt(50*assay), f.balance(alice.addr))
	has, err := f.k.StakePools.Has(f.ctx, collections.Join(uint16(netuid), hot.addr))
	require.NoError(t, err)
	require.False(t, has, "an emptied pool is deleted")
	n, _ = f.k.NeuronByHotkey(f.ctx, uint16(netuid), hot.addr)
	require.True(t, n.Stake.IsZero())
	require.False(t, n.ValidatorPermit)
	f.checkConservation()
}

func TestStakeBadInput(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1000 * assay)
	netuid := f.registerSubnet(owner, plainHP())
	cold, hot := f.funded(10*assay), newAccount()
	f.registerNeuron(netuid, cold, hot)
	poor := f.funded(10)
	stranger := newAccount()
	cases := []struct {
		name string
		msg  *types.MsgAddStake
		want error
	}{
		{"zero amount", &types.MsgAddStake{Coldkey: poor.String(), Netuid: netuid, Hotkey: hot.String(), Amount: math.ZeroInt()}, types.ErrInvalidAmount},
		{"unknown hotkey", &types.MsgAddStake{Coldkey: poor.String(), Netuid: netuid, Hotkey: stranger.String(), Amount: math.NewInt(5)}, types.ErrNeuronNotFound},
		{"unknown subnet", &types.MsgAddStake{Coldkey: poor.String(), Netuid: 9, Hotkey: hot.String(), Amount: math.NewInt(5)}, types.ErrSubnetNotFound},
		{"not enough funds", &types.MsgAddStake{Coldkey: poor.String(), Netuid: netuid, Hotkey: hot.String(), Amount: math.NewInt(11)}, types.ErrInvalidAmount},
		{"bad coldkey", &types.MsgAddStake{Coldkey: "x", Netuid: netuid, Hotkey: hot.String(), Amount: math.NewInt(5)}, types.ErrInvalidAddress},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.msgs.AddStake(f.ctx, tc.msg)
			require.ErrorIs(t, err, tc.want)
		})
	}
	err := f.unstake(netuid, poor, hot, math.NewInt(1))
	require.ErrorIs(t, err, types.ErrInsufficientStake)
	require.ErrorContains(t, err, "has 0uassay staked")
	require.True(t, f.moduleBalance().Equal(types.DefaultParams().MinLock))
	f.checkConservation()
}

func TestRewardsRaiseEveryDelegatorProRata(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1000 * assay)
	netuid := f.registerSubnet(owner, plainHP())
	cold, hot := f.funded(10*assay), newAccount()
	f.registerNeuron(netuid, cold, hot)
	a, b := f.funded(100*assay), f.funded(100*assay)
	f.stake(netuid, a, hot, 30*assay)
	f.stake(netuid, b, hot, 10*assay)

	// x/emission would send the reward to the module account first.
	reward := math.NewInt(4 * assay)
	require.NoError(t, f.bank.MintCoins(f.ctx, faucet, sdk.NewCoins(sdk.NewCoin(types.Denom, reward))))
	require.NoError(t, f.bank.SendCoinsFromModuleToModule(f.ctx, faucet, types.ModuleName, sdk.NewCoins(sdk.NewCoin(types.Denom, reward))))
	require.NoError(t, f.k.AddRewardToStakePool(f.ctx, uint16(netuid), hot.addr, reward))

	require.Equal(t, math.NewInt(33*assay), f.stakeValue(netuid, a, hot))
	require.Equal(t, math.NewInt(11*assay), f.stakeValue(netuid, b, hot))
	// A later delegator buys in at the new price and gains nothing from the past reward.
	c := f.funded(100 * assay)
	f.stake(netuid, c, hot, 11*assay)
	require.Equal(t, math.NewInt(11*assay), f.stakeValue(netuid, c, hot))
	require.Equal(t, math.NewInt(33*assay), f.stakeValue(netuid, a, hot))
	f.checkConservation()
}

// TestStakeConservesTokens runs random stake/unstake/reward sequences over
// several hotkeys and delegators and checks, after every step, that the module
// account holds exactly the subnet locks + Σ pool stake + the tracked remainder,
// and that the supply never changes except by the rewards minted in.
func TestStakeConservesTokens(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1000 * assay)
	netuid := f.registerSubnet(owner, plainHP())
	hots := make([]account, 3)
	for i := range hots {
		hots[i] = newAccount()
		f.registerNeuron(netuid, f.funded(10*assay), hots[i])
	}
	colds := make([]account, 4)
	for i := range colds {
		colds[i] = f.funded(1_000 * assay)
	}
	rng := rand.New(rand.NewSource(7))
	supply := f.supply()
	for step := 0; step < 400; step++ {
		cold, hot := colds[rng.Intn(len(colds))], hots[rng.Intn(len(hots))]
		switch rng.Intn(4) {
		case 0, 1:
			amt := math.NewInt(rng.Int63n(7*assay) + 1)
			_, err := f.msgs.AddStake(f.ctx, &types.MsgAddStake{Coldkey: cold.String(), Netuid: netuid, Hotkey: hot.String(), Amount: amt})
			if err != nil {
				require.ErrorIs(t, err, types.ErrStakeTooSmall)
			}
		case 2:
			v := f.stakeValue(netuid, cold, hot)
			if v.IsZero() {
				continue
			}
			amt := v
			if rng.Intn(2) == 0 {
				amt = math.NewInt(rng.Int63n(v.Int64()) + 1)
			}
			require.NoError(t, f.unstake(netuid, cold, hot, amt))
		case 3:
			reward := math.NewInt(rng.Int63n(999_983) + 1)
			pool, err := f.k.GetStakePool(f.ctx, uint16(netuid), hot.addr)
			require.NoError(t, err)
			if pool.TotalShares.IsZero() {
				continue
			}
			c := sdk.NewCoins(sdk.NewCoin(types.Denom, reward))
			require.NoError(t, f.bank.MintCoins(f.ctx, faucet, c))
			require.NoError(t, f.bank.SendCoinsFromModuleToModule(f.ctx, faucet, types.ModuleName, c))
			require.NoError(t, f.k.AddRewardToStakePool(f.ctx, uint16(netuid), hot.addr, reward))
			supply = supply.Add(reward)
		}
		f.checkConservation()
		require.Equal(t, supply.String(), f.supply().String())
	}
	// Everyone leaves: every pool empties and only the remainder stays.
	for _, cold := range colds {
		for _, hot := range hots {
			if v := f.stakeValue(netuid, cold, hot); v.IsPositive() {
				require.NoError(t, f.unstake(netuid, cold, hot, v))
			}
		}
	}
	f.checkConservation()
	rem, err := f.k.StakeRemainder.Get(f.ctx)
	require.NoError(t, err)
	require.Equal(t, f.moduleBalance().Sub(types.DefaultParams().MinLock).String(), rem.String())
}

func TestPruneRefundsStakeAndClearsWeights(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1000 * assay)
	hp := plainHP()
	hp.MaxUids, hp.MaxValidators, hp.ImmunityPeriod = 2, 2, 1
	netuid := f.registerSubnet(owner, hp)
	v, m := newAccount(), newAccount()
	f.registerNeuron(netuid, f.funded(10*assay), v)
	f.registerNeuron(netuid, f.funded(10*assay), m)
	a, b := f.funded(100*assay), f.funded(100*assay)
	f.stake(netuid, a, v, 7*assay)
	f.stake(netuid, b, v, 3*assay)
	f.setWeights(netuid, v, []uint32{1}, []uint32{100})
	f.advance(5)

	// Give m emission so v (uid 0) is the prune candidate.
	n1, _ := f.k.GetNeuron(f.ctx, uint16(netuid), 1)
	n1.Emission = math.NewInt(5)
	require.NoError(t, f.k.Neurons.Set(f.ctx, collections.Join(uint16(netuid), uint16(1)), n1))
	res := f.registerNeuron(netuid, f.funded(10*assay), newAccount())
	require.Equal(t, v.String(), res.PrunedHotkey)

	require.Equal(t, math.NewInt(100*assay), f.balance(a.addr))
	require.Equal(t, math.NewInt(100*assay), f.balance(b.addr))
	row, err := f.k.GetWeights(f.ctx, uint16(netuid), 0)
	require.NoError(t, err)
	require.Empty(t, row.Uids)
	n0, _ := f.k.GetNeuron(f.ctx, uint16(netuid), 0)
	require.False(t, n0.ValidatorPermit)
	require.True(t, n0.Stake.IsZero())
	qs, err := f.qs.StakeByAddress(f.ctx, &types.QueryStakeByAddressRequest{Address: a.String()})
	require.NoError(t, err)
	require.Empty(t, qs.Positions)
	f.checkConservation()
}

func TestDissolveRefundsStake(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1000 * assay)
	netuid := f.registerSubnet(owner, nil)
	hot := newAccount()
	f.registerNeuron(netuid, f.funded(10*assay), hot)
	a := f.funded(100 * assay)
	f.stake(netuid, a, hot, 60*assay)
	_, err := f.msgs.CommitWeights(f.ctx, &types.MsgCommitWeights{Hotkey: hot.String(), Netuid: netuid, Hash: make([]byte, 32)})
	require.NoError(t, err)
	_, err = f.msgs.DissolveSubnet(f.ctx, &types.MsgDissolveSubnet{Owner: owner.String(), Netuid: netuid})
	require.NoError(t, err)
	require.Equal(t, math.NewInt(100*assay), f.balance(a.addr))
	require.True(t, f.moduleBalance().IsZero())
	has, err := f.k.Commits.Has(f.ctx, collections.Join(uint16(netuid), hot.addr))
	require.NoError(t, err)
	require.False(t, has)
	f.checkConservation()
}

func TestStakeQueries(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1000 * assay)
	netuid := f.registerSubnet(owner, plainHP())
	h1, h2 := newAccount(), newAccount()
	f.registerNeuron(netuid, f.funded(10*assay), h1)
	f.registerNeuron(netuid, f.funded(10*assay), h2)
	a, b := f.funded(100*assay), f.funded(100*assay)
	f.stake(netuid, a, h1, 2*assay)
	f.stake(netuid, a, h2, 3*assay)
	f.stake(netuid, b, h1, 4*assay)

	byAddr, err := f.qs.StakeByAddress(f.ctx, &types.QueryStakeByAddressRequest{Address: a.String()})
	require.NoError(t, err)
	require.Len(t, byAddr.Positions, 2)
	require.Equal(t, math.NewInt(5*assay), byAddr.Total)
	hs, err := f.qs.HotkeyStake(f.ctx, &types.QueryHotkeyStakeRequest{Netuid: netuid, Hotkey: h1.String()})
	require.NoError(t, err)
	require.Equal(t, math.NewInt(6*assay), hs.Pool.TotalStake)
	require.True(t, hs.ValidatorPermit)
	require.Equal(t, math.LegacyNewDecWithPrec(18, 2), hs.Take)
	dels, err := f.qs.Delegators(f.ctx, &types.QueryDelegatorsRequest{Netuid: netuid, Hotkey: h1.String()})
	require.NoError(t, err)
	require.Len(t, dels.Positions, 2)
	mg, err := f.qs.Metagraph(f.ctx, &types.QueryMetagraphRequest{Netuid: netuid})
	require.NoError(t, err)
	require.Equal(t, math.NewInt(6*assay), mg.Neurons[0].Stake)
	require.True(t, mg.Neurons[1].ValidatorPermit)
	_, err = f.qs.StakeByAddress(f.ctx, &types.QueryStakeByAddressRequest{Address: "nope"})
	require.Error(t, err)

	// Genesis round trip keeps stake state.
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate())
	require.Len(t, gs.StakePools, 2)
	require.Len(t, gs.StakePositions, 3)
	g := newFixture(t)
	require.NoError(t, g.k.InitGenesis(g.ctx, gs))
	gs2, err := g.k.ExportGenesis(g.ctx)
	require.NoError(t, err)
	require.Equal(t, gs, gs2)
}
