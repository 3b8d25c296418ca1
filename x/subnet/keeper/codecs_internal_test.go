package keeper

import (
	"math/big"
	"reflect"
	"testing"

	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/internal/compact"
	"github.com/assay-network/assay/x/subnet/types"
)

var testCdc = codec.NewProtoCodec(codectypes.NewInterfaceRegistry())

func bigDec(t *testing.T) math.LegacyDec {
	// 2^100 scaled: beyond int64, so the text fallback is exercised
	d, err := math.LegacyNewDecFromStr(new(big.Int).Lsh(big.NewInt(1), 100).String() + ".000000000000000001")
	require.NoError(t, err)
	return d
}

func sampleNeurons(t *testing.T) []types.Neuron {
	huge := math.NewIntFromBigInt(new(big.Int).Lsh(big.NewInt(1), 200))
	return []types.Neuron{
		{
			Netuid: 3, Uid: 7, Hotkey: "assay1hot", Coldkey: "assay1cold", RegisteredAt: 42,
			Axon:     &types.AxonInfo{Endpoint: "127.0.0.1:9000", Protocol: "grpc", ModelHash: "ab", Version: "1", Block: 40},
			Emission: math.NewInt(123_456), Stake: huge, ValidatorPermit: true, LastUpdate: 41,
			Consensus: math.LegacyMustNewDecFromStr("0.123456789012345678"), ValidatorTrust: math.LegacyOneDec(),
			Incentive: math.LegacyMustNewDecFromStr("-0.5"), Dividends: bigDec(t),
		},
		{Netuid: 1, Axon: &types.AxonInfo{}, Emission: math.ZeroInt(), Stake: math.ZeroInt(),
			Consensus: math.LegacyZeroDec(), ValidatorTrust: math.LegacyZeroDec(), Incentive: math.LegacyZeroDec(), Dividends: math.LegacyZeroDec()},
		{}, // unset numbers read back as zero, as through proto
	}
}

// The compact form decodes to exactly what the proto form decodes to.
func TestNeuronCodecMatchesProto(t *testing.T) {
	pc := neuronCodec(codec.CollValue[types.Neuron](testCdc))
	protoOnly := codec.CollValue[types.Neuron](testCdc)
	for _, n := range sampleNeurons(t) {
		viaProto, err := protoOnly.Encode(n)
		require.NoError(t, err)
		want, err := protoOnly.Decode(viaProto)
		require.NoError(t, err)

		bz, err := pc.Encode(n)
		require.NoError(t, err)
		require.Equal(t, byte(compact.Mark), bz[0])
		got, err := pc.Decode(bz)
		require.NoError(t, err)
		require.Equal(t, want, got)

		// state written before the compact form still reads
		old, err := pc.Decode(viaProto)
		require.NoError(t, err)
		require.Equal(t, want, old)

		for cut := 1; cut < len(bz); cut++ {
			_, err := pc.Decode(bz[:cut])
			require.Error(t, err, "truncated at %d", cut)
		}
	}
}

func TestNeuronCodecCoversEveryField(t *testing.T) {
	require.Equal(t, neuronFields, reflect.TypeOf(types.Neuron{}).NumField(),
		"types.Neuron changed: teach encodeNeuron/decodeNeuron the new field, then update neuronFields")
	require.Equal(t, 5, reflect.TypeOf(types.AxonInfo{}).NumField(),
		"types.AxonInfo changed: teach encodeNeuron/decodeNeuron the new field")
}

func TestBondsCodecMatchesProto(t *testing.T) {
	bc := bondsCodec(codec.CollValue[types.BondsRow](testCdc))
	protoOnly := codec.CollValue[types.BondsRow](testCdc)
	rows := []types.BondsRow{
		{Entries: []types.BondEntry{{Uid: 0, Value: 1}, {Uid: 300, Value: 1 << 32}, {Uid: 65535, Value: -5}}},
		{Entries: []types.BondEntry{{Uid: 2, Value: 0}}},
		{Entries: []types.BondEntry{{Uid: 1, Value: 7}, {Uid: 1 << 20, Value: -1 << 40}}}, // varint layout
		{},
	}
	for _, row := range rows {
		viaProto, err := protoOnly.Encode(row)
		require.NoError(t, err)
		want, err := protoOnly.Decode(viaProto)
		require.NoError(t, err)
		bz, err := bc.Encode(row)
		require.NoError(t, err)
		got, err := bc.Decode(bz)
		require.NoError(t, err)
		require.Equal(t, want, got)
		old, err := bc.Decode(viaProto)
		require.NoError(t, err)
		require.Equal(t, want, old)
		for cut := 1; cut < len(bz); cut++ {
			_, err := bc.Decode(bz[:cut])
			require.Error(t, err, "truncated at %d", cut)
		}
	}
	_, err := bc.Decode([]byte{compact.Mark, bondsFixed, 200, 1, 0, 0})
	require.Error(t, err, "a count beyond the bytes left")
	_, err = bc.Decode([]byte{compact.Mark, 9, 1, 1, 1})
	require.Error(t, err, "an unknown layout")
}

func TestStakePoolCodecMatchesProto(t *testing.T) {
	c := stakePoolCodec(codec.CollValue[types.StakePool](testCdc))
	protoOnly := codec.CollValue[types.StakePool](testCdc)
	huge := math.NewIntFromBigInt(new(big.Int).Lsh(big.NewInt(1), 255))
	for _, p := range []types.StakePool{{TotalStake: math.NewInt(10), TotalShares: huge}, {}} {
		viaProto, err := protoOnly.Encode(p)
		require.NoError(t, err)
		want, err := protoOnly.Decode(viaProto)
		require.NoError(t, err)
		bz, err := c.Encode(p)
		require.NoError(t, err)
		got, err := c.Decode(bz)
		require.NoError(t, err)
		require.Equal(t, want, got)
		old, err := c.Decode(viaProto)
		require.NoError(t, err)
		require.Equal(t, want, old)
	}
}

func TestWeightsCodecMatchesProto(t *testing.T) {
	c := weightsCodec(codec.CollValue[types.WeightsRow](testCdc))
	protoOnly := codec.CollValue[types.WeightsRow](testCdc)
	rows := []types.WeightsRow{
		{Uids: []uint32{0, 3, 65535}, Weights: []uint32{65535, 1, 0}, Block: 99},
		{Uids: []uint32{1, 1 << 20}, Weights: []uint32{7, 1 << 17}, Block: -1}, // varint layout
		{Uids: []uint32{5}, Block: 3},                                          // uneven: the codec stores what it is given
		{Block: 12},
		{},
	}
	for _, row := range rows {
		viaProto, err := protoOnly.Encode(row)
		require.NoError(t, err)
		want, err := protoOnly.Decode(viaProto)
		require.NoError(t, err)
		bz, err := c.Encode(row)
		require.NoError(t, err)
		got, err := c.Decode(bz)
		require.NoError(t, err)
		require.Equal(t, want, got)
		old, err := c.Decode(viaProto)
		require.NoError(t, err)
		require.Equal(t, want, old)
		for cut := 1; cut < len(bz); cut++ {
			_, err := c.Decode(bz[:cut])
			require.Error(t, err, "truncated at %d", cut)
		}
	}
	_, err := c.Decode([]byte{compact.Mark, 7, 0, 0, 0})
	require.Error(t, err, "an unknown layout")
}

func BenchmarkNeuronDecode(b *testing.B) {
	c := neuronCodec(codec.CollValue[types.Neuron](testCdc))
	n := types.Neuron{Netuid: 1, Uid: 200, Hotkey: "assay1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq", Coldkey: "assay1pppppppppppppppppppppppppppppppppppppp",
		RegisteredAt: 1000, Emission: math.NewInt(123_456_789), Stake: math.NewInt(1_000_000_000), ValidatorPermit: true, LastUpdate: 990,
		Consensus: math.LegacyNewDecWithPrec(123, 3), ValidatorTrust: math.LegacyNewDecWithPrec(9, 1),
		Incentive: math.LegacyNewDecWithPrec(4, 3), Dividends: math.LegacyNewDecWithPrec(2, 2)}
	bz, err := c.Encode(n)
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Decode(bz); err != nil {
			b.Fatal(err)
		}
	}
}
