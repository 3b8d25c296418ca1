package keeper

import (
	"context"
	"errors"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/emission/yuma"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// runEpoch runs one subnet's epoch: x/subnet hands over the inputs, Yuma
// runs and the pool is split (compute), x/subnet stores the per-UID results,
// then the payouts move and are booked, and the epoch is recorded. A subnet
// that disappeared or whose inputs the library rejects is logged and
// skipped: an epoch must never halt the chain, and its pool simply stays
// pending.
func (k *Keeper) runEpoch(ctx context.Context, params types.Params, netuid uint16, deferred bool) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	height := sdkCtx.BlockHeight()
	log := k.logger(ctx).With("netuid", netuid, "block", height)
	pool, err := k.pool(ctx, netuid)
	if err != nil {
		return err
	}
	e := epochRun{params: params, height: height, lastEpoch: pool.LastEpochBlock, pending: pool.Pending}
	err = k.subnets.RunEpoch(ctx, netuid, func(in subnettypes.EpochInputs) (subnettypes.EpochResults, error) {
		return k.compute(ctx, &e, in)
	})
	var rejected yumaRejected
	switch {
	case !e.read:
		log.Info("epoch skipped: subnet gone", "err", err)
		return nil
	case errors.As(err, &rejected):
		log.Error("epoch skipped: yuma rejected inputs", "err", rejected.err)
		sdkCtx.EventManager().EmitEvent(epochEvent(&types.EventEpoch{Netuid: uint32(netuid), Block: height, Pool: pool.Pending.String(), Deferred: deferred}))
		return nil
	case err != nil:
		return err
	}

	ps, err := payouts(e.dec, e.in, e.split)
	if err != nil {
		return err
	}
	if err := k.transfer(ctx, ps); err != nil {
		return err
	}
	if err := k.bookRewards(ctx, netuid, ps); err != nil {
		return err
	}
	emitPayouts(sdkCtx, netuid, ps)
	pool.Pending, pool.LastEpochBlock = e.split.Carried, height
	if err := k.Pools.Set(ctx, netuid, pool); err != nil {
		return err
	}
	rec := epochSummary(netuid, height, e.pending, e.in.Subnet.Owner, e.out.Fallback, e.split)
	if err := k.recordHistory(ctx, params, netuid, epochEntry{summary: rec, in: e.in, res: e.res, split: e.split}); err != nil {
		return err
	}
	log.Info("epoch", "paid", rec.Paid, "pool", rec.Pool.String(), "owner_cut", rec.OwnerCut.String(),
		"miners", rec.MinersTotal.String(), "validators", rec.ValidatorsTotal.String(), "deferred", deferred)
	emitEpoch(sdkCtx, rec, deferred)
	return nil
}

// epochRun is what one epoch starts from and what compute made of it,
// which the payout and the record use after x/subnet stored the results.
type epochRun struct {
	params    types.Params
	height    int64
	lastEpoch int64
	pending   sdkmath.Int

	read  bool // x/subnet read the inputs and called back
	dec   addressDecoder
	in    subnettypes.EpochInputs
	out   yuma.Output
	split Split
	res   subnettypes.EpochResults
}

// compute is what x/subnet calls back with the inputs: run Yuma and split
// the pending pool. It only reads state (the validators' takes).
func (k *Keeper) compute(ctx context.Context, e *epochRun, in subnettypes.EpochInputs) (subnettypes.EpochResults, error) {
	e.read, e.in, e.dec = true, in, newAddressDecoder(k.addrPrefix)
	out, err := yuma.Epoch(yumaInput(in, e.height, e.lastEpoch))
	if err != nil {
		return subnettypes.EpochResults{}, yumaRejected{err}
	}
	split := splitPool(e.pending, e.params.OwnerCut, e.params.MinerShare, out.Incentive, out.ValidatorShares)
	rates, err := k.takeRates(ctx, e.dec, in.Hotkeys, split.Validator)
	if err != nil {
		return subnettypes.EpochResults{}, err
	}
	if split, err = withTakes(split, rates); err != nil {
		return subnettypes.EpochResults{}, err
	}
	e.out, e.split = out, split
	e.res = subnetResults(e.out, e.split)
	if e.res.Credits, err = stakeCredits(e.dec, in.Hotkeys, e.split.Staked); err != nil {
		return subnettypes.EpochResults{}, err
	}
	return e.res, nil
}

// stakeCredits are the stake-pool parts of the validators' rewards, for
// x/subnet to credit as it stores the results.
func stakeCredits(dec addressDecoder, hotkeys []string, staked []uint64) ([]subnettypes.StakeCredit, error) {
	var out []subnettypes.StakeCredit
	for i, amount := range staked {
		if amount == 0 {
			continue
		}
		hotkey, err := dec.decode(hotkeys[i])
		if err != nil {
			return nil, err
		}
		out = append(out, subnettypes.StakeCredit{UID: uint16(i), Hotkey: hotkey, Amount: amount})
	}
	return out, nil
}

// yumaRejected carries the library's input error out of RunEpoch.
type yumaRejected struct{ err error }

func (r yumaRejected) Error() string { return "yuma rejected the epoch inputs: " + r.err.Error() }
