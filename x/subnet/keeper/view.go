package keeper

import (
	"context"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/subnet/types"
)

// EpochReader is the narrow view x/emission needs. x/emission declares the
// same interface in its types/expected_keepers.go:
//
//	type SubnetKeeper interface {
//	    EpochInputs(ctx context.Context, netuid uint32) (subnettypes.EpochInputs, error)
//	    Take(ctx context.Context, hotkey sdk.AccAddress) (math.LegacyDec, error)
//	    SetEpochResults(ctx context.Context, netuid uint32, permits []bool, emission []math.Int) error
//	    RecomputePermits(ctx context.Context, netuid uint32) (uint32, error)
//	    AddRewardToStakePool(ctx context.Context, netuid uint32, hotkey string, amount math.Int) error
//	}
type EpochReader interface {
	EpochInputs(ctx context.Context, netuid uint32) (types.EpochInputs, error)
	Take(ctx context.Context, hotkey sdk.AccAddress) (math.LegacyDec, error)
}

// EpochWriter is what x/emission may write back after an epoch.
type EpochWriter interface {
	SetEpochResults(ctx context.Context, netuid uint32, permits []bool, emission []math.Int) error
	RecomputePermits(ctx context.Context, netuid uint32) (uint32, error)
	AddRewardToStakePool(ctx context.Context, netuid uint32, hotkey string, amount math.Int) error
}

var (
	_ EpochReader = (*Keeper)(nil)
	_ EpochWriter = (*Keeper)(nil)
)

// EpochInputs reads everything an epoch of netuid needs in one pass:
// neuron_count neuron reads and at most neuron_count weight-row reads.
func (k *Keeper) EpochInputs(ctx context.Context, netuid uint32) (types.EpochInputs, error) {
	var in types.EpochInputs
	s, err := k.GetSubnet(ctx, netuid)
	if err != nil {
		return in, err
	}
	neurons, err := k.SubnetNeurons(ctx, netuid)
	if err != nil {
		return in, err
	}
	in.Subnet = s
	n := len(neurons)
	in.Hotkeys, in.Coldkeys = make([]string, n), make([]string, n)
	in.Stake, in.Permits = make([]math.Int, n), make([]bool, n)
	in.LastUpdate, in.RegisteredAt = make([]int64, n), make([]int64, n)
	in.Weights = make([]types.WeightsRow, n)
	for i, nr := range neurons {
		in.Hotkeys[i], in.Coldkeys[i] = nr.Hotkey, nr.Coldkey
		in.Stake[i], in.Permits[i] = stakeOrZero(nr.Stake), nr.ValidatorPermit
		in.LastUpdate[i], in.RegisteredAt[i] = nr.LastUpdate, nr.RegisteredAt
		if in.Weights[i], err = k.GetWeights(ctx, netuid, nr.Uid); err != nil {
			return in, err
		}
	}
	return in, nil
}

// SetEpochResults stores an epoch's per-UID permits and emission on the
// neurons. Both slices are indexed by UID and must cover every neuron.
func (k *Keeper) SetEpochResults(ctx context.Context, netuid uint32, permits []bool, emission []math.Int) error {
	neurons, err := k.SubnetNeurons(ctx, netuid)
	if err != nil {
		return err
	}
	if len(permits) != len(neurons) || len(emission) != len(neurons) {
		return types.ErrInvalidAmount.Wrapf("epoch results: %d permits and %d emissions for %d neurons on netuid %d",
			len(permits), len(emission), len(neurons), netuid)
	}
	for i, n := range neurons {
		n.ValidatorPermit = permits[i]
		n.Emission = emission[i]
		if err := k.Neurons.Set(ctx, joinUID(uint16(netuid), uint16(n.Uid)), n); err != nil {
			return err
		}
	}
	return nil
}
