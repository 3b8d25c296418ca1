package keeper

import (
	"context"
	"sort"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/subnet/types"
)

// weightsInput is a weights vector on its way into state, from SetWeights
// or from a matching reveal.
type weightsInput struct {
	netuid     uint16
	hotkey     sdk.AccAddress
	uids       []uint32
	weights    []uint32
	versionKey uint64
	revealed   bool
}

// BuildWeightsRow checks a weights vector against the subnet's rules and
// returns the stored row: non-zero entries sorted by UID. Rules, in order:
// every uid < neuron_count, at least min_allowed_weights non-zero entries,
// a non-zero sum, and each w_i/Σw ≤ max_weight_limit/65535. Duplicates and
// value ranges are ValidateBasic's.
func BuildWeightsRow(s types.Subnet, uids, weights []uint32) (types.WeightsRow, error) {
	hp := s.Hyperparams
	var row types.WeightsRow
	var sum, max uint64
	for i, u := range uids {
		if u >= s.NeuronCount {
			return row, types.ErrUnknownUID.Wrapf("uids[%d]: uid %d is not registered on netuid %d (%d neurons)", i, u, s.Netuid, s.NeuronCount)
		}
		w := uint64(weights[i])
		if w == 0 {
			continue
		}
		sum += w
		if w > max {
			max = w
		}
		row.Uids = append(row.Uids, u)
		row.Weights = append(row.Weights, weights[i])
	}
	if uint32(len(row.Uids)) < hp.MinAllowedWeights {
		return row, types.ErrTooFewWeights.Wrapf("weights: %d non-zero entries, min_allowed_weights is %d", len(row.Uids), hp.MinAllowedWeights)
	}
	if sum == 0 {
		return row, types.ErrInvalidWeights.Wrap("weights: all zero")
	}
	// max/sum ≤ limit/65535, in integers.
	if max*types.MaxWeightValue > uint64(hp.MaxWeightLimit)*sum {
		return row, types.ErrMaxWeightLimit.Wrapf("weights: largest normalised weight %d/%d exceeds max_weight_limit %d/65535",
			max, sum, hp.MaxWeightLimit)
	}
	sort.Sort(rowByUID(row))
	return row, nil
}

type rowByUID types.WeightsRow

func (r rowByUID) Len() int           { return len(r.Uids) }
func (r rowByUID) Less(i, j int) bool { return r.Uids[i] < r.Uids[j] }
func (r rowByUID) Swap(i, j int) {
	r.Uids[i], r.Uids[j] = r.Uids[j], r.Uids[i]
	r.Weights[i], r.Weights[j] = r.Weights[j], r.Weights[i]
}

// SetWeights sets a permitted hotkey's weights when the subnet's
// commit_reveal is off. uids and weights are equal-length, in uint16 range
// and free of duplicate uids (the message's stateless rules).
func (k *Keeper) SetWeights(ctx context.Context, hotkey sdk.AccAddress, netuid uint16, uids, weights []uint32, versionKey uint64) error {
	s, err := k.GetSubnet(ctx, netuid)
	if err != nil {
		return err
	}
	if s.Hyperparams.CommitReveal {
		return types.ErrCommitRevealEnabled.Wrapf("netuid %d: send commit-weights with the hash, then reveal-weights in the reveal window", netuid)
	}
	return k.applyWeights(ctx, s, weightsInput{
		netuid: netuid, hotkey: hotkey, uids: uids, weights: weights, versionKey: versionKey,
	})
}

// checkWeightsSender checks the sender-side rules shared by set, commit and
// reveal: registered, permit, version key.
func (k *Keeper) checkWeightsSender(ctx context.Context, s types.Subnet, hotkey sdk.AccAddress, versionKey uint64) (types.Neuron, error) {
	n, err := k.NeuronByHotkey(ctx, uint16(s.Netuid), hotkey)
	if err != nil {
		return n, err
	}
	if !n.ValidatorPermit {
		return n, types.ErrNoValidatorPermit.Wrapf("uid %d (%s) on netuid %d has no validator permit: it needs stake >= min_validator_stake %s%s and a place in the top max_validators %d",
			n.Uid, hotkey, s.Netuid, s.Hyperparams.MinValidatorStake, types.Denom, s.Hyperparams.MaxValidators)
	}
	if versionKey < s.Hyperparams.WeightsVersion {
		return n, types.ErrWeightsVersion.Wrapf("version_key: %d is below netuid %d's weights_version %d", versionKey, s.Netuid, s.Hyperparams.WeightsVersion)
	}
	return n, nil
}

// applyWeights checks every state rule and writes the row and last_update.
// Plain SetWeights is rate-limited by weights_rate_limit from last_update;
// reveals are not (their commits are).
func (k *Keeper) applyWeights(ctx context.Context, s types.Subnet, in weightsInput) error {
	n, err := k.checkWeightsSender(ctx, s, in.hotkey, in.versionKey)
	if err != nil {
		return err
	}
	height := blockHeight(ctx)
	if !in.revealed && n.LastUpdate != 0 {
		if next := n.LastUpdate + int64(s.Hyperparams.WeightsRateLimit); height < next {
			return types.ErrWeightsRateLimit.Wrapf("uid %d on netuid %d set weights at block %d: next allowed at block %d",
				n.Uid, s.Netuid, n.LastUpdate, next)
		}
	}
	row, err := BuildWeightsRow(s, in.uids, in.weights)
	if err != nil {
		return err
	}
	row.Block = height
	key := joinUID(in.netuid, uint16(n.Uid))
	if err := k.Weights.Set(ctx, key, row); err != nil {
		return err
	}
	n.LastUpdate = height
	if err := k.Neurons.Set(ctx, key, n); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventWeightsSet{
		Netuid: s.Netuid, Uid: n.Uid, Hotkey: n.Hotkey, Count: uint32(len(row.Uids)), Revealed: in.revealed,
	})
}

// GetWeights returns the weights row of (netuid, uid), empty when unset.
func (k *Keeper) GetWeights(ctx context.Context, netuid uint16, uid uint32) (types.WeightsRow, error) {
	row, err := k.Weights.Get(ctx, joinUID(netuid, uint16(uid)))
	if isNotFound(err) {
		return types.WeightsRow{}, nil
	}
	return row, err
}
