package keeper

import (
	"bytes"
	"context"
	"math/big"
	"slices"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/emission/yuma"
	"github.com/assay-network/assay/x/internal/opened"
	"github.com/assay-network/assay/x/subnet/types"
)

// EpochView is the narrow view x/emission needs (its expected keeper
// interface is the same set of methods).
type EpochView interface {
	SubnetSchedules(ctx context.Context) ([]types.SubnetSchedule, error)
	RunEpoch(ctx context.Context, netuid uint16, run func(types.EpochInputs) (types.EpochResults, error)) error
	TakeRates(ctx context.Context, hotkeys []sdk.AccAddress) ([]math.LegacyDec, error)
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

// RunEpoch reads netuid's epoch inputs, has run turn them into results and
// stores those on the neurons and as the new bonds, and credits the stake
// pools (the caller moves the tokens to x/subnet): each neuron and bond
// row is read and decoded once, and written only if the epoch changed it
// (idle UIDs of a large subnet cost a read, not a write). run may read
// state but must not write x/subnet's; an error from it is returned as is
// and nothing is written.
func (k *Keeper) RunEpoch(ctx context.Context, netuid uint16, run func(types.EpochInputs) (types.EpochResults, error)) error {
	snap, err := k.readEpoch(ctx, netuid)
	if err != nil {
		return err
	}
	res, err := run(snap.in)
	if err != nil {
		return err
	}
	n := len(snap.neurons)
	if len(res.Permits) != n || len(res.Emission) != n || len(res.Consensus) != n || len(res.ValidatorTrust) != n ||
		len(res.Incentive) != n || len(res.Dividends) != n || len(res.Bonds) != n {
		return types.ErrInvalidAmount.Wrapf("epoch results for netuid %d do not cover its %d neurons", netuid, n)
	}
	stakes := slices.Clone(snap.in.Stake) // in.Stake stays as the epoch read it
	staked, err := k.creditPools(ctx, netuid, stakes, res.Credits)
	if err != nil {
		return err
	}
	if err := k.setNeuronResults(ctx, netuid, snap.neurons, stakes, staked, res); err != nil {
		return err
	}
	if err := k.setBonds(ctx, netuid, snap, res.Bonds); err != nil {
		return err
	}
	return k.clearBondResets(ctx, netuid, snap.resets)
}

// EpochInputs is what RunEpoch hands its run: the state an epoch of netuid
// reads (bonds already without those the epoch resets).
func (k *Keeper) EpochInputs(ctx context.Context, netuid uint16) (types.EpochInputs, error) {
	snap, err := k.readEpoch(ctx, netuid)
	return snap.in, err
}

// epochSnapshot is an epoch's inputs plus what RunEpoch needs to write the
// results back without reading again.
type epochSnapshot struct {
	in      types.EpochInputs
	neurons []epochNeuron
	bonded  []bool // a bond row is stored for the UID
	// stored are the bond rows as stored; in.Bonds lacks the entries on
	// UIDs recorded for a bonds reset.
	stored [][]yuma.Entry
	// resets are every bond-reset record of the subnet, which the epoch
	// clears (those below the UID count also filter in.Bonds).
	resets []uint16
}

// readEpoch makes one pass over netuid's neurons, one over its stored weight
// rows and one over its bond rows, so UIDs without weights or bonds cost no
// lookups.
func (k *Keeper) readEpoch(ctx context.Context, netuid uint16) (epochSnapshot, error) {
	var snap epochSnapshot
	s, err := k.GetSubnet(ctx, netuid)
	if err != nil {
		return snap, err
	}
	if snap.neurons, err = k.epochNeurons(ctx, netuid, int(s.NeuronCount)); err != nil {
		return snap, err
	}
	in := &snap.in
	in.Subnet = s
	n := len(snap.neurons)
	in.Hotkeys, in.Coldkeys = make([]string, n), make([]string, n)
	in.Stake, in.Permits = make([]math.Int, n), make([]bool, n)
	in.LastUpdate, in.RegisteredAt = make([]int64, n), make([]int64, n)
	for i, nr := range snap.neurons {
		in.Hotkeys[i], in.Coldkeys[i] = nr.hotkey, nr.coldkey
		in.Stake[i], in.Permits[i] = nr.stake, nr.permit
		in.LastUpdate[i], in.RegisteredAt[i] = nr.lastUpdate, nr.registeredAt
	}
	in.Weights = make([][]yuma.Weight, n)
	if err := walkRows(ctx, k.epochWeights, netuid, n, func(uid uint16, row []yuma.Weight) { in.Weights[uid] = row }); err != nil {
		return snap, err
	}
	in.Bonds, snap.bonded = make([][]yuma.Entry, n), make([]bool, n)
	err = walkRows(ctx, k.epochBonds, netuid, n, func(uid uint16, row []yuma.Entry) { in.Bonds[uid], snap.bonded[uid] = row, true })
	if err != nil {
		return snap, err
	}
	if snap.resets, err = k.bondResetUIDs(ctx, netuid); err != nil {
		return snap, err
	}
	snap.stored, in.Bonds = in.Bonds, withoutBondsOn(in.Bonds, below(snap.resets, n))
	return snap, nil
}

// setBonds makes netuid's stored bond rows equal rows (an empty row is no
// stored row), writing only the rows that differ from the snapshot's.
func (k *Keeper) setBonds(ctx context.Context, netuid uint16, snap epochSnapshot, rows [][]yuma.Entry) error {
	bonds := opened.Open(ctx, k.storeService, k.epochBonds)
	for i, row := range rows {
		switch {
		case len(row) == 0 && snap.bonded[i]:
			if err := bonds.Remove(joinUID(netuid, uint16(i))); err != nil {
				return err
			}
		case len(row) > 0 && (!snap.bonded[i] || !slices.Equal(snap.stored[i], row)):
			if err := bonds.Set(joinUID(netuid, uint16(i)), row); err != nil {
				return err
			}
		}
	}
	return nil
}

// epochNeurons returns netuid's neurons as the epoch reads them, checking
// that they are UIDs 0..n-1 in order, as every epoch slice is indexed by
// UID. count is the subnet's neuron count, to size the slice.
func (k *Keeper) epochNeurons(ctx context.Context, netuid uint16, count int) ([]epochNeuron, error) {
	neurons := make([]epochNeuron, 0, min(count, 1<<16))
	err := k.epochNeuronsView.Walk(ctx, collections.NewPrefixedPairRange[uint16, uint16](netuid),
		func(_ collections.Pair[uint16, uint16], n epochNeuron) (bool, error) {
			neurons = append(neurons, n)
			return false, nil
		})
	if err != nil {
		return nil, err
	}
	for i, nr := range neurons {
		if nr.uid != uint32(i) {
			return nil, types.ErrNeuronNotFound.Wrapf("netuid %d: uid %d missing (found %d in its place)", netuid, i, nr.uid)
		}
	}
	smallStakes(neurons)
	return neurons, nil
}

// smallStakes sets the stake of every neuron whose stake was read as a
// small integer, as math.Ints that share two allocations (the big.Int
// headers and their one-word magnitudes) instead of two each: an epoch
// reads every neuron's stake. The values are those compact's MathInt reads.
func smallStakes(neurons []epochNeuron) {
	count := 0
	for _, nr := range neurons {
		if nr.stake.IsNil() {
			count++
		}
	}
	ints, words := make([]big.Int, count), make([]big.Word, count)
	j := 0
	for i := range neurons {
		nr := &neurons[i]
		if !nr.stake.IsNil() {
			continue
		}
		switch v := nr.smallStake; {
		case v > 0 && uint64(v) <= uint64(^big.Word(0)): // one word (always, on 64-bit)
			words[j] = big.Word(v)
			ints[j].SetBits(words[j : j+1 : j+1])
		case v != 0:
			ints[j].SetInt64(v)
		}
		nr.stake = math.NewIntFromBigIntMut(&ints[j])
		j++
	}
}

// setNeuronResults stores each neuron's results and stake (stakes, by UID),
// writing a neuron only when its stake was credited or its bytes change
// (idle UIDs of a large subnet cost a read, not a write).
func (k *Keeper) setNeuronResults(ctx context.Context, netuid uint16, neurons []epochNeuron, stakes []math.Int,
	staked []bool, res types.EpochResults,
) error {
	var scratch []byte
	view := opened.Open(ctx, k.storeService, k.epochNeuronsView)
	for i, nr := range neurons {
		if nr.full != nil {
			if err := k.setProtoNeuronResults(ctx, joinUID(netuid, uint16(i)), *nr.full, stakes[i], staked[i], res, i); err != nil {
				return err
			}
			continue
		}
		scratch = nr.appendResults(scratch[:0], stakes[i], res, i)
		if !staked[i] && string(scratch) == nr.stored {
			continue
		}
		nr.out = bytes.Clone(scratch) // the store keeps the value it is given
		if err := view.Set(joinUID(netuid, uint16(i)), nr); err != nil {
			return err
		}
	}
	return nil
}

// setProtoNeuronResults is setNeuronResults for a neuron still stored as
// proto: it is decoded whole and written through the Neurons map.
func (k *Keeper) setProtoNeuronResults(ctx context.Context, key collections.Pair[uint16, uint16], nr types.Neuron,
	stake math.Int, staked bool, res types.EpochResults, i int,
) error {
	if !staked && sameResults(nr, res, i) {
		return nil
	}
	if staked {
		nr.Stake = stake
	}
	nr.ValidatorPermit = res.Permits[i]
	nr.Emission = math.NewIntFromUint64(res.Emission[i])
	nr.Consensus, nr.ValidatorTrust = types.FixedToDec(res.Consensus[i]), types.FixedToDec(res.ValidatorTrust[i])
	nr.Incentive, nr.Dividends = types.FixedToDec(res.Incentive[i]), types.FixedToDec(res.Dividends[i])
	return k.Neurons.Set(ctx, key, nr)
}

// sameResults reports whether neuron nr already holds UID i's results.
func sameResults(nr types.Neuron, res types.EpochResults, i int) bool {
	return nr.ValidatorPermit == res.Permits[i] && sameInt(nr.Emission, math.NewIntFromUint64(res.Emission[i])) &&
		sameDec(nr.Consensus, types.FixedToDec(res.Consensus[i])) && sameDec(nr.ValidatorTrust, types.FixedToDec(res.ValidatorTrust[i])) &&
		sameDec(nr.Incentive, types.FixedToDec(res.Incentive[i])) && sameDec(nr.Dividends, types.FixedToDec(res.Dividends[i]))
}

// sameInt and sameDec treat an unset value as different from any value, so
// it is written (and encodes as the value, not as unset).
func sameInt(a, b math.Int) bool       { return !a.IsNil() && !b.IsNil() && a.Equal(b) }
func sameDec(a, b math.LegacyDec) bool { return !a.IsNil() && !b.IsNil() && a.Equal(b) }

// walkRows calls fn for each stored row of netuid with a UID below n, in
// UID order.
func walkRows[V any](ctx context.Context, m collections.Map[collections.Pair[uint16, uint16], V], netuid uint16, n int,
	fn func(uid uint16, row V),
) error {
	return m.Walk(ctx, collections.NewPrefixedPairRange[uint16, uint16](netuid),
		func(key collections.Pair[uint16, uint16], row V) (bool, error) {
			if int(key.K2()) < n {
				fn(key.K2(), row)
			}
			return false, nil
		})
}
