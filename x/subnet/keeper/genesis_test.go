package keeper_test

import (
	"strings"
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/task"
	"github.com/assay-network/assay/x/subnet/types"
)

func TestGenesisExportImportRoundTrip(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(100_000_000_000)
	f.registerSubnet(owner, nil)
	hp := types.DefaultHyperparams()
	hp.Tempo = 42
	f.registerSubnet(owner, &hp)
	hot := newAccount()
	f.registerNeuron(1, owner, hot)
	f.registerNeuron(2, owner, newAccount())
	f.registerNeuron(2, owner, hot)
	_, err := f.msgs.ServeAxon(f.ctx, &types.MsgServeAxon{Hotkey: hot.String(), Netuid: 2, Endpoint: "10.0.0.1:9000",
		Protocol: "grpc", ModelHash: "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"})
	require.NoError(t, err)

	exported, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, exported.Validate())
	require.Len(t, exported.Subnets, 2)
	require.Len(t, exported.Neurons, 3)
	require.Equal(t, []types.GenesisUID{{Netuid: 2, Uid: 1}}, exported.BondResets, "a first model hash awaits its bonds reset")
	require.Equal(t, []types.GenesisModel{{Netuid: 2, ModelHash: "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
		Publisher: types.ModelPublisher{Block: f.ctx.BlockHeight(), Uid: 1, Hotkey: hot.String()}}}, exported.Models)
	spec, err := task.Parse([]byte(germanCreditTask()))
	require.NoError(t, err)
	hash, err := spec.Hash()
	require.NoError(t, err)
	for _, s := range exported.Subnets {
		require.Equal(t, hash, s.TaskHash, "the v2 spec travels with its hash")
	}

	g := newFixture(t)
	g.ctx = g.ctx.WithBlockHeight(f.ctx.BlockHeight())
	require.NoError(t, g.k.InitGenesis(g.ctx, exported))
	again, err := g.k.ExportGenesis(g.ctx)
	require.NoError(t, err)
	a, _ := exported.Marshal()
	b, _ := again.Marshal()
	require.Equal(t, a, b, "export → import → export is identical")

	// The hotkey index was rebuilt, so lookups and duplicate checks work.
	n, err := g.k.NeuronByHotkey(g.ctx, 2, hot.addr)
	require.NoError(t, err)
	require.Equal(t, uint32(1), n.Uid)
	_, err = g.msgs.RegisterNeuron(g.ctx, registerMsg(2, owner, hot, math.NewInt(1_000_000_000)))
	require.ErrorIs(t, err, types.ErrHotkeyRegistered)
	// And costs continue from the imported state.
	fc, _ := f.k.LockCost(f.ctx)
	gc, _ := g.k.LockCost(g.ctx)
	require.Equal(t, fc, gc)
}

func TestGenesisValidateRejectsInconsistentState(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(100_000_000_000)
	f.registerSubnet(owner, nil)
	f.registerNeuron(1, owner, newAccount())
	f.registerNeuron(1, owner, newAccount())
	good, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)

	for name, tc := range map[string]struct {
		mut  func(*types.GenesisState)
		want string
	}{
		"duplicate netuid":   {func(g *types.GenesisState) { g.Subnets = append(g.Subnets, g.Subnets[0]) }, "duplicate netuid"},
		"orphan neuron":      {func(g *types.GenesisState) { g.Neurons[0].Netuid = 7 }, "unknown netuid 7"},
		"count mismatch":     {func(g *types.GenesisState) { g.Subnets[0].NeuronCount = 5 }, "neuron_count"},
		"sparse uids":        {func(g *types.GenesisState) { g.Neurons[1].Uid = 4 }, "UIDs are dense"},
		"duplicate hotkey":   {func(g *types.GenesisState) { g.Neurons[1].Hotkey = g.Neurons[0].Hotkey }, "registered twice"},
		"reserved netuid 0":  {func(g *types.GenesisState) { g.Subnets[0].Netuid = 0 }, "netuid"},
		"negative last lock": {func(g *types.GenesisState) { g.LastLock = math.NewInt(-1) }, "last_lock"},
		"bad params":         {func(g *types.GenesisState) { g.Params.BurnHalfLife = 0 }, "burn_half_life"},
		"task not canonical": {func(g *types.GenesisState) { g.Subnets[0].TaskSpec = germanCreditTask() }, "task_spec: not in canonical form"},
		"unknown bond reset": {func(g *types.GenesisState) {
			g.BondResets = append(g.BondResets, types.GenesisUID{Netuid: 1, Uid: 2})
		}, "bond_resets[0]: no uid 2 on netuid 1"},
		"duplicate bond reset": {func(g *types.GenesisState) {
			g.BondResets = append(g.BondResets, types.GenesisUID{Netuid: 1, Uid: 1}, types.GenesisUID{Netuid: 1, Uid: 1})
		}, "bond_resets[1]: duplicate uid 1"},
		"model on unknown subnet": {func(g *types.GenesisState) {
			g.Models = []types.GenesisModel{{Netuid: 7, ModelHash: strings.Repeat("a", 64), Publisher: types.ModelPublisher{Hotkey: g.Neurons[0].Hotkey}}}
		}, "models[0]: unknown netuid 7"},
		"model hash uppercase": {func(g *types.GenesisState) {
			g.Models = []types.GenesisModel{{Netuid: 1, ModelHash: strings.Repeat("A", 64), Publisher: types.ModelPublisher{Hotkey: g.Neurons[0].Hotkey}}}
		}, "models[0].model_hash"},
		"model publisher uid": {func(g *types.GenesisState) {
			g.Models = []types.GenesisModel{{Netuid: 1, ModelHash: strings.Repeat("a", 64), Publisher: types.ModelPublisher{Uid: 2, Hotkey: g.Neurons[0].Hotkey}}}
		}, "models[0].publisher.uid"},
		"model duplicate": {func(g *types.GenesisState) {
			m := types.GenesisModel{Netuid: 1, ModelHash: strings.Repeat("a", 64), Publisher: types.ModelPublisher{Hotkey: g.Neurons[0].Hotkey}}
			g.Models = []types.GenesisModel{m, m}
		}, "models[1]: duplicate model_hash"},
		"wrong task hash": {func(g *types.GenesisState) { g.Subnets[0].TaskHash = strings.Repeat("0", 64) }, "task_hash"},
		"no task":         {func(g *types.GenesisState) { g.Subnets[0].TaskSpec = "" }, "task_spec: missing"},
		"invalid task": {func(g *types.GenesisState) {
			g.Subnets[0].TaskSpec = strings.Replace(g.Subnets[0].TaskSpec, `"metric":"accuracy"`, `"metric":"vibes"`, 1)
		}, "task: metric: "},
	} {
		var gs types.GenesisState
		bz, _ := good.Marshal()
		require.NoError(t, gs.Unmarshal(bz))
		tc.mut(&gs)
		err := gs.Validate()
		require.Error(t, err, name)
		require.ErrorContains(t, err, tc.want, name)
		// InitGenesis refuses it too, before writing anything.
		g := newFixture(t)
		require.Error(t, g.k.InitGenesis(g.ctx, &gs), name)
	}
}
