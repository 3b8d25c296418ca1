package keeper_test

import (
	"fmt"
	"math/rand"
	"testing"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/subnet/types"
)

func poolName(netuid uint16, hotkey sdk.AccAddress) string {
	return fmt.Sprintf("%d/%s", netuid, hotkey)
}

// requireStakeViewsAgree recomputes both stake views from the pools, the
// truth, and compares: Σ total_stake of a subnet's pools = SubnetStake, and
// each neuron's Stake = its pool's total_stake (0 without a pool). Then it
// asks the keeper's own check, which must agree.
func (f *fixture) requireStakeViewsAgree() {
	f.t.Helper()
	sums := map[uint16]math.Int{}
	pools := map[string]math.Int{}
	require.NoError(f.t, f.k.StakePools.Walk(f.ctx, nil, func(key collections.Pair[uint16, sdk.AccAddress], p types.StakePool) (bool, error) {
		require.True(f.t, p.TotalShares.IsPositive(), "stored pools hold shares")
		if s, ok := sums[key.K1()]; ok {
			sums[key.K1()] = s.Add(p.TotalStake)
		} else {
			sums[key.K1()] = p.TotalStake
		}
		pools[poolName(key.K1(), key.K2())] = p.TotalStake
		return false, nil
	}))
	require.NoError(f.t, f.k.Neurons.Walk(f.ctx, nil, func(_ collections.Pair[uint16, uint16], n types.Neuron) (bool, error) {
		key := poolName(uint16(n.Netuid), sdk.MustAccAddressFromBech32(n.Hotkey))
		want, ok := pools[key]
		if !ok {
			want = math.ZeroInt()
		}
		delete(pools, key)
		require.Equal(f.t, want.String(), n.Stake.String(), "Neuron.Stake of uid %d on netuid %d = its pool's total_stake", n.Uid, n.Netuid)
		return false, nil
	}))
	require.Empty(f.t, pools, "every pool belongs to a neuron")
	require.NoError(f.t, f.k.SubnetStake.Walk(f.ctx, nil, func(netuid uint16, stake math.Int) (bool, error) {
		require.Contains(f.t, sums, netuid, "SubnetStake of netuid %d without pools", netuid)
		return false, nil
	}))
	for netuid, sum := range sums {
		got, err := f.k.SubnetStake.Get(f.ctx, netuid)
		if sum.IsZero() {
			require.ErrorIs(f.t, err, collections.ErrNotFound, "zero subnet stake is not stored")
			continue
		}
		require.NoError(f.t, err)
		require.Equal(f.t, sum.String(), got.String(), "SubnetStake of netuid %d = Σ its pools", netuid)
	}
	require.NoError(f.t, f.k.CheckStakeViews(f.ctx))
}

// Random stake moves, rewards, pruning refunds and a dissolve never let the
// stake views drift from the pools.
func TestStakeViewsFollowPools(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(100_000 * assay)
	hp := plainHP()
	hp.MaxUids, hp.MaxValidators, hp.MinAllowedWeights = 3, 2, 1
	hp.ImmunityPeriod = 0 // every registration on a full subnet prunes
	live := []uint32{f.registerSubnet(owner, hp), f.registerSubnet(owner, hp), f.registerSubnet(owner, hp)}
	colds := make([]account, 4)
	for i := range colds {
		colds[i] = f.funded(10_000 * assay)
	}
	big := math.NewInt(1_000 * assay)
	rng := rand.New(rand.NewSource(12))
	pickNeuron := func(netuid uint32) (types.Neuron, bool) {
		ns, err := f.k.SubnetNeurons(f.ctx, uint16(netuid))
		require.NoError(t, err)
		if len(ns) == 0 {
			return types.Neuron{}, false
		}
		return ns[rng.Intn(len(ns))], true
	}
	var pruned, added, removed, rewarded int
	for step := 0; step < 300; step++ {
		netuid, cold := live[rng.Intn(len(live))], colds[rng.Intn(len(colds))]
		switch op := rng.Intn(10); {
		case op < 2:
			res, err := f.msgs.RegisterNeuron(f.ctx, registerMsg(netuid, cold, newAccount(), big))
			require.NoError(t, err)
			if res.PrunedHotkey != "" {
				pruned++
			}
		case op < 5:
			n, ok := pickNeuron(netuid)
			if !ok {
				continue
			}
			amt := math.NewInt(rng.Int63n(50*assay) + 1)
			_, err := f.msgs.AddStake(f.ctx, &types.MsgAddStake{Coldkey: cold.String(), Netuid: netuid, Hotkey: n.Hotkey, Amount: amt})
			if err != nil {
				require.ErrorIs(t, err, types.ErrStakeTooSmall)
			} else {
				added++
			}
		case op < 8:
			n, ok := pickNeuron(netuid)
			if !ok {
				continue
			}
			_, v, err := f.k.StakeOf(f.ctx, uint16(netuid), sdk.MustAccAddressFromBech32(n.Hotkey), cold.addr)
			require.NoError(t, err)
			if v.IsZero() {
				continue
			}
			if rng.Intn(2) == 0 {
				v = math.NewInt(rng.Int63n(v.Int64()) + 1)
			}
			_, err = f.msgs.RemoveStake(f.ctx, &types.MsgRemoveStake{Coldkey: cold.String(), Netuid: netuid, Hotkey: n.Hotkey, Amount: v})
			require.NoError(t, err)
			removed++
		default:
			n, ok := pickNeuron(netuid)
			if !ok {
				continue
			}
			reward := math.NewInt(rng.Int63n(999_983) + 1)
			c := sdk.NewCoins(sdk.NewCoin(types.Denom, reward))
			require.NoError(t, f.bank.MintCoins(f.ctx, faucet, c))
			require.NoError(t, f.bank.SendCoinsFromModuleToModule(f.ctx, faucet, types.ModuleName, c))
			require.NoError(t, f.k.AddRewardToStakePool(f.ctx, uint16(netuid), sdk.MustAccAddressFromBech32(n.Hotkey), reward))
			rewarded++
		}
		if step == 200 {
			_, err := f.msgs.DissolveSubnet(f.ctx, &types.MsgDissolveSubnet{Owner: owner.String(), Netuid: live[2]})
			require.NoError(t, err)
			live = live[:2]
		}
		f.advance(1)
		f.requireStakeViewsAgree()
		f.checkConservation()
	}
	t.Logf("%d prunes, %d adds, %d removals, %d rewards", pruned, added, removed, rewarded)
	for name, n := range map[string]int{"prunes": pruned, "adds": added, "removals": removed, "rewards": rewarded} {
		require.Positive(t, n, "the run exercised %s", name)
	}
}

// CheckStakeViews notices each way a view can drift from the pools.
func TestCheckStakeViewsCatchesDrift(t *testing.T) {
	setup := func(t *testing.T) (*fixture, uint16, types.Neuron) {
		f := newFixture(t)
		owner := f.funded(1000 * assay)
		netuid := f.registerSubnet(owner, plainHP())
		cold, hot := f.funded(100*assay), newAccount()
		f.registerNeuron(netuid, cold, hot)
		f.stake(netuid, cold, hot, 7*assay)
		require.NoError(t, f.k.CheckStakeViews(f.ctx))
		n, err := f.k.NeuronByHotkey(f.ctx, uint16(netuid), hot.addr)
		require.NoError(t, err)
		return f, uint16(netuid), n
	}
	cases := map[string]func(f *fixture, netuid uint16, n types.Neuron) error{
		"neuron stake": func(f *fixture, netuid uint16, n types.Neuron) error {
			n.Stake = n.Stake.AddRaw(1)
			return f.k.Neurons.Set(f.ctx, collections.Join(netuid, uint16(n.Uid)), n)
		},
		"subnet stake": func(f *fixture, netuid uint16, _ types.Neuron) error {
			return f.k.SubnetStake.Set(f.ctx, netuid, math.NewInt(6*assay))
		},
		"subnet stake missing": func(f *fixture, netuid uint16, _ types.Neuron) error {
			return f.k.SubnetStake.Remove(f.ctx, netuid)
		},
		"subnet stake without pools": func(f *fixture, _ uint16, _ types.Neuron) error {
			return f.k.SubnetStake.Set(f.ctx, 9, math.NewInt(1))
		},
		"pool without neuron": func(f *fixture, netuid uint16, _ types.Neuron) error {
			return f.k.StakePools.Set(f.ctx, collections.Join(netuid, newAccount().addr),
				types.StakePool{TotalStake: math.ZeroInt(), TotalShares: math.OneInt()})
		},
	}
	for name, corrupt := range cases {
		t.Run(name, func(t *testing.T) {
			f, netuid, n := setup(t)
			require.NoError(t, corrupt(f, netuid, n))
			require.Error(t, f.k.CheckStakeViews(f.ctx))
		})
	}
}
