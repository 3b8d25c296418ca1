package keeper

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/emission/yuma"
)

// runEpoch runs Yuma for one subnet and pays its pending pool: read the
// inputs, run the library, split the pool, pay, write the results back to
// x/subnet, record. A subnet that disappeared or whose inputs the library
// rejects is logged and skipped: an epoch must never halt the chain, and its
// pool simply stays pending.
func (k *Keeper) runEpoch(ctx context.Context, params types.Params, netuid uint16, deferred bool) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	height := sdkCtx.BlockHeight()
	log := k.logger(ctx).With("netuid", netuid, "block", height)
	in, err := k.subnets.EpochInputs(ctx, netuid)
	if err != nil {
		log.Info("epoch skipped: subnet gone", "err", err)
		return nil
	}
	pool, err := k.pool(ctx, netuid)
	if err != nil {
		return err
	}
	out, err := yuma.Epoch(yumaInput(in, height, pool.LastEpochBlock))
	if err != nil {
		log.Error("epoch skipped: yuma rejected inputs", "err", err)
		return sdkCtx.EventManager().EmitTypedEvent(&types.EventEpoch{Netuid: uint32(netuid), Block: height, Pool: pool.Pending.String(), Deferred: deferred})
	}

	dec := newAddressDecoder()
	split := splitPool(pool.Pending, params.OwnerCut, params.MinerShare, out.Incentive, out.ValidatorShares)
	rates, err := k.takeRates(ctx, dec, in.Hotkeys, split.Validator)
	if err != nil {
		return err
	}
	split = withTakes(split, rates)
	ps, err := payouts(dec, in, split)
	if err != nil {
		return err
	}
	if err := k.transfer(ctx, netuid, ps); err != nil {
		return err
	}
	if err := k.bookRewards(ctx, netuid, ps); err != nil {
		return err
	}
	emitPayouts(sdkCtx, netuid, ps)

	res := subnetResults(out, split)
	rec := epochRecord(netuid, height, pool.Pending, in, out, res, split)
	pool.Pending, pool.LastEpochBlock = split.Carried, height
	if err := k.Pools.Set(ctx, netuid, pool); err != nil {
		return err
	}
	if err := k.subnets.SetEpochResults(ctx, netuid, res); err != nil {
		return err
	}
	if err := k.recordHistory(ctx, params, netuid, rec); err != nil {
		return err
	}
	log.Info("epoch", "paid", rec.Paid, "pool", rec.Pool.String(), "owner_cut", rec.OwnerCut.String(),
		"miners", rec.MinersTotal.String(), "validators", rec.ValidatorsTotal.String(), "deferred", deferred)
	return emitEpoch(sdkCtx, rec, deferred)
}
