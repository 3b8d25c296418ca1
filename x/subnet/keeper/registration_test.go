package keeper_test

import (
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/assay-network/assay/x/subnet/keeper"
	"github.com/assay-network/assay/x/subnet/types"
)

func TestRegisterNeuronBurnsAndAssignsDenseUIDs(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1_000_000_000)
	cold := f.funded(1_000_000_000)
	netuid := f.registerSubnet(owner, nil)
	p := types.DefaultParams()
	minBurn := p.DefaultHyperparams.MinBurn

	supply := f.supply()
	paid := math.ZeroInt()
	want := minBurn
	for uid := uint32(0); uid < 3; uid++ {
		cost, err := f.k.RegistrationCost(f.ctx, uint16(netuid))
		require.NoError(t, err)
		require.Equal(t, want, cost, "uid %d", uid)
		res := f.registerNeuron(netuid, cold, newAccount())
		require.Equal(t, uid, res.Uid)
		require.Equal(t, cost.String(), res.Burned)
		paid = paid.Add(cost)
		// ×1.26 after each registration in the same block
		want = math.LegacyNewDecFromInt(cost).Mul(p.BurnIncrease).TruncateInt()
	}
	require.Equal(t, math.NewInt(1_000_000_000).Sub(paid), f.balance(cold.addr))
	require.Equal(t, supply.Sub(paid), f.supply(), "registration cost is burned, not kept")
	s, _ := f.k.GetSubnet(f.ctx, uint16(netuid))
	require.Equal(t, uint32(3), s.NeuronCount)
}

func TestRegistrationCostDecaysWithHalfLifeAndIsClamped(t *testing.T) {
	for _, tc := range []struct {
		amount, elapsed int64
		want            int64
	}{
		{1000, 0, 1000},
		{1000, 360, 500},
		{1000, 720, 250},
		{1000, 180, 707}, // 1000/√2 = 707.1
		{1_000_000, 90, 840_896},
		{1000, 360 * 300, 0},
	} {
		require.Equal(t, math.NewInt(tc.want), keeper.Decay(math.NewInt(tc.amount), tc.elapsed, 360), "%d after %d", tc.amount, tc.elapsed)
	}

	rapid.Check(t, func(rt *rapid.T) {
		amount := math.NewInt(rapid.Int64Range(0, 1<<50).Draw(rt, "amount"))
		a := rapid.Int64Range(0, 5000).Draw(rt, "a")
		b := rapid.Int64Range(a, 5000).Draw(rt, "b")
		da, db := keeper.Decay(amount, a, 360), keeper.Decay(amount, b, 360)
		if db.GT(da) || da.GT(amount) || db.IsNegative() {
			rt.Fatalf("decay not monotone: %s after %d = %s, after %d = %s", amount, a, da, b, db)
		}
	})

	f := newFixture(t)
	owner := f.funded(100_000_000_000)
	hp := types.DefaultHyperparams()
	hp.MaxBurn = math.NewInt(300_000)
	netuid := f.registerSubnet(owner, &hp)
	for i := 0; i < 8; i++ {
		f.registerNeuron(netuid, owner, newAccount())
	}
	cost, _ := f.k.RegistrationCost(f.ctx, uint16(netuid))
	require.Equal(t, hp.MaxBurn, cost, "clamped at max_burn")
	f.advance(360)
	cost, _ = f.k.RegistrationCost(f.ctx, uint16(netuid))
	require.Equal(t, hp.MaxBurn.QuoRaw(2), cost, "halved after one half-life")
	f.advance(360 * 20)
	cost, _ = f.k.RegistrationCost(f.ctx, uint16(netuid))
	require.Equal(t, hp.MinBurn, cost, "clamped at min_burn")
}

func TestRegisterNeuronRejectsBadInputWithoutWritingState(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1_000_000_000)
	cold := f.funded(1_000_000_000)
	netuid := f.registerSubnet(owner, nil)
	taken := newAccount()
	f.registerNeuron(netuid, cold, taken)
	big := math.NewInt(1_000_000_000)

	hot := newAccount()
	wrongSigner := newAccount()
	forged := registerMsg(netuid, cold, hot, big)
	forged.HotkeySignature, _ = wrongSigner.priv.Sign(types.RegistrationAuthorization(testChainID, uint16(netuid), cold.String(), hot.String()))
	otherKey := registerMsg(netuid, cold, hot, big)
	otherKey.HotkeyPubkey = wrongSigner.priv.PubKey().Bytes()
	otherNetuid := registerMsg(netuid, cold, hot, big)
	otherNetuid.HotkeySignature = registerMsg(netuid+1, cold, hot, big).HotkeySignature
	otherPayer := registerMsg(netuid, cold, hot, big)
	otherPayer.Coldkey = owner.String()
	poor := f.funded(10)

	cases := []struct {
		name     string
		msg      *types.MsgRegisterNeuron
		err      error
		contains string
	}{
		{"unknown netuid", registerMsg(999, cold, hot, big), types.ErrSubnetNotFound, "netuid 999"},
		{"reserved netuid", registerMsg(0, cold, hot, big), types.ErrInvalidNetuid, "netuid"},
		{"cost above max_cost", registerMsg(netuid, cold, hot, math.NewInt(1)), types.ErrCostAboveMax, "max_cost is 1uassay"},
		{"duplicate hotkey", registerMsg(netuid, cold, taken, big), types.ErrHotkeyRegistered, taken.String()},
		{"signature by another key", forged, types.ErrHotkeyProof, "hotkey_signature"},
		{"pubkey of another key", otherKey, types.ErrHotkeyProof, "hotkey_pubkey"},
		{"signature for another netuid", otherNetuid, types.ErrHotkeyProof, "hotkey_signature"},
		{"signature for another coldkey", otherPayer, types.ErrHotkeyProof, "hotkey_signature"},
		{"coldkey cannot pay", registerMsg(netuid, poor, hot, big), types.ErrInvalidAmount, "cannot pay"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			supply := f.supply()
			before, _ := f.k.GetSubnet(f.ctx, uint16(netuid))
			_, err := f.msgs.RegisterNeuron(f.ctx, tc.msg)
			require.ErrorIs(t, err, tc.err)
			require.ErrorContains(t, err, tc.contains)
			after, _ := f.k.GetSubnet(f.ctx, uint16(netuid))
			require.Equal(t, before, after)
			require.Equal(t, supply, f.supply())
			_, err = f.k.NeuronByHotkey(f.ctx, uint16(netuid), hot.addr)
			require.ErrorIs(t, err, types.ErrNeuronNotFound)
		})
	}
}

func TestFullSubnetPrunesLowestEmissionNonImmuneNeuron(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(100_000_000_000)
	hp := types.DefaultHyperparams()
	hp.MaxUids, hp.MaxValidators, hp.ImmunityPeriod = 3, 3, 10
	netuid := f.registerSubnet(owner, &hp)
	hot := []account{newAccount(), newAccount(), newAccount()}
	for _, h := range hot {
		f.registerNeuron(netuid, owner, h)
		f.advance(1)
	}

	// Everyone registered within the immunity period: a newcomer is refused.
	newcomer := newAccount()
	_, err := f.msgs.RegisterNeuron(f.ctx, registerMsg(netuid, owner, newcomer, math.NewInt(1_000_000_000)))
	require.ErrorIs(t, err, types.ErrAllImmune)
	require.ErrorContains(t, err, "immunity_period of 10 blocks")

	// UID 0 leaves immunity first but earned the most; UID 1 earned the least.
	f.advance(8) // heights: uid0 at 1, uid1 at 2, uid2 at 3; now 12
	setEmission(t, f, netuid, 0, 500)
	setEmission(t, f, netuid, 1, 10)
	setEmission(t, f, netuid, 2, 0) // lowest but still immune (registered at 3, 12-3 < 10)
	res, err := f.msgs.RegisterNeuron(f.ctx, registerMsg(netuid, owner, newcomer, math.NewInt(1_000_000_000)))
	require.NoError(t, err)
	require.Equal(t, uint32(1), res.Uid)
	require.Equal(t, hot[1].String(), res.PrunedHotkey)

	n, err := f.k.GetNeuron(f.ctx, uint16(netuid), 1)
	require.NoError(t, err)
	require.Equal(t, newcomer.String(), n.Hotkey)
	require.Nil(t, n.Axon, "a replaced UID starts without an axon")
	require.True(t, n.Emission.IsZero())
	_, err = f.k.NeuronByHotkey(f.ctx, uint16(netuid), hot[1].addr)
	require.ErrorIs(t, err, types.ErrNeuronNotFound, "the pruned hotkey is gone")
	s, _ := f.k.GetSubnet(f.ctx, uint16(netuid))
	require.Equal(t, uint32(3), s.NeuronCount)
}

func setEmission(t *testing.T, f *fixture, netuid, uid uint32, e int64) {
	t.Helper()
	n, err := f.k.GetNeuron(f.ctx, uint16(netuid), uid)
	require.NoError(t, err)
	n.Emission = math.NewInt(e)
	require.NoError(t, f.k.Neurons.Set(f.ctx, neuronKey(netuid, uid), n))
}

func TestPruneCandidateTieBreaks(t *testing.T) {
	n := func(uid uint32, emission, regAt int64) types.Neuron {
		return types.Neuron{Uid: uid, Emission: math.NewInt(emission), RegisteredAt: regAt}
	}
	for _, tc := range []struct {
		name    string
		neurons []types.Neuron
		height  int64
		want    uint32
		ok      bool
	}{
		{"lowest emission", []types.Neuron{n(0, 5, 0), n(1, 3, 0), n(2, 4, 0)}, 100, 1, true},
		{"tie: older registration", []types.Neuron{n(0, 3, 20), n(1, 3, 10), n(2, 3, 30)}, 100, 1, true},
		{"tie: lower uid", []types.Neuron{n(0, 9, 0), n(1, 3, 10), n(2, 3, 10)}, 100, 1, true},
		{"immune skipped", []types.Neuron{n(0, 9, 0), n(1, 0, 95), n(2, 8, 0)}, 100, 2, true},
		{"all immune", []types.Neuron{n(0, 0, 95), n(1, 0, 96)}, 100, 0, false},
		{"empty", nil, 100, 0, false},
	} {
		uid, ok := keeper.PruneCandidate(tc.neurons, tc.height, 10)
		require.Equal(t, tc.ok, ok, tc.name)
		require.Equal(t, tc.want, uid, tc.name)
	}
}

func TestServeAxon(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1_000_000_000)
	netuid := f.registerSubnet(owner, nil)
	hot := newAccount()
	f.registerNeuron(netuid, owner, hot)
	hash := "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	msg := &types.MsgServeAxon{Hotkey: hot.String(), Netuid: netuid, Endpoint: "127.0.0.1:8091", Protocol: "grpc", ModelHash: hash, Version: "1"}

	_, err := f.msgs.ServeAxon(f.ctx, msg)
	require.NoError(t, err)
	n, _ := f.k.NeuronByHotkey(f.ctx, uint16(netuid), hot.addr)
	require.Equal(t, "127.0.0.1:8091", n.Axon.Endpoint)
	require.Equal(t, hash, n.Axon.ModelHash)
	require.Equal(t, f.ctx.BlockHeight(), n.Axon.Block)

	f.advance(10)
	_, err = f.msgs.ServeAxon(f.ctx, msg)
	require.ErrorIs(t, err, types.ErrServingRateLimit)
	require.ErrorContains(t, err, "next allowed at block 51")
	f.advance(40)
	_, err = f.msgs.ServeAxon(f.ctx, msg)
	require.NoError(t, err)

	bad := *msg
	bad.Hotkey = newAccount().String()
	_, err = f.msgs.ServeAxon(f.ctx, &bad)
	require.ErrorIs(t, err, types.ErrNeuronNotFound)
	for field, mut := range map[string]func(*types.MsgServeAxon){
		"endpoint":   func(m *types.MsgServeAxon) { m.Endpoint = "no-port" },
		"model_hash": func(m *types.MsgServeAxon) { m.ModelHash = "abc" },
	} {
		m := *msg
		mut(&m)
		_, err = f.msgs.ServeAxon(f.ctx, &m)
		require.ErrorIs(t, err, types.ErrInvalidAxon)
		require.ErrorContains(t, err, field)
	}
}
