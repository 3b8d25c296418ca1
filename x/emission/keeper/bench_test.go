package keeper_test

import (
	"testing"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/subnet/epoch"
)

// fullSubnet registers uids neurons, stakes the first validators of them and
// has each validator weight every miner.
func fullSubnet(b *testing.B, f *fixture, owner account, tempo uint64, uids, validators int) uint32 {
	hp := quickHP(tempo)
	hp.MaxUids = uint32(uids)
	hp.MaxValidators = uint32(validators)
	hp.MaxBurn = math.NewInt(1)
	hp.MinBurn = math.NewInt(1)
	netuid := f.subnet(owner, hp)
	hots := make([]account, uids)
	for i := range hots {
		hots[i] = newAccount()
		f.neuron(netuid, owner, hots[i])
	}
	for v := 0; v < validators; v++ {
		f.stake(netuid, owner, hots[v], int64(1_000_000+v))
	}
	f.ctx = f.ctx.WithBlockHeight(f.ctx.BlockHeight() + 1)
	var targets, ws []uint32
	for j := validators; j < uids; j++ {
		targets = append(targets, uint32(j))
		ws = append(ws, uint32(1+j%1000))
	}
	for v := 0; v < validators; v++ {
		f.setWeights(netuid, hots[v], targets, ws)
	}
	return netuid
}

// BenchmarkEpoch256x64 is one EndBlock that runs the epoch of a subnet with
// 256 UIDs, 64 staked validators each weighting all 192 miners.
func BenchmarkEpoch256x64(b *testing.B) {
	f := newFixture(b)
	owner := f.funded(1 << 55)
	netuid := fullSubnet(b, f, owner, 10_000, 256, 64)
	f.block() // fund the pool
	base := f.ctx
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// an epoch block for this subnet, on a fresh cache so each run sees the same state
		h := epoch.Next(base.BlockHeight(), uint16(netuid), 10_000)
		ctx, _ := base.WithBlockHeight(h).WithEventManager(sdk.NewEventManager()).CacheContext()
		require.NoError(b, f.k.EndBlock(ctx))
	}
}

// BenchmarkEndBlock32Subnets: 32 subnets of 64 UIDs × 16 validators all due
// in the same block; max_epochs_per_block = 2 bounds each EndBlock, the
// other 30 wait their turn.
func BenchmarkEndBlock32Subnets(b *testing.B) {
	f := newFixture(b)
	p, _ := f.k.Params.Get(f.ctx)
	p.MaxEpochsPerBlock = 2
	require.NoError(b, f.k.Params.Set(f.ctx, p))
	sp, _ := f.sk.GetParams(f.ctx)
	sp.MaxSubnets = 32
	require.NoError(b, f.sk.Params.Set(f.ctx, sp))
	owner := f.funded(1 << 60)
	for i := 0; i < 32; i++ {
		fullSubnet(b, f, owner, 100_000, 64, 16)
	}
	f.block()
	// queue every subnet's epoch as due now (as if their tempos aligned)
	for n := uint32(1); n <= 32; n++ {
		require.NoError(b, f.k.Deferred.Set(f.ctx, joinDue(f.ctx.BlockHeight(), n)))
	}
	base := f.ctx
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ctx, _ := base.WithBlockHeight(base.BlockHeight() + 1).WithEventManager(sdk.NewEventManager()).CacheContext()
		require.NoError(b, f.k.EndBlock(ctx))
	}
}
