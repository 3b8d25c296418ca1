package keeper

import (
	"testing"

	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/stretchr/testify/require"

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
	res := types.EpochResults{Permits: []bool{true}, Emission: []math.Int{math.NewInt(77)},
		Consensus: []math.LegacyDec{math.LegacyNewDecWithPrec(5, 1)}, ValidatorTrust: []math.LegacyDec{bigDec(t)},
		Incentive: []math.LegacyDec{math.LegacyZeroDec()}, Dividends: []math.LegacyDec{math.LegacyNewDecWithPrec(-3, 18)}}
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
		withRes.Stake, withRes.ValidatorPermit, withRes.Emission = newStake, res.Permits[0], res.Emission[0]
		withRes.Consensus, withRes.ValidatorTrust = res.Consensus[0], res.ValidatorTrust[0]
		withRes.Incentive, withRes.Dividends = res.Incentive[0], res.Dividends[0]
		wantBz, err := stored.Encode(withRes)
		require.NoError(t, err)
		require.Equal(t, wantBz, got.withResults(newStake, res, 0))
		require.Equal(t, packed, got.withResults(stakeOrZero(want.Stake), types.EpochResults{Permits: []bool{want.ValidatorPermit},
			Emission: []math.Int{want.Emission}, Consensus: []math.LegacyDec{want.Consensus}, ValidatorTrust: []math.LegacyDec{want.ValidatorTrust},
			Incentive: []math.LegacyDec{want.Incentive}, Dividends: []math.LegacyDec{want.Dividends}}, 0),
			"unchanged results give the stored bytes, so the neuron is not written")

		for cut := 1; cut < len(packed); cut++ {
			_, err := view.Decode(packed[:cut])
			require.Error(t, err, "truncated at %d", cut)
		}
	}
}
