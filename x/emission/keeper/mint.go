package keeper

import (
	"context"

	sdkmath "cosmossdk.io/math"

	"github.com/assay-network/assay/x/emission/schedule"
	"github.com/assay-network/assay/x/emission/types"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// BeginBlock mints the block reward into the module account and allots it,
// plus anything carried, to the subnets by the split rule. Rounding
// remainders and reward with no subnet to go to stay in Carry.
func (k *Keeper) BeginBlock(ctx context.Context) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	issued, err := getInt(ctx, k.Issued)
	if err != nil {
		return err
	}
	reward := schedule.BlockReward(subnettypes.SaturatingUint64(issued), schedule.SupplyCap, schedule.InitialReward)
	if reward > 0 {
		amt := sdkmath.NewIntFromUint64(reward)
		if err := k.bank.MintCoins(ctx, types.ModuleName, coins(amt)); err != nil {
			return err
		}
		if err := k.Issued.Set(ctx, issued.Add(amt)); err != nil {
			return err
		}
	}
	carry, err := getInt(ctx, k.Carry)
	if err != nil {
		return err
	}
	amount := subnettypes.SaturatingUint64(carry) + reward
	if amount == 0 {
		return nil
	}
	subnets, err := k.subnets.SubnetSchedules(ctx)
	if err != nil {
		return err
	}
	stakes := make([]uint64, len(subnets))
	for i, s := range subnets {
		stakes[i] = subnettypes.SaturatingUint64(s.TotalStake)
	}
	weights, ok := schedule.SubnetWeights(params.SplitRule, stakes)
	if !ok {
		return types.ErrInvalidParams.Wrapf("split_rule %q", params.SplitRule)
	}
	parts, rem := schedule.Split(amount, weights)
	for i, s := range subnets {
		if parts[i] == 0 {
			continue
		}
		p, err := k.pool(ctx, s.Netuid)
		if err != nil {
			return err
		}
		share := sdkmath.NewIntFromUint64(parts[i])
		p.Pending = p.Pending.Add(share)
		p.Received = p.Received.Add(share)
		if err := k.Pools.Set(ctx, s.Netuid, p); err != nil {
			return err
		}
	}
	return k.Carry.Set(ctx, sdkmath.NewIntFromUint64(rem))
}
