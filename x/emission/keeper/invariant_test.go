package keeper_test

import (
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/emission/types"
)

// tx runs fn like a transaction: on a cached context whose writes land only if
// fn succeeds, so a failed message leaves no trace.
func (f *fixture) tx(fn func(ctx sdk.Context) error) bool {
	cctx, write := f.ctx.CacheContext()
	if err := fn(cctx); err != nil {
		return false
	}
	write()
	return true
}

// The invariant function must see a uassay that appears or vanishes in
// either equation.
func TestSupplyInvariantDetectsBreaks(t *testing.T) {
	f := newFixture(t)
	netuid, _, _, _, _, _ := subnetWithMiners(t, f, 4)
	f.blocks(13) // past two paid epochs, with the next pool pending
	r, err := f.k.SupplyInvariant(f.ctx)
	require.NoError(t, err)
	require.NoError(t, r.Check())
	require.True(t, r.Holds())
	require.True(t, r.Paid.IsPositive() && r.StakePools.IsPositive() && r.Pending.IsPositive(), "%+v", r)
	require.Equal(t, r.Issued, r.Accounted())
	require.Equal(t, f.ctx.BlockHeight(), r.Block)
	require.Equal(t, uint32(4), r.Addresses, "owner, the miners' coldkey, the validator's coldkey and hotkey")
	// the query serves the same report
	q, err := f.qs.Supply(f.ctx, &types.QuerySupplyRequest{})
	require.NoError(t, err)
	require.Equal(t, &types.QuerySupplyResponse{Block: r.Block, Issued: r.Issued, Paid: r.Paid, StakePools: r.StakePools,
		Rewards: r.Paid.Add(r.StakePools), Pending: r.Pending, Carry: r.Carry, Burned: r.Burned, ModuleBalance: r.ModuleBalance,
		Addresses: r.Addresses, Holds: true}, q)

	// issued no longer matches: one uassay more carried than minted
	cctx, _ := f.ctx.CacheContext()
	require.NoError(t, f.k.Carry.Set(cctx, r.Carry.AddRaw(1)))
	bad, err := f.k.SupplyInvariant(cctx)
	require.NoError(t, err)
	require.ErrorIs(t, bad.Check(), types.ErrSupplyInvariant)
	require.ErrorContains(t, bad.Check(), "issued")
	require.False(t, bad.Holds())
	q, err = f.qs.Supply(cctx, &types.QuerySupplyRequest{})
	require.NoError(t, err)
	require.False(t, q.Holds)
	require.Contains(t, q.Broken, "issued")

	// the books balance but the module account lost a uassay
	cctx, _ = f.ctx.CacheContext()
	p := f.pool(netuid)
	p.Pending = p.Pending.SubRaw(1)
	require.NoError(t, f.k.Pools.Set(cctx, uint16(netuid), p))
	require.NoError(t, f.k.Burned.Set(cctx, r.Burned.AddRaw(1)))
	bad, err = f.k.SupplyInvariant(cctx)
	require.NoError(t, err)
	require.ErrorIs(t, bad.Check(), types.ErrSupplyInvariant)
	require.ErrorContains(t, bad.Check(), "module account")
}
