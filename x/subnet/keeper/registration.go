package keeper

import (
	"context"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/subnet/types"
)

// IsImmune reports whether a neuron registered at registeredAt is still
// protected from pruning at height.
func IsImmune(registeredAt, height int64, immunityPeriod uint64) bool {
	return height-registeredAt < int64(immunityPeriod)
}

// PruneCandidate picks the neuron a full subnet replaces: the non-immune one
// with the lowest emission; ties go to the older registration, then the lower
// UID. ok is false when every neuron is immune.
func PruneCandidate(neurons []types.Neuron, height int64, immunityPeriod uint64) (uid uint32, ok bool) {
	var best *types.Neuron
	for i := range neurons {
		n := &neurons[i]
		if IsImmune(n.RegisteredAt, height, immunityPeriod) {
			continue
		}
		if best == nil || worseNeuron(n, best) {
			best = n
		}
	}
	if best == nil {
		return 0, false
	}
	return best.Uid, true
}

// worseNeuron reports whether a should be pruned before b.
func worseNeuron(a, b *types.Neuron) bool {
	if c := a.Emission.BigInt().Cmp(b.Emission.BigInt()); c != 0 {
		return c < 0
	}
	if a.RegisteredAt != b.RegisteredAt {
		return a.RegisteredAt < b.RegisteredAt
	}
	return a.Uid < b.Uid
}

// SubnetNeurons returns every neuron of netuid ordered by UID.
func (k *Keeper) SubnetNeurons(ctx context.Context, netuid uint16) ([]types.Neuron, error) {
	var out []types.Neuron
	rng := collections.NewPrefixedPairRange[uint16, uint16](netuid)
	err := k.Neurons.Walk(ctx, rng, func(_ collections.Pair[uint16, uint16], n types.Neuron) (bool, error) {
		out = append(out, n)
		return false, nil
	})
	return out, err
}

// GetNeuron returns the neuron at (netuid, uid) or ErrNeuronNotFound. UIDs
// stay uint32 as the protos carry them; one above 65535 names no neuron.
func (k *Keeper) GetNeuron(ctx context.Context, netuid uint16, uid uint32) (types.Neuron, error) {
	if _, err := k.GetSubnet(ctx, netuid); err != nil {
		return types.Neuron{}, err
	}
	if uid > 65535 {
		return types.Neuron{}, types.ErrNeuronNotFound.Wrapf("uid %d on netuid %d", uid, netuid)
	}
	n, err := k.Neurons.Get(ctx, joinUID(netuid, uint16(uid)))
	if isNotFound(err) {
		return n, types.ErrNeuronNotFound.Wrapf("uid %d on netuid %d", uid, netuid)
	}
	return n, err
}

// NeuronByHotkey returns the neuron of hotkey on netuid or ErrNeuronNotFound.
func (k *Keeper) NeuronByHotkey(ctx context.Context, netuid uint16, hotkey sdk.AccAddress) (types.Neuron, error) {
	if _, err := k.GetSubnet(ctx, netuid); err != nil {
		return types.Neuron{}, err
	}
	uid, err := k.HotkeyUID.Get(ctx, joinHotkey(netuid, hotkey))
	if isNotFound(err) {
		return types.Neuron{}, types.ErrNeuronNotFound.Wrapf("hotkey %s is not registered on netuid %d", hotkey, netuid)
	}
	if err != nil {
		return types.Neuron{}, err
	}
	return k.Neurons.Get(ctx, joinUID(netuid, uid))
}

// RegisterNeuronResult says what a registration did.
type RegisterNeuronResult struct {
	UID          uint32
	Burned       math.Int
	PrunedHotkey string
}

// RegisterNeuron burns the registration cost from the coldkey and gives the
// hotkey a UID: the next free one, or the pruned one when the subnet is full.
// The caller has checked that the hotkey authorised it (the msg server runs
// types.VerifyHotkeyProof).
func (k *Keeper) RegisterNeuron(ctx context.Context, coldkey, hotkey sdk.AccAddress, netuid uint16, maxCost math.Int) (RegisterNeuronResult, error) {
	var res RegisterNeuronResult
	s, err := k.GetSubnet(ctx, netuid)
	if err != nil {
		return res, err
	}
	if has, err := k.HotkeyUID.Has(ctx, joinHotkey(netuid, hotkey)); err != nil {
		return res, err
	} else if has {
		return res, types.ErrHotkeyRegistered.Wrapf("hotkey %s on netuid %d", hotkey, netuid)
	}
	p, err := k.Params.Get(ctx)
	if err != nil {
		return res, err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	height := sdkCtx.BlockHeight()
	cost := RegistrationCostAt(p, s, height)
	if cost.GT(maxCost) {
		return res, types.ErrCostAboveMax.Wrapf("registration on netuid %d costs %s%s, max_cost is %s%s",
			netuid, cost, types.Denom, maxCost, types.Denom)
	}

	uid := s.NeuronCount
	var pruned *types.Neuron
	if s.NeuronCount >= s.Hyperparams.MaxUids {
		neurons, err := k.SubnetNeurons(ctx, netuid)
		if err != nil {
			return res, err
		}
		victim, ok := PruneCandidate(neurons, height, s.Hyperparams.ImmunityPeriod)
		if !ok {
			return res, types.ErrAllImmune.Wrapf("netuid %d has %d of max_uids %d neurons, all registered within the last immunity_period of %d blocks",
				netuid, s.NeuronCount, s.Hyperparams.MaxUids, s.Hyperparams.ImmunityPeriod)
		}
		uid = victim
		pruned = &neurons[victim]
	}

	if cost.IsPositive() {
		if err := k.bank.SendCoinsFromAccountToModule(ctx, coldkey, types.ModuleName, coins(cost)); err != nil {
			return res, types.ErrInvalidAmount.Wrapf("cannot pay registration cost %s%s from %s: %s", cost, types.Denom, coldkey, err)
		}
		if err := k.bank.BurnCoins(ctx, types.ModuleName, coins(cost)); err != nil {
			return res, err
		}
	}

	if pruned != nil {
		if err := k.replaceNeuron(ctx, *pruned, hotkey); err != nil {
			return res, err
		}
		res.PrunedHotkey = pruned.Hotkey
	} else {
		s.NeuronCount++
	}

	// A hotkey has a stake pool only while registered, so a new neuron's
	// stake view starts at zero.
	n := types.Neuron{
		Netuid:         uint32(netuid),
		Uid:            uid,
		Hotkey:         hotkey.String(),
		Coldkey:        coldkey.String(),
		RegisteredAt:   height,
		Emission:       math.ZeroInt(),
		Stake:          math.ZeroInt(),
		Consensus:      math.LegacyZeroDec(),
		ValidatorTrust: math.LegacyZeroDec(),
		Incentive:      math.LegacyZeroDec(),
		Dividends:      math.LegacyZeroDec(),
	}
	if err := k.Neurons.Set(ctx, joinUID(netuid, uint16(uid)), n); err != nil {
		return res, err
	}
	if err := k.HotkeyUID.Set(ctx, joinHotkey(netuid, hotkey), uint16(uid)); err != nil {
		return res, err
	}
	s.Burn = NextBurn(p, s.Hyperparams, cost)
	s.BurnUpdatedAt = height
	if err := k.Subnets.Set(ctx, netuid, s); err != nil {
		return res, err
	}
	if pruned != nil && pruned.ValidatorPermit {
		if _, err := k.RecomputePermits(ctx, netuid); err != nil {
			return res, err
		}
	}
	res.UID, res.Burned = uid, cost
	return res, sdkCtx.EventManager().EmitTypedEvent(&types.EventNeuronRegistered{
		Netuid: uint32(netuid), Uid: uid, Hotkey: n.Hotkey, Coldkey: n.Coldkey, Burned: cost.String(),
	})
}

// replaceNeuron clears what the pruned neuron leaves behind on its UID and
// tells the other modules, before newHotkey takes the UID.
func (k *Keeper) replaceNeuron(ctx context.Context, pruned types.Neuron, newHotkey sdk.AccAddress) error {
	netuid, uid := uint16(pruned.Netuid), pruned.Uid
	old, err := sdk.AccAddressFromBech32(pruned.Hotkey)
	if err != nil {
		return err
	}
	if err := k.clearNeuron(ctx, pruned, old); err != nil {
		return err
	}
	if err := k.HotkeyUID.Remove(ctx, joinHotkey(netuid, old)); err != nil {
		return err
	}
	if k.hooks != nil {
		if err := k.hooks.AfterNeuronReplaced(ctx, netuid, uid, pruned.Hotkey); err != nil {
			return err
		}
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventNeuronPruned{
		Netuid: uint32(netuid), Uid: uid, Hotkey: pruned.Hotkey, ReplacedBy: newHotkey.String(),
	})
}

// ServeAxon records where and what a registered hotkey serves, rate-limited
// by the subnet's serving_rate_limit. axon.Block is set to the current block.
func (k *Keeper) ServeAxon(ctx context.Context, hotkey sdk.AccAddress, netuid uint16, axon types.AxonInfo) error {
	s, err := k.GetSubnet(ctx, netuid)
	if err != nil {
		return err
	}
	n, err := k.NeuronByHotkey(ctx, netuid, hotkey)
	if err != nil {
		return err
	}
	height := blockHeight(ctx)
	if n.Axon != nil && height-n.Axon.Block < int64(s.Hyperparams.ServingRateLimit) {
		return types.ErrServingRateLimit.Wrapf("axon of uid %d on netuid %d served at block %d: next allowed at block %d",
			n.Uid, netuid, n.Axon.Block, n.Axon.Block+int64(s.Hyperparams.ServingRateLimit))
	}
	axon.Block = height
	if err := k.noteModelChange(ctx, s, n, axon.ModelHash); err != nil {
		return err
	}
	if err := k.notePublisher(ctx, n, axon.ModelHash, height); err != nil {
		return err
	}
	n.Axon = &axon
	if err := k.Neurons.Set(ctx, joinUID(netuid, uint16(n.Uid)), n); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventAxonServed{
		Netuid: uint32(netuid), Uid: n.Uid, Hotkey: n.Hotkey, Endpoint: axon.Endpoint, ModelHash: axon.ModelHash,
	})
}
