package keeper_test

import (
	"testing"

	"cosmossdk.io/math"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/subnet/keeper"
	"github.com/assay-network/assay/x/subnet/types"
)

func TestRegisterSubnetLocksTheLockCost(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1_000_000_000)
	p := types.DefaultParams()

	res, err := f.msgs.RegisterSubnet(f.ctx, &types.MsgRegisterSubnet{Owner: owner.String(), Name: "gc", TaskSpec: germanCreditTask()})
	require.NoError(t, err)
	require.Equal(t, uint32(1), res.Netuid)
	require.Equal(t, p.MinLock.String(), res.Locked)
	require.Equal(t, math.NewInt(1_000_000_000).Sub(p.MinLock), f.balance(owner.addr))
	require.Equal(t, p.MinLock, f.balance(authtypes.NewModuleAddress(types.ModuleName)))

	s, err := f.k.GetSubnet(f.ctx, 1)
	require.NoError(t, err)
	require.Equal(t, p.DefaultHyperparams, s.Hyperparams)
	require.Equal(t, owner.String(), s.Owner)
	require.Equal(t, p.DefaultHyperparams.MinBurn, s.Burn, "a new subnet's registration cost starts at min_burn")

	var found bool
	for _, ev := range f.ctx.EventManager().Events() {
		found = found || ev.Type == "assay.subnet.v1.EventSubnetRegistered"
	}
	require.True(t, found, "EventSubnetRegistered emitted")
}

func TestLockCostDoublesThenDecaysToMinLock(t *testing.T) {
	p := types.DefaultParams()
	last := math.NewInt(400_000_000)
	interval := int64(p.LockReductionInterval)
	for _, tc := range []struct {
		elapsed int64
		want    math.Int
	}{
		{0, math.NewInt(800_000_000)},
		{interval / 2, math.NewInt(600_000_000)},
		{interval, math.NewInt(400_000_000)},
		{2 * interval, p.MinLock},
		{10 * interval, p.MinLock},
	} {
		got := keeper.LockCostAt(p, last, 1000, 1000+tc.elapsed)
		require.Equal(t, tc.want, got, "elapsed %d", tc.elapsed)
	}

	// Through the keeper: the second subnet in the same block costs twice the first.
	f := newFixture(t)
	owner := f.funded(10_000_000_000)
	f.registerSubnet(owner, nil)
	cost, err := f.k.LockCost(f.ctx)
	require.NoError(t, err)
	require.Equal(t, p.MinLock.MulRaw(2), cost)
	f.advance(interval)
	cost, err = f.k.LockCost(f.ctx)
	require.NoError(t, err)
	require.Equal(t, p.MinLock, cost)
}

func TestRegisterSubnetRejectsBadInputWithoutWritingState(t *testing.T) {
	badTask := func(t *testing.T, path string, value any) string { return taskWith(t, path, value) }
	outOfBounds := types.DefaultHyperparams()
	outOfBounds.Tempo = types.DefaultBounds().MaxTempo + 1
	invalidHP := types.DefaultHyperparams()
	invalidHP.Kappa = math.LegacyNewDec(2)
	one := math.OneInt()

	cases := []struct {
		name     string
		msg      func(owner string) *types.MsgRegisterSubnet
		err      error
		contains string
	}{
		{"unknown task type", func(o string) *types.MsgRegisterSubnet {
			return &types.MsgRegisterSubnet{Owner: o, Name: "x", TaskSpec: badTask(t, "task_type", "regression")}
		}, types.ErrInvalidTask, "task: task_type: "},
		{"unknown bias metric", func(o string) *types.MsgRegisterSubnet {
			return &types.MsgRegisterSubnet{Owner: o, Name: "x", TaskSpec: badTask(t, "fairness.bias_metric", "vibes")}
		}, types.ErrInvalidTask, "task: fairness.bias_metric: "},
		{"bias weight above 1", func(o string) *types.MsgRegisterSubnet {
			return &types.MsgRegisterSubnet{Owner: o, Name: "x", TaskSpec: badTask(t, "fairness.bias_weight", "2")}
		}, types.ErrInvalidTask, "task: fairness.bias_weight: "},
		{"validation fraction of 1", func(o string) *types.MsgRegisterSubnet {
			return &types.MsgRegisterSubnet{Owner: o, Name: "x", TaskSpec: badTask(t, "split.validation_fraction", "1")}
		}, types.ErrInvalidTask, "task: split.validation_fraction: "},
		{"temperature 0", func(o string) *types.MsgRegisterSubnet {
			return &types.MsgRegisterSubnet{Owner: o, Name: "x", TaskSpec: badTask(t, "reward.temperature", "0")}
		}, types.ErrInvalidTask, "task: reward.temperature: "},
		{"unknown field", func(o string) *types.MsgRegisterSubnet {
			return &types.MsgRegisterSubnet{Owner: o, Name: "x", TaskSpec: badTask(t, "feature_count", 20)}
		}, types.ErrInvalidTask, "task: feature_count: unknown field"},
		{"no task", func(o string) *types.MsgRegisterSubnet {
			return &types.MsgRegisterSubnet{Owner: o, Name: "x"}
		}, types.ErrInvalidTask, "task_spec: missing"},
		{"malformed JSON", func(o string) *types.MsgRegisterSubnet {
			return &types.MsgRegisterSubnet{Owner: o, Name: "x", TaskSpec: germanCreditTask()[:100]}
		}, types.ErrInvalidTask, "task: "},
		{"latency above the bound", func(o string) *types.MsgRegisterSubnet {
			return &types.MsgRegisterSubnet{Owner: o, Name: "x", TaskSpec: badTask(t, "max_latency_ms", 60001)}
		}, types.ErrInvalidTask, "task: max_latency_ms: "},
		{"hyperparameter invalid", func(o string) *types.MsgRegisterSubnet {
			return &types.MsgRegisterSubnet{Owner: o, Name: "x", TaskSpec: germanCreditTask(), Hyperparams: &invalidHP}
		}, types.ErrInvalidHyperparams, "kappa"},
		{"hyperparameter out of bounds", func(o string) *types.MsgRegisterSubnet {
			return &types.MsgRegisterSubnet{Owner: o, Name: "x", TaskSpec: germanCreditTask(), Hyperparams: &outOfBounds}
		}, types.ErrHyperparamOutOfBound, "tempo"},
		{"lock above max_lock", func(o string) *types.MsgRegisterSubnet {
			return &types.MsgRegisterSubnet{Owner: o, Name: "x", TaskSpec: germanCreditTask(), MaxLock: &one}
		}, types.ErrLockAboveMax, "max_lock"},
		{"bad owner", func(string) *types.MsgRegisterSubnet {
			return &types.MsgRegisterSubnet{Owner: "cosmos1nope", Name: "x", TaskSpec: germanCreditTask()}
		}, types.ErrInvalidAddress, "owner"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			owner := f.funded(1_000_000_000)
			_, err := f.msgs.RegisterSubnet(f.ctx, tc.msg(owner.String()))
			require.ErrorIs(t, err, tc.err)
			require.ErrorContains(t, err, tc.contains)
			require.NotContains(t, err.Error(), "\n", "one line")
			require.Equal(t, math.NewInt(1_000_000_000), f.balance(owner.addr), "no lock taken")
			_, err = f.k.GetSubnet(f.ctx, 1)
			require.ErrorIs(t, err, types.ErrSubnetNotFound)
		})
	}

	t.Run("owner cannot pay", func(t *testing.T) {
		f := newFixture(t)
		poor := f.funded(5)
		_, err := f.msgs.RegisterSubnet(f.ctx, &types.MsgRegisterSubnet{Owner: poor.String(), Name: "x", TaskSpec: germanCreditTask()})
		require.ErrorIs(t, err, types.ErrInvalidAmount)
		require.ErrorContains(t, err, "cannot lock")
		_, err = f.k.GetSubnet(f.ctx, 1)
		require.ErrorIs(t, err, types.ErrSubnetNotFound)
	})

	t.Run("max_subnets reached", func(t *testing.T) {
		f := newFixture(t)
		p := types.DefaultParams()
		p.MaxSubnets = 2
		require.NoError(t, f.k.Params.Set(f.ctx, p))
		owner := f.funded(100_000_000_000)
		f.registerSubnet(owner, nil)
		f.registerSubnet(owner, nil)
		before := f.balance(owner.addr)
		_, err := f.msgs.RegisterSubnet(f.ctx, &types.MsgRegisterSubnet{Owner: owner.String(), Name: "x", TaskSpec: germanCreditTask()})
		require.ErrorIs(t, err, types.ErrSubnetLimit)
		require.ErrorContains(t, err, "max_subnets is 2")
		require.Equal(t, before, f.balance(owner.addr))
	})
}

func TestNetuidsAreReusedLowestFirst(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(100_000_000_000)
	for want := uint32(1); want <= 3; want++ {
		require.Equal(t, want, f.registerSubnet(owner, nil))
	}
	_, err := f.msgs.DissolveSubnet(f.ctx, &types.MsgDissolveSubnet{Owner: owner.String(), Netuid: 2})
	require.NoError(t, err)
	require.Equal(t, uint32(2), f.registerSubnet(owner, nil))
	require.Equal(t, uint32(4), f.registerSubnet(owner, nil))
}

func TestUpdateHyperparams(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1_000_000_000)
	other := f.funded(1_000_000_000)
	netuid := f.registerSubnet(owner, nil)

	hp := types.DefaultHyperparams()
	hp.Tempo = 360
	hp.CommitReveal = false
	_, err := f.msgs.UpdateHyperparams(f.ctx, &types.MsgUpdateHyperparams{Owner: owner.String(), Netuid: netuid, Hyperparams: hp})
	require.NoError(t, err)
	s, _ := f.k.GetSubnet(f.ctx, uint16(netuid))
	require.Equal(t, uint64(360), s.Hyperparams.Tempo)
	require.False(t, s.Hyperparams.CommitReveal)

	_, err = f.msgs.UpdateHyperparams(f.ctx, &types.MsgUpdateHyperparams{Owner: other.String(), Netuid: netuid, Hyperparams: hp})
	require.ErrorIs(t, err, types.ErrNotOwner)

	_, err = f.msgs.UpdateHyperparams(f.ctx, &types.MsgUpdateHyperparams{Owner: owner.String(), Netuid: 77, Hyperparams: hp})
	require.ErrorIs(t, err, types.ErrSubnetNotFound)

	big := hp
	big.MaxUids = types.DefaultBounds().MaxUidsLimit + 1
	big.MaxValidators = 1
	_, err = f.msgs.UpdateHyperparams(f.ctx, &types.MsgUpdateHyperparams{Owner: owner.String(), Netuid: netuid, Hyperparams: big})
	require.ErrorIs(t, err, types.ErrHyperparamOutOfBound)
	require.ErrorContains(t, err, "max_uids")

	zero := hp
	zero.Tempo = 0
	_, err = f.msgs.UpdateHyperparams(f.ctx, &types.MsgUpdateHyperparams{Owner: owner.String(), Netuid: netuid, Hyperparams: zero})
	require.ErrorIs(t, err, types.ErrInvalidHyperparams)
	require.ErrorContains(t, err, "tempo")

	f.registerNeuron(netuid, owner, newAccount())
	f.registerNeuron(netuid, owner, newAccount())
	small := hp
	small.MaxUids, small.MaxValidators, small.MinAllowedWeights = 1, 1, 1
	_, err = f.msgs.UpdateHyperparams(f.ctx, &types.MsgUpdateHyperparams{Owner: owner.String(), Netuid: netuid, Hyperparams: small})
	require.ErrorIs(t, err, types.ErrInvalidHyperparams)
	require.ErrorContains(t, err, "below the 2 neurons")

	s, _ = f.k.GetSubnet(f.ctx, uint16(netuid))
	require.Equal(t, uint64(360), s.Hyperparams.Tempo, "failed updates change nothing")
}

func TestDissolveSubnetRefundsAndClearsEverything(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1_000_000_000)
	other := f.funded(1_000_000_000)
	netuid := f.registerSubnet(owner, nil)
	hot := newAccount()
	f.registerNeuron(netuid, owner, hot)
	f.registerNeuron(netuid, owner, newAccount())
	afterLock := f.balance(owner.addr)

	_, err := f.msgs.DissolveSubnet(f.ctx, &types.MsgDissolveSubnet{Owner: other.String(), Netuid: netuid})
	require.ErrorIs(t, err, types.ErrNotOwner)
	_, err = f.msgs.DissolveSubnet(f.ctx, &types.MsgDissolveSubnet{Owner: owner.String(), Netuid: 42})
	require.ErrorIs(t, err, types.ErrSubnetNotFound)

	res, err := f.msgs.DissolveSubnet(f.ctx, &types.MsgDissolveSubnet{Owner: owner.String(), Netuid: netuid})
	require.NoError(t, err)
	require.Equal(t, types.DefaultParams().MinLock.String(), res.Refunded)
	require.Equal(t, afterLock.Add(types.DefaultParams().MinLock), f.balance(owner.addr))
	require.True(t, f.balance(authtypes.NewModuleAddress(types.ModuleName)).IsZero())

	_, err = f.k.GetSubnet(f.ctx, uint16(netuid))
	require.ErrorIs(t, err, types.ErrSubnetNotFound)
	neurons, err := f.k.SubnetNeurons(f.ctx, uint16(netuid))
	require.NoError(t, err)
	require.Empty(t, neurons)
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.Empty(t, gs.Neurons)

	// The hotkey index is gone too: the same hotkey registers afresh as UID 0.
	netuid2 := f.registerSubnet(owner, nil)
	require.Equal(t, uint32(0), f.registerNeuron(netuid2, owner, hot).Uid)
}

func TestUpdateParamsNeedsTheAuthority(t *testing.T) {
	f := newFixture(t)
	p := types.DefaultParams()
	p.MaxSubnets = 5
	_, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: newAccount().String(), Params: p})
	require.ErrorIs(t, err, types.ErrInvalidAuthority)

	bad := p
	bad.BurnHalfLife = 0
	_, err = f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.k.Authority(), Params: bad})
	require.ErrorIs(t, err, types.ErrInvalidParams)
	require.ErrorContains(t, err, "burn_half_life")

	_, err = f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.k.Authority(), Params: p})
	require.NoError(t, err)
	got, _ := f.k.GetParams(f.ctx)
	require.Equal(t, uint32(5), got.MaxSubnets)
}
