package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/emission/yuma"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// fixedToDec converts I32F32 to an 18-decimal LegacyDec for storage and display.
func fixedToDec(f yuma.Fixed) sdkmath.LegacyDec {
	return sdkmath.LegacyNewDec(f.Raw()).QuoInt64(1 << yuma.FracBits)
}

// decToFixed converts a hyperparameter to I32F32 (truncating past 2^-32).
func decToFixed(d sdkmath.LegacyDec) yuma.Fixed {
	// d·2^32 fits int64 for every hyperparameter (all ≤ 2^31).
	return yuma.FromRaw(d.MulInt64(1 << yuma.FracBits).TruncateInt64())
}

// yumaParams maps a subnet's hyperparameters to the library's.
func yumaParams(hp subnettypes.Hyperparams) yuma.Params {
	return yuma.Params{
		Kappa:                 decToFixed(hp.Kappa),
		BondsMovingAverage:    decToFixed(hp.BondsMovingAverage),
		BondsPenalty:          decToFixed(hp.BondsPenalty),
		MaxValidators:         int(hp.MaxValidators),
		MinValidatorStake:     subnettypes.SaturatingUint64(hp.MinValidatorStake),
		ActivityCutoff:        hp.ActivityCutoff,
		LiquidAlpha:           hp.LiquidAlpha,
		AlphaLow:              decToFixed(hp.AlphaLow),
		AlphaHigh:             decToFixed(hp.AlphaHigh),
		AlphaSigmoidSteepness: decToFixed(hp.AlphaSigmoidSteepness),
	}
}

func nonNegBlock(b int64) uint64 {
	if b < 0 {
		return 0
	}
	return uint64(b)
}

// yumaInput assembles the epoch's inputs from x/subnet's view.
func yumaInput(in subnettypes.EpochInputs, height, lastEpoch int64) yuma.Input {
	n := len(in.Hotkeys)
	y := yuma.Input{
		Block:          nonNegBlock(height),
		Stake:          make([]uint64, n),
		PrevPermit:     in.Permits,
		Weights:        make([][]yuma.Weight, n),
		Bonds:          make([][]yuma.Entry, n),
		RegisteredAt:   make([]uint64, n),
		LastUpdate:     make([]uint64, n),
		LastEpochBlock: nonNegBlock(lastEpoch),
		Params:         yumaParams(in.Subnet.Hyperparams),
	}
	for i := 0; i < n; i++ {
		y.Stake[i] = subnettypes.SaturatingUint64(in.Stake[i])
		y.RegisteredAt[i] = nonNegBlock(in.RegisteredAt[i])
		y.LastUpdate[i] = nonNegBlock(in.LastUpdate[i])
		row := in.Weights[i]
		for j, uid := range row.Uids {
			y.Weights[i] = append(y.Weights[i], yuma.Weight{UID: uint16(uid), Value: uint16(row.Weights[j])})
		}
		for _, e := range in.Bonds[i].Entries {
			y.Bonds[i] = append(y.Bonds[i], yuma.Entry{UID: uint16(e.Uid), Value: yuma.FromRaw(e.Value)})
		}
	}
	return y
}

func sumFixed(v []yuma.Fixed) yuma.Fixed {
	var s yuma.Fixed
	for _, x := range v {
		s = s.Add(x)
	}
	return s
}

// runEpoch runs Yuma for one subnet and pays its pending pool. A subnet that
// disappeared or whose inputs the library rejects is logged and skipped: an
// epoch must never halt the chain, and its pool simply stays pending.
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

	rec := types.EpochRecord{
		Netuid: uint32(netuid), Block: height, Pool: pool.Pending, Owner: in.Subnet.Owner,
		OwnerCut: sdkmath.ZeroInt(), MinersTotal: sdkmath.ZeroInt(), ValidatorsTotal: sdkmath.ZeroInt(), Carried: pool.Pending,
		Fallback: out.Fallback,
	}
	n := len(in.Hotkeys)
	minerParts, valParts := make([]uint64, n), make([]uint64, n)
	takes, staked := make([]sdkmath.Int, n), make([]sdkmath.Int, n)
	for i := range takes {
		takes[i], staked[i] = sdkmath.ZeroInt(), sdkmath.ZeroInt()
	}

	if sumFixed(out.ValidatorShares) > 0 && pool.Pending.IsPositive() {
		rec.Paid = true
		P := pool.Pending
		rec.OwnerCut = sdkmath.LegacyNewDecFromInt(P).Mul(params.OwnerCut).TruncateInt()
		R := P.Sub(rec.OwnerCut)
		M := sdkmath.ZeroInt()
		if sumFixed(out.Incentive) > 0 {
			M = sdkmath.LegacyNewDecFromInt(R).Mul(params.MinerShare).TruncateInt()
		}
		V := R.Sub(M)
		var mRem, vRem uint64
		minerParts, mRem = yuma.Allocate(subnettypes.SaturatingUint64(M), out.Incentive)
		valParts, vRem = yuma.Allocate(subnettypes.SaturatingUint64(V), out.ValidatorShares)
		rec.MinersTotal = M.Sub(sdkmath.NewIntFromUint64(mRem))
		rec.ValidatorsTotal = V.Sub(sdkmath.NewIntFromUint64(vRem))
		rec.Carried = sdkmath.NewIntFromUint64(mRem + vRem)

		if err := k.pay(ctx, uint32(netuid), 0, in.Subnet.Owner, types.RoleOwner, rec.OwnerCut); err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			if err := k.pay(ctx, uint32(netuid), uint32(i), in.Coldkeys[i], types.RoleMiner, sdkmath.NewIntFromUint64(minerParts[i])); err != nil {
				return err
			}
			if valParts[i] == 0 {
				continue
			}
			v := sdkmath.NewIntFromUint64(valParts[i])
			take, err := k.subnets.Take(ctx, sdk.MustAccAddressFromBech32(in.Hotkeys[i]))
			if err != nil {
				return err
			}
			takes[i] = sdkmath.LegacyNewDecFromInt(v).Mul(take).TruncateInt()
			staked[i] = v.Sub(takes[i])
			if err := k.pay(ctx, uint32(netuid), uint32(i), in.Coldkeys[i], types.RoleValidatorTake, takes[i]); err != nil {
				return err
			}
			if err := k.payStakePool(ctx, uint32(netuid), uint32(i), in.Hotkeys[i], staked[i]); err != nil {
				return err
			}
		}
		pool.Pending = rec.Carried
	}
	pool.LastEpochBlock = height
	if err := k.Pools.Set(ctx, netuid, pool); err != nil {
		return err
	}

	res := subnettypes.EpochResults{
		Permits: out.Permit, Emission: make([]sdkmath.Int, n),
		Consensus: make([]sdkmath.LegacyDec, n), Incentive: make([]sdkmath.LegacyDec, n),
		Dividends: make([]sdkmath.LegacyDec, n), ValidatorTrust: make([]sdkmath.LegacyDec, n),
		Bonds: make([]subnettypes.BondsRow, n),
	}
	for i := 0; i < n; i++ {
		res.Emission[i] = sdkmath.NewIntFromUint64(minerParts[i] + valParts[i])
		res.Consensus[i], res.Incentive[i] = fixedToDec(out.Consensus[i]), fixedToDec(out.Incentive[i])
		res.Dividends[i], res.ValidatorTrust[i] = fixedToDec(out.Dividends[i]), fixedToDec(out.ValidatorTrust[i])
		for _, e := range out.Bonds[i] {
			res.Bonds[i].Entries = append(res.Bonds[i].Entries, subnettypes.BondEntry{Uid: uint32(e.UID), Value: e.Value.Raw()})
		}
		rec.Results = append(rec.Results, types.UIDResult{
			Uid: uint32(i), Hotkey: in.Hotkeys[i], Coldkey: in.Coldkeys[i], Stake: in.Stake[i],
			ValidatorPermit: out.Permit[i], Consensus: res.Consensus[i], ValidatorTrust: res.ValidatorTrust[i],
			Incentive: res.Incentive[i], Dividends: res.Dividends[i],
			MinerReward: sdkmath.NewIntFromUint64(minerParts[i]), ValidatorTake: takes[i], ValidatorStaked: staked[i],
		})
	}
	if err := k.subnets.SetEpochResults(ctx, netuid, res); err != nil {
		return err
	}
	if err := k.recordHistory(ctx, params, rec); err != nil {
		return err
	}
	log.Info("epoch", "paid", rec.Paid, "pool", rec.Pool.String(), "owner_cut", rec.OwnerCut.String(),
		"miners", rec.MinersTotal.String(), "validators", rec.ValidatorsTotal.String(), "deferred", deferred)
	return sdkCtx.EventManager().EmitTypedEvent(&types.EventEpoch{
		Netuid: uint32(netuid), Block: height, Paid: rec.Paid, Pool: rec.Pool.String(), OwnerCut: rec.OwnerCut.String(),
		MinersTotal: rec.MinersTotal.String(), ValidatorsTotal: rec.ValidatorsTotal.String(), Carried: rec.Carried.String(),
		Deferred: deferred,
	})
}

// pay sends amount from the module account to addr and books it.
func (k *Keeper) pay(ctx context.Context, netuid, uid uint32, addr, role string, amount sdkmath.Int) error {
	if !amount.IsPositive() {
		return nil
	}
	acc, err := sdk.AccAddressFromBech32(addr)
	if err != nil {
		return fmt.Errorf("payout to %q: %w", addr, err)
	}
	if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, acc, coins(amount)); err != nil {
		return err
	}
	return k.book(ctx, netuid, uid, acc, role, amount)
}

// payStakePool moves amount into x/subnet's module account and credits the
// hotkey's stake pool, so every delegator's shares are worth more.
func (k *Keeper) payStakePool(ctx context.Context, netuid, uid uint32, hotkey string, amount sdkmath.Int) error {
	if !amount.IsPositive() {
		return nil
	}
	if err := k.bank.SendCoinsFromModuleToModule(ctx, types.ModuleName, subnettypes.ModuleName, coins(amount)); err != nil {
		return err
	}
	if err := k.subnets.AddRewardToStakePool(ctx, uint16(netuid), hotkey, amount); err != nil {
		return err
	}
	return k.book(ctx, netuid, uid, sdk.MustAccAddressFromBech32(hotkey), types.RoleStakePool, amount)
}

func (k *Keeper) book(ctx context.Context, netuid, uid uint32, acc sdk.AccAddress, role string, amount sdkmath.Int) error {
	key := collections.Join(acc, uint16(netuid))
	t, err := k.Rewards.Get(ctx, key)
	if err != nil {
		t = types.RewardTotals{OwnerCut: sdkmath.ZeroInt(), Miner: sdkmath.ZeroInt(), ValidatorTake: sdkmath.ZeroInt(), StakePool: sdkmath.ZeroInt()}
	}
	switch role {
	case types.RoleOwner:
		t.OwnerCut = t.OwnerCut.Add(amount)
	case types.RoleMiner:
		t.Miner = t.Miner.Add(amount)
	case types.RoleValidatorTake:
		t.ValidatorTake = t.ValidatorTake.Add(amount)
	case types.RoleStakePool:
		t.StakePool = t.StakePool.Add(amount)
	}
	if err := k.Rewards.Set(ctx, key, t); err != nil {
		return err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	return sdkCtx.EventManager().EmitTypedEvent(&types.EventPayout{
		Netuid: netuid, Block: sdkCtx.BlockHeight(), Uid: uid, Address: acc.String(), Role: role, Amount: amount.String(),
	})
}

// recordHistory stores rec and drops this subnet's epochs beyond history_length.
func (k *Keeper) recordHistory(ctx context.Context, params types.Params, rec types.EpochRecord) error {
	id := uint16(rec.Netuid)
	if err := k.History.Set(ctx, collections.Join(id, rec.Block), rec); err != nil {
		return err
	}
	// keys only: decoding every stored record to count them would cost far more
	iter, err := k.History.Iterate(ctx, collections.NewPrefixedPairRange[uint16, int64](id))
	if err != nil {
		return err
	}
	keys, err := iter.Keys()
	if err != nil {
		return err
	}
	blocks := make([]int64, len(keys))
	for i, key := range keys {
		blocks[i] = key.K2()
	}
	for i := 0; i+int(params.HistoryLength) < len(blocks); i++ {
		if err := k.History.Remove(ctx, collections.Join(id, blocks[i])); err != nil {
			return err
		}
	}
	return nil
}
