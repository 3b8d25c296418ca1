package keeper

import (
	"context"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/subnet/types"
)

// EpochView is the narrow view x/emission needs (its expected keeper
// interface is the same set of methods).
type EpochView interface {
	SubnetSchedules(ctx context.Context) ([]types.SubnetSchedule, error)
	EpochInputs(ctx context.Context, netuid uint16) (types.EpochInputs, error)
	Take(ctx context.Context, hotkey sdk.AccAddress) (math.LegacyDec, error)
	SetEpochResults(ctx context.Context, netuid uint16, res types.EpochResults) error
	AddRewardToStakePool(ctx context.Context, netuid uint16, hotkey sdk.AccAddress, amount math.Int) error
}

var _ EpochView = (*Keeper)(nil)

// SubnetSchedules lists every subnet (netuid order) with its tempo and total
// stake: one read per subnet plus its stake total.
func (k *Keeper) SubnetSchedules(ctx context.Context) ([]types.SubnetSchedule, error) {
	var out []types.SubnetSchedule
	err := k.Subnets.Walk(ctx, nil, func(netuid uint16, s types.Subnet) (bool, error) {
		stake, err := k.SubnetStake.Get(ctx, netuid)
		if isNotFound(err) {
			stake = math.ZeroInt()
		} else if err != nil {
			return true, err
		}
		out = append(out, types.SubnetSchedule{Netuid: netuid, Owner: s.Owner, Tempo: s.Hyperparams.Tempo, TotalStake: stake})
		return false, nil
	})
	return out, err
}

// EpochInputs reads everything an epoch of netuid needs in one pass:
// neuron_count neuron reads and at most neuron_count weight-row reads.
func (k *Keeper) EpochInputs(ctx context.Context, netuid uint16) (types.EpochInputs, error) {
	var in types.EpochInputs
	s, err := k.GetSubnet(ctx, uint32(netuid))
	if err != nil {
		return in, err
	}
	neurons, err := k.SubnetNeurons(ctx, uint32(netuid))
	if err != nil {
		return in, err
	}
	in.Subnet = s
	n := len(neurons)
	in.Hotkeys, in.Coldkeys = make([]string, n), make([]string, n)
	in.Stake, in.Permits = make([]math.Int, n), make([]bool, n)
	in.LastUpdate, in.RegisteredAt = make([]int64, n), make([]int64, n)
	in.Weights = make([]types.WeightsRow, n)
	in.Bonds = make([]types.BondsRow, n)
	for i, nr := range neurons {
		in.Hotkeys[i], in.Coldkeys[i] = nr.Hotkey, nr.Coldkey
		in.Stake[i], in.Permits[i] = stakeOrZero(nr.Stake), nr.ValidatorPermit
		in.LastUpdate[i], in.RegisteredAt[i] = nr.LastUpdate, nr.RegisteredAt
		if in.Weights[i], err = k.GetWeights(ctx, uint32(netuid), nr.Uid); err != nil {
			return in, err
		}
		b, err := k.Bonds.Get(ctx, joinUID(netuid, uint16(nr.Uid)))
		if err != nil && !isNotFound(err) {
			return in, err
		}
		in.Bonds[i] = b
	}
	return in, nil
}

// SetEpochResults stores an epoch's per-UID outcome on the neurons and the
// new bonds. Every slice is indexed by UID and must cover every neuron.
func (k *Keeper) SetEpochResults(ctx context.Context, netuid uint16, res types.EpochResults) error {
	neurons, err := k.SubnetNeurons(ctx, uint32(netuid))
	if err != nil {
		return err
	}
	n := len(neurons)
	if len(res.Permits) != n || len(res.Emission) != n || len(res.Consensus) != n || len(res.ValidatorTrust) != n ||
		len(res.Incentive) != n || len(res.Dividends) != n || len(res.Bonds) != n {
		return types.ErrInvalidAmount.Wrapf("epoch results for netuid %d do not cover its %d neurons", netuid, n)
	}
	for i, nr := range neurons {
		nr.ValidatorPermit = res.Permits[i]
		nr.Emission = res.Emission[i]
		nr.Consensus, nr.ValidatorTrust = res.Consensus[i], res.ValidatorTrust[i]
		nr.Incentive, nr.Dividends = res.Incentive[i], res.Dividends[i]
		key := joinUID(netuid, uint16(nr.Uid))
		if err := k.Neurons.Set(ctx, key, nr); err != nil {
			return err
		}
		if len(res.Bonds[i].Entries) == 0 {
			if err := k.Bonds.Remove(ctx, key); err != nil {
				return err
			}
		} else if err := k.Bonds.Set(ctx, key, res.Bonds[i]); err != nil {
			return err
		}
	}
	return nil
}
