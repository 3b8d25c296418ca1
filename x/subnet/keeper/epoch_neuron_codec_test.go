package keeper

import (
	"math/big"
	"testing"

	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/emission/yuma"
	"github.com/assay-network/assay/x/subnet/types"
)

// The epoch's neuron view reads what the Neurons map reads, from the compact
// and the proto form, fails on the truncations the Neurons map fails on,
// and writes a neuron's results as the bytes the Neurons map writes for the
// neuron with those results.
func TestEpochNeuronCodecMatchesNeuronCodec(t *testing.T) {
	stored := neuronCodec(codec.CollValue[types.Neuron](testCdc))
	protoOnly := codec.CollValue[types.Neuron](testCdc)
	view := epochNeuronCodec{stored}
	// a half, beyond int64 once scaled (the text fallback), zero, and a
	// negative value that truncates toward zero
	res := types.EpochResults{Permits: []bool{true}, Emission: []uint64{1<<64 - 1},
		Consensus: []yuma.Fixed{yuma.Half}, ValidatorTrust: []yuma.Fixed{yuma.FromRaw(1 << 62)},
		Incentive: []yuma.Fixed{0}, Dividends: []yuma.Fixed{yuma.FromRaw(-3)}}
	newStake := math.NewInt(1 << 40)
	for _, n := range sampleNeurons(t) {
		packed, err := stored.Encode(n)
		require.NoError(t, err)
		viaProto, err := protoOnly.Encode(n)
		require.NoError(t, err)
		want, err := stored.Decode(packed)
		require.NoError(t, err)
		for form, bz := range [][]byte{packed, viaProto} {
			got, err := view.Decode(bz)
			require.NoError(t, err)
			read := []epochNeuron{got}
			smallStakes(read) // as epochNeurons completes what it decoded
			got = read[0]
			require.Equal(t, want.Uid, got.uid)
			require.Equal(t, want.Hotkey, got.hotkey)
			require.Equal(t, want.Coldkey, got.coldkey)
			require.Equal(t, want.RegisteredAt, got.registeredAt)
			require.Equal(t, want.LastUpdate, got.lastUpdate)
			require.Equal(t, want.ValidatorPermit, got.permit)
			require.True(t, stakeOrZero(want.Stake).Equal(got.stake))
			require.Equal(t, form == 1, got.full != nil, "the proto form is decoded whole")
		}

		got, err := view.Decode(packed)
		require.NoError(t, err)
		require.Nil(t, got.full)
		withRes := want
		withRes.Stake, withRes.ValidatorPermit, withRes.Emission = newStake, res.Permits[0], math.NewIntFromUint64(res.Emission[0])
		withRes.Consensus, withRes.ValidatorTrust = types.FixedToDec(res.Consensus[0]), types.FixedToDec(res.ValidatorTrust[0])
		withRes.Incentive, withRes.Dividends = types.FixedToDec(res.Incentive[0]), types.FixedToDec(res.Dividends[0])
		wantBz, err := stored.Encode(withRes)
		require.NoError(t, err)
		require.Equal(t, wantBz, got.withResults(newStake, res, 0))
		holding, err := view.Decode(wantBz)
		require.NoError(t, err)
		require.Equal(t, wantBz, holding.withResults(newStake, res, 0),
			"unchanged results give the stored bytes, so the neuron is not written")

		for cut := 1; cut < len(packed); cut++ {
			_, err := view.Decode(packed[:cut])
			require.Error(t, err, "truncated at %d", cut)
		}
	}
}

// smallStakes builds the stakes compact's MathInt reads, and leaves a stake
// read in text form as it is.
func TestSmallStakesMatchMathInt(t *testing.T) {
	huge := math.NewIntFromBigInt(new(big.Int).Lsh(big.NewInt(1), 100))
	values := []int64{0, 1, -5, 1 << 40, 1<<63 - 1, -1 << 63, 7}
	neurons := make([]epochNeuron, 0, len(values)+1)
	for _, v := range values {
		neurons = append(neurons, epochNeuron{smallStake: v})
	}
	neurons = append(neurons, epochNeuron{stake: huge})
	smallStakes(neurons)
	for i, v := range values {
		require.Equal(t, math.NewInt(v), neurons[i].stake, "%d", v)
		require.True(t, math.NewInt(v).Equal(neurons[i].stake))
	}
	require.Equal(t, huge, neurons[len(values)].stake)
	// stakes are independent values: arithmetic on one leaves the others
	sum := neurons[1].stake.Add(neurons[6].stake)
	require.Equal(t, "8", sum.String())
	require.Equal(t, "1", neurons[1].stake.String())
}
