package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/subnet/types"
)

// netuidStake is one subnet's stake total, in netuid order.
type netuidStake struct {
	netuid uint16
	stake  math.Int
}

// CheckStakeViews reports the first way the cached stake views disagree with
// the pools: a pool without shares or without a registered hotkey, a neuron
// whose Stake is not PoolStake of its pool, or a subnet whose SubnetStake is
// not Σ PoolStake over its neurons' pools (absent when zero). Nil means
// they agree. It walks every neuron, pool and subnet total, so it is for
// tests and audits, not for a block.
func (k *Keeper) CheckStakeViews(ctx context.Context) error {
	if err := k.StakePools.Walk(ctx, nil, func(key collections.Pair[uint16, sdk.AccAddress], p types.StakePool) (bool, error) {
		if !hasShares(p) {
			return true, fmt.Errorf("stake pool of %s on netuid %d has no shares", key.K2(), key.K1())
		}
		registered, err := k.HotkeyUID.Has(ctx, key)
		if err == nil && !registered {
			err = fmt.Errorf("stake pool of %s on netuid %d belongs to no neuron", key.K2(), key.K1())
		}
		return err != nil, err
	}); err != nil {
		return err
	}
	var sums []netuidStake
	if err := k.Neurons.Walk(ctx, nil, func(key collections.Pair[uint16, uint16], n types.Neuron) (bool, error) {
		hotkey, err := sdk.AccAddressFromBech32(n.Hotkey)
		if err != nil {
			return true, err
		}
		pool, err := k.GetStakePool(ctx, key.K1(), hotkey)
		if err != nil {
			return true, err
		}
		want := PoolStake(pool)
		if !stakeOrZero(n.Stake).Equal(want) {
			return true, fmt.Errorf("neuron %d on netuid %d: stake %s, its pool says %s", key.K2(), key.K1(), n.Stake, want)
		}
		if last := len(sums) - 1; last >= 0 && sums[last].netuid == key.K1() {
			sums[last].stake = sums[last].stake.Add(want)
		} else {
			sums = append(sums, netuidStake{key.K1(), want})
		}
		return false, nil
	}); err != nil {
		return err
	}
	var stored []netuidStake
	if err := k.SubnetStake.Walk(ctx, nil, func(netuid uint16, stake math.Int) (bool, error) {
		stored = append(stored, netuidStake{netuid, stake})
		return false, nil
	}); err != nil {
		return err
	}
	return compareSubnetStake(sums, stored)
}

// compareSubnetStake matches Σ pool stake per subnet against SubnetStake;
// both are in netuid order, and a zero sum has no SubnetStake entry.
func compareSubnetStake(sums, stored []netuidStake) error {
	i := 0
	for _, s := range sums {
		if s.stake.IsZero() {
			continue
		}
		if i < len(stored) && stored[i].netuid < s.netuid {
			break
		}
		if i >= len(stored) || stored[i].netuid != s.netuid {
			return fmt.Errorf("netuid %d: pools hold %s but subnet stake has no entry", s.netuid, s.stake)
		}
		if !stored[i].stake.Equal(s.stake) {
			return fmt.Errorf("netuid %d: pools hold %s, subnet stake says %s", s.netuid, s.stake, stored[i].stake)
		}
		i++
	}
	if i < len(stored) {
		return fmt.Errorf("netuid %d: subnet stake says %s but its pools hold nothing", stored[i].netuid, stored[i].stake)
	}
	return nil
}
