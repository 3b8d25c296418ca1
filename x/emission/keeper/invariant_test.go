package keeper_test

import (
	"math/rand"
	"testing"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/emission/types"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
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

// TestSupplyInvariantUnderRandomActivity runs thousands of blocks of random
// registrations, stake moves, weights and dissolves, and checks after every
// block that every minted uassay is accounted for.
func TestSupplyInvariantUnderRandomActivity(t *testing.T) {
	blocks := 3000
	if testing.Short() {
		blocks = 500
	}
	f := newFixture(t)
	rng := rand.New(rand.NewSource(7))
	owners := []account{f.funded(1 << 50), f.funded(1 << 50)}
	colds := []account{f.funded(1 << 50), f.funded(1 << 50), f.funded(1 << 50)}
	var hots []account
	for i := 0; i < 12; i++ {
		hots = append(hots, newAccount())
	}
	var live []uint32
	counts := map[string]int{}
	pick := func(n int) int { return rng.Intn(n) }

	for b := 0; b < blocks; b++ {
		for a := 0; a < 3; a++ {
			switch action := pick(100); {
			case action < 4 && len(live) < 4:
				hp := quickHP(uint64(3 + pick(6)))
				hp.MaxUids = 6
				hp.MaxValidators = 3
				o := owners[pick(len(owners))]
				if f.tx(func(ctx sdk.Context) error {
					res, err := f.subMsg.RegisterSubnet(ctx, &subnettypes.MsgRegisterSubnet{Owner: o.String(), Name: "s", TaskSpec: task(), Hyperparams: &hp})
					if err == nil {
						live = append(live, res.Netuid)
					}
					return err
				}) {
					counts["subnet"]++
				}
			case action < 25 && len(live) > 0:
				netuid, c, h := live[pick(len(live))], colds[pick(len(colds))], hots[pick(len(hots))]
				sig, _ := h.priv.Sign(subnettypes.RegistrationAuthorization(chainID, uint16(netuid), c.String(), h.String()))
				if f.tx(func(ctx sdk.Context) error {
					_, err := f.subMsg.RegisterNeuron(ctx, &subnettypes.MsgRegisterNeuron{Coldkey: c.String(), Netuid: netuid, Hotkey: h.String(),
						HotkeyPubkey: h.priv.PubKey().Bytes(), HotkeySignature: sig, MaxCost: math.NewInt(1 << 40)})
					return err
				}) {
					counts["neuron"]++
				}
			case action < 50 && len(live) > 0:
				netuid, c, h := live[pick(len(live))], colds[pick(len(colds))], hots[pick(len(hots))]
				amt := math.NewInt(int64(1 + pick(50_000_000)))
				if f.tx(func(ctx sdk.Context) error {
					_, err := f.subMsg.AddStake(ctx, &subnettypes.MsgAddStake{Coldkey: c.String(), Netuid: netuid, Hotkey: h.String(), Amount: amt})
					return err
				}) {
					counts["stake"]++
				}
			case action < 62 && len(live) > 0:
				netuid, c, h := live[pick(len(live))], colds[pick(len(colds))], hots[pick(len(hots))]
				amt := math.NewInt(int64(1 + pick(30_000_000)))
				if f.tx(func(ctx sdk.Context) error {
					_, err := f.subMsg.RemoveStake(ctx, &subnettypes.MsgRemoveStake{Coldkey: c.String(), Netuid: netuid, Hotkey: h.String(), Amount: amt})
					return err
				}) {
					counts["unstake"]++
				}
			case action < 97 && len(live) > 0:
				netuid, h := live[pick(len(live))], hots[pick(len(hots))]
				uids := []uint32{uint32(pick(6)), uint32(pick(6))}
				if uids[0] == uids[1] {
					uids = uids[:1]
				}
				ws := make([]uint32, len(uids))
				for i := range ws {
					ws[i] = uint32(1 + pick(65535))
				}
				if f.tx(func(ctx sdk.Context) error {
					_, err := f.subMsg.SetWeights(ctx, &subnettypes.MsgSetWeights{Hotkey: h.String(), Netuid: netuid, Uids: uids, Weights: ws})
					return err
				}) {
					counts["weights"]++
				}
			case len(live) > 0 && pick(10) == 0:
				i := pick(len(live))
				netuid := live[i]
				if f.tx(func(ctx sdk.Context) error {
					s, err := f.sk.GetSubnet(ctx, uint16(netuid))
					if err != nil {
						return err
					}
					_, err = f.subMsg.DissolveSubnet(ctx, &subnettypes.MsgDissolveSubnet{Owner: s.Owner, Netuid: netuid})
					return err
				}) {
					live = append(live[:i], live[i+1:]...)
					counts["dissolve"]++
				}
			}
		}
		f.block()
		f.invariant()
	}
	hist := 0
	for _, n := range live {
		res, err := f.qs.History(f.ctx, &types.QueryHistoryRequest{Netuid: n})
		require.NoError(t, err)
		hist += len(res.Epochs)
	}
	t.Logf("%d blocks: %v, %d epochs in history of %d live subnets", blocks, counts, hist, len(live))
	require.Positive(t, counts["weights"], "weights were set")
	require.Positive(t, counts["dissolve"], "subnets were dissolved")
	require.Positive(t, hist, "epochs ran")
	issued, _ := f.k.Issued.Get(f.ctx)
	require.Equal(t, math.NewInt(int64(blocks)*1_000_000), issued)
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
