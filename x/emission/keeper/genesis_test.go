package keeper_test

import (
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/subnet/epoch"
)

func TestGenesisRoundTrip(t *testing.T) {
	f := newFixture(t)
	netuid, _, _, _, _, _ := subnetWithMiners(t, f, 4)
	next := epoch.Next(f.ctx.BlockHeight(), uint16(netuid), 4)
	for f.ctx.BlockHeight() < next+2 {
		f.block()
	}
	exported, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, exported.Validate())
	require.NotEmpty(t, exported.History)
	require.NotEmpty(t, exported.Rewards)

	g := newFixture(t)
	require.NoError(t, g.k.InitGenesis(g.ctx, exported))
	again, err := g.k.ExportGenesis(g.ctx)
	require.NoError(t, err)
	a, _ := exported.Marshal()
	b, _ := again.Marshal()
	require.Equal(t, a, b)
}

func TestGenesisValidate(t *testing.T) {
	good := types.DefaultGenesis()
	good.Issued = math.NewInt(100)
	good.Pools = []types.SubnetPool{{Netuid: 1, Pending: math.NewInt(60), Received: math.NewInt(60)}}
	require.NoError(t, good.Validate())
	for name, mut := range map[string]func(*types.GenesisState){
		"pending over issued": func(g *types.GenesisState) { g.Pools[0].Pending = math.NewInt(101) },
		"duplicate pool":      func(g *types.GenesisState) { g.Pools = append(g.Pools, g.Pools[0]) },
		"negative carry":      func(g *types.GenesisState) { g.Carry = math.NewInt(-1) },
		"deferred orphan":     func(g *types.GenesisState) { g.Deferred = []types.DeferredEpoch{{DueBlock: 5, Netuid: 9}} },
		"bad params":          func(g *types.GenesisState) { g.Params.HistoryLength = 0 },
	} {
		g := *good
		g.Pools = append([]types.SubnetPool(nil), good.Pools...)
		mut(&g)
		require.Error(t, g.Validate(), name)
	}
	// netuids beyond uint16 would wrap onto another subnet's keys
	for field, mut := range map[string]func(*types.GenesisState){
		"pools[1].netuid":   func(g *types.GenesisState) { g.Pools = append(g.Pools, types.SubnetPool{Netuid: 1<<16 + 1}) },
		"history[0].netuid": func(g *types.GenesisState) { g.History = []types.EpochRecord{{Netuid: 1 << 16}} },
		"rewards[0].netuid": func(g *types.GenesisState) { g.Rewards = []types.AddressRewards{{Netuid: 1 << 20}} },
	} {
		g := *good
		g.Pools = append([]types.SubnetPool(nil), good.Pools...)
		mut(&g)
		err := g.Validate()
		require.ErrorIs(t, err, types.ErrInvalidGenesis, field)
		require.ErrorContains(t, err, field)
	}
}
