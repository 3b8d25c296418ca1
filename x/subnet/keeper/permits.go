package keeper

import (
	"context"
	"sort"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/subnet/types"
)

func joinUID(netuid, uid uint16) collections.Pair[uint16, uint16] {
	return collections.Join(netuid, uid)
}

func joinHotkey(netuid uint16, hotkey sdk.AccAddress) collections.Pair[uint16, sdk.AccAddress] {
	return collections.Join(netuid, hotkey)
}

// ValidatorPermits is DESIGN §5 step 1's permit rule: the top maxValidators
// UIDs by stake among those with stake > 0 and stake ≥ minStake; on equal
// stake the higher UID ranks first. stakes is indexed by UID.
func ValidatorPermits(stakes []math.Int, maxValidators uint32, minStake math.Int) []bool {
	order := make([]int, 0, len(stakes))
	for uid, s := range stakes {
		if !s.IsNil() && s.IsPositive() && s.GTE(minStake) {
			order = append(order, uid)
		}
	}
	sort.SliceStable(order, func(a, b int) bool {
		if c := stakes[order[a]].BigInt().Cmp(stakes[order[b]].BigInt()); c != 0 {
			return c > 0
		}
		return order[a] > order[b]
	})
	permits := make([]bool, len(stakes))
	for i, uid := range order {
		if uint32(i) >= maxValidators {
			break
		}
		permits[uid] = true
	}
	return permits
}

// RecomputePermits recomputes the validator permits of netuid from current
// stake and writes the neurons whose permit changed. It returns the number of
// permits. x/subnet calls it whenever stake or membership changes; x/emission
// may call it at each epoch. Cost: one read per UID.
func (k *Keeper) RecomputePermits(ctx context.Context, netuid uint32) (uint32, error) {
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
		if err := k.Neurons.Set(ctx, joinUID(uint16(netuid), uint16(neurons[i].Uid)), neurons[i]); err != nil {
			return 0, err
		}
	}
	if changed {
		err = sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventPermitsUpdated{Netuid: netuid, Permits: count})
	}
	return count, err
}

func stakeOrZero(s math.Int) math.Int {
	if s.IsNil() {
		return math.ZeroInt()
	}
	return s
}
