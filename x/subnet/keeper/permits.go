package keeper

import (
	"context"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/emission/yuma"
	"github.com/assay-network/assay/x/subnet/types"
)

func joinUID(netuid, uid uint16) collections.Pair[uint16, uint16] {
	return collections.Join(netuid, uid)
}

func joinHotkey(netuid uint16, hotkey sdk.AccAddress) collections.Pair[uint16, sdk.AccAddress] {
	return collections.Join(netuid, hotkey)
}

// ValidatorPermits applies the permit rule (yuma.TopStakePermits) to
// on-chain stakes indexed by UID.
func ValidatorPermits(stakes []math.Int, maxValidators uint32, minStake math.Int) []bool {
	units := make([]uint64, len(stakes))
	for i, s := range stakes {
		units[i] = types.SaturatingUint64(s)
	}
	return yuma.TopStakePermits(units, types.SaturatingUint64(minStake), int(maxValidators))
}

// RecomputePermits recomputes the validator permits of netuid from current
// stake and writes the neurons whose permit changed. It returns the number of
// permits. x/subnet calls it whenever stake or membership changes; x/emission
// may call it at each epoch. Cost: one read per UID.
func (k *Keeper) RecomputePermits(ctx context.Context, netuid uint16) (uint32, error) {
	s, err := k.GetSubnet(ctx, netuid)
	if err != nil {
		return 0, err
	}
	neurons, err := k.SubnetNeurons(ctx, netuid)
	if err != nil {
		return 0, err
	}
	stakes := make([]math.Int, len(neurons))
	for i, n := range neurons {
		stakes[i] = stakeOrZero(n.Stake)
	}
	permits := ValidatorPermits(stakes, s.Hyperparams.MaxValidators, s.Hyperparams.MinValidatorStake)
	count, changed := uint32(0), false
	for i := range neurons {
		if permits[i] {
			count++
		}
		if neurons[i].ValidatorPermit == permits[i] {
			continue
		}
		changed = true
		neurons[i].ValidatorPermit = permits[i]
		if err := k.Neurons.Set(ctx, joinUID(netuid, uint16(neurons[i].Uid)), neurons[i]); err != nil {
			return 0, err
		}
	}
	if changed {
		err = sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventPermitsUpdated{Netuid: uint32(netuid), Permits: count})
	}
	return count, err
}

func stakeOrZero(s math.Int) math.Int {
	if s.IsNil() {
		return math.ZeroInt()
	}
	return s
}
