package keeper

import (
	"context"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/task"
	"github.com/assay-network/assay/x/subnet/types"
)

func coins(amount math.Int) sdk.Coins {
	return sdk.NewCoins(sdk.NewCoin(types.Denom, amount))
}

// nextFreeNetuid returns the lowest unused netuid (1-based; 0 is reserved).
// The walk is bounded by max_subnets, since it stops at the first gap.
func (k *Keeper) nextFreeNetuid(ctx context.Context) (uint16, uint32, error) {
	want := uint32(1)
	count := uint32(0)
	found := uint32(0)
	err := k.Subnets.Walk(ctx, nil, func(netuid uint16, _ types.Subnet) (bool, error) {
		count++
		if found == 0 && uint32(netuid) != want {
			found = want
		}
		want = uint32(netuid) + 1
		return false, nil
	})
	if err != nil {
		return 0, 0, err
	}
	if found == 0 {
		found = want
	}
	if found > types.MaxNetuid {
		return 0, count, types.ErrSubnetLimit.Wrap("no netuid left")
	}
	return uint16(found), count, nil
}

// RegisterSubnet creates a subnet owned by owner for a validated task,
// taking the lock cost from it; the subnet stores the task's canonical JSON
// and hash, which nothing changes afterwards. hp nil means
// params.default_hyperparams; maxLock nil means no limit.
func (k *Keeper) RegisterSubnet(ctx context.Context, owner sdk.AccAddress, name string, spec task.Spec,
	hp *types.Hyperparams, maxLock *math.Int,
) (uint16, math.Int, error) {
	taskSpec, taskHash, err := types.CanonicalTask(spec)
	if err != nil {
		return 0, math.Int{}, err
	}
	p, err := k.Params.Get(ctx)
	if err != nil {
		return 0, math.Int{}, err
	}
	netuid, count, err := k.nextFreeNetuid(ctx)
	if err != nil {
		return 0, math.Int{}, err
	}
	if count >= p.MaxSubnets {
		return 0, math.Int{}, types.ErrSubnetLimit.Wrapf("%d subnets registered, max_subnets is %d", count, p.MaxSubnets)
	}
	hyper := p.DefaultHyperparams
	if hp != nil {
		hyper = *hp
	}
	if err := hyper.CheckBounds(p.Bounds); err != nil {
		return 0, math.Int{}, err
	}
	lock, err := k.LockCost(ctx)
	if err != nil {
		return 0, math.Int{}, err
	}
	if maxLock != nil && lock.GT(*maxLock) {
		return 0, math.Int{}, types.ErrLockAboveMax.Wrapf("lock cost is %s%s, max_lock %s%s", lock, types.Denom, maxLock, types.Denom)
	}
	if lock.IsPositive() {
		if err := k.bank.SendCoinsFromAccountToModule(ctx, owner, types.ModuleName, coins(lock)); err != nil {
			return 0, math.Int{}, types.ErrInvalidAmount.Wrapf("cannot lock %s%s from %s: %s", lock, types.Denom, owner, err)
		}
	}
	height := blockHeight(ctx)
	s := types.Subnet{
		Netuid:        uint32(netuid),
		Owner:         owner.String(),
		Name:          name,
		TaskSpec:      taskSpec,
		TaskHash:      taskHash,
		Hyperparams:   hyper,
		Locked:        lock,
		RegisteredAt:  height,
		Burn:          hyper.MinBurn,
		BurnUpdatedAt: height,
	}
	if err := k.Subnets.Set(ctx, netuid, s); err != nil {
		return 0, math.Int{}, err
	}
	if err := k.LastLock.Set(ctx, lock); err != nil {
		return 0, math.Int{}, err
	}
	if err := k.LastLockBlock.Set(ctx, height); err != nil {
		return 0, math.Int{}, err
	}
	err = sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventSubnetRegistered{
		Netuid: uint32(netuid), Owner: s.Owner, Name: name, Locked: lock.String(), TaskHash: taskHash,
	})
	return netuid, lock, err
}

func (k *Keeper) ownedSubnet(ctx context.Context, netuid uint16, owner sdk.AccAddress) (types.Subnet, error) {
	s, err := k.GetSubnet(ctx, netuid)
	if err != nil {
		return s, err
	}
	if s.Owner != owner.String() {
		return s, types.ErrNotOwner.Wrapf("netuid %d is owned by %s, not %s", netuid, s.Owner, owner)
	}
	return s, nil
}

// UpdateHyperparams replaces a subnet's hyperparameters (owner only, within bounds).
func (k *Keeper) UpdateHyperparams(ctx context.Context, owner sdk.AccAddress, netuid uint16, hp types.Hyperparams) error {
	s, err := k.ownedSubnet(ctx, netuid, owner)
	if err != nil {
		return err
	}
	p, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if err := hp.CheckBounds(p.Bounds); err != nil {
		return err
	}
	if hp.MaxUids < s.NeuronCount {
		return types.ErrInvalidHyperparams.Wrapf("max_uids: %d is below the %d neurons already registered", hp.MaxUids, s.NeuronCount)
	}
	wasCommitReveal := s.Hyperparams.CommitReveal
	s.Hyperparams = hp
	if err := k.Subnets.Set(ctx, netuid, s); err != nil {
		return err
	}
	// Pending commits could never be revealed (or expire) once commit-reveal
	// is off: drop them rather than leave them in state.
	if wasCommitReveal && !s.Hyperparams.CommitReveal {
		if err := k.Commits.Clear(ctx, collections.NewPrefixedPairRange[uint16, sdk.AccAddress](netuid)); err != nil {
			return err
		}
	}
	// max_validators and min_validator_stake decide permits: apply them now,
	// not at the next stake change.
	if _, err := k.RecomputePermits(ctx, netuid); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventHyperparamsUpdated{Netuid: uint32(netuid), Owner: s.Owner})
}

// DissolveSubnet removes every neuron and the subnet, then refunds the lock.
func (k *Keeper) DissolveSubnet(ctx context.Context, owner sdk.AccAddress, netuid uint16) (math.Int, error) {
	s, err := k.ownedSubnet(ctx, netuid, owner)
	if err != nil {
		return math.Int{}, err
	}
	removed, err := k.removeAllNeurons(ctx, netuid)
	if err != nil {
		return math.Int{}, err
	}
	if err := k.Subnets.Remove(ctx, netuid); err != nil {
		return math.Int{}, err
	}
	if err := k.clearModels(ctx, netuid); err != nil {
		return math.Int{}, err
	}
	if k.hooks != nil {
		if err := k.hooks.AfterSubnetDissolved(ctx, netuid); err != nil {
			return math.Int{}, err
		}
	}
	if s.Locked.IsPositive() {
		if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, owner, coins(s.Locked)); err != nil {
			return math.Int{}, err
		}
	}
	return s.Locked, sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventSubnetDissolved{
		Netuid: uint32(netuid), Owner: s.Owner, Refunded: s.Locked.String(), NeuronsRemoved: removed,
	})
}

// removeAllNeurons deletes every neuron of netuid and its hotkey index,
// refunding their stake and clearing their weights and commits.
// Keys are collected first: deleting while iterating a store is undefined.
func (k *Keeper) removeAllNeurons(ctx context.Context, netuid uint16) (uint32, error) {
	var neurons []types.Neuron
	var hotkeys []sdk.AccAddress
	rng := collections.NewPrefixedPairRange[uint16, uint16](netuid)
	err := k.Neurons.Walk(ctx, rng, func(_ collections.Pair[uint16, uint16], n types.Neuron) (bool, error) {
		hotkey, err := sdk.AccAddressFromBech32(n.Hotkey)
		if err != nil {
			return true, err
		}
		neurons = append(neurons, n)
		hotkeys = append(hotkeys, hotkey)
		return false, nil
	})
	if err != nil {
		return 0, err
	}
	for i, n := range neurons {
		if err := k.clearNeuron(ctx, n, hotkeys[i]); err != nil {
			return 0, err
		}
		if err := k.Neurons.Remove(ctx, joinUID(netuid, uint16(n.Uid))); err != nil {
			return 0, err
		}
		if err := k.HotkeyUID.Remove(ctx, joinHotkey(netuid, hotkeys[i])); err != nil {
			return 0, err
		}
	}
	return uint32(len(neurons)), nil
}
