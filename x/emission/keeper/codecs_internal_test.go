package keeper

import (
	"math/big"
	"reflect"
	"testing"

	"cosmossdk.io/collections/codec"
	"cosmossdk.io/math"
	sdkcodec "github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/emission/types"
)

var testCdc = sdkcodec.NewProtoCodec(codectypes.NewInterfaceRegistry())

// roundTrips checks that c's compact form decodes to what the proto form
// decodes to, that a proto-encoded value still decodes, and that every
// truncation is an error.
func roundTrips[T any](t *testing.T, c, protoOnly codec.ValueCodec[T], v T) {
	t.Helper()
	viaProto, err := protoOnly.Encode(v)
	require.NoError(t, err)
	want, err := protoOnly.Decode(viaProto)
	require.NoError(t, err)
	bz, err := c.Encode(v)
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

func TestEpochRecordCodecMatchesProto(t *testing.T) {
	huge := math.NewIntFromBigInt(new(big.Int).Lsh(big.NewInt(1), 130))
	rec := types.EpochRecord{
		Netuid: 2, Block: 1234, Paid: true, Pool: huge, Owner: "assay1owner", OwnerCut: math.NewInt(18),
		MinersTotal: math.NewInt(41), ValidatorsTotal: math.NewInt(41), Carried: math.NewInt(0), Fallback: true,
		Results: []types.UIDResult{
			{Uid: 0, Hotkey: "assay1h", Coldkey: "assay1c", Stake: math.NewInt(5), ValidatorPermit: true,
				Consensus: math.LegacyMustNewDecFromStr("0.25"), ValidatorTrust: math.LegacyOneDec(),
				Incentive: math.LegacyMustNewDecFromStr("0.000000000000000001"), Dividends: math.LegacyNewDecFromInt(huge),
				MinerReward: math.NewInt(7), ValidatorTake: math.NewInt(1), ValidatorStaked: math.NewInt(9)},
			{Uid: 1},
		},
	}
	c := epochRecordCodec(sdkcodec.CollValue[types.EpochRecord](testCdc))
	roundTrips(t, c, sdkcodec.CollValue[types.EpochRecord](testCdc), rec)
	roundTrips(t, c, sdkcodec.CollValue[types.EpochRecord](testCdc), types.EpochRecord{})
}

func TestRewardTotalsCodecMatchesProto(t *testing.T) {
	c := rewardTotalsCodec(sdkcodec.CollValue[types.RewardTotals](testCdc))
	roundTrips(t, c, sdkcodec.CollValue[types.RewardTotals](testCdc),
		types.RewardTotals{OwnerCut: math.NewInt(1), Miner: math.NewInt(1 << 62), ValidatorTake: math.ZeroInt(), StakePool: math.NewInt(3)})
	roundTrips(t, c, sdkcodec.CollValue[types.RewardTotals](testCdc), types.RewardTotals{})
}

func TestCodecsCoverEveryField(t *testing.T) {
	for _, c := range []struct {
		v    any
		want int
	}{{types.EpochRecord{}, epochRecordFields}, {types.UIDResult{}, uidResultFields}, {types.RewardTotals{}, rewardTotalsFields}} {
		require.Equal(t, c.want, reflect.TypeOf(c.v).NumField(),
			"%T changed: teach its codec in codecs.go the new field, then update the count", c.v)
	}
}
