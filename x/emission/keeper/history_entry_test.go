package keeper

import (
	"math/big"
	"math/rand/v2"
	"testing"

	sdkmath "cosmossdk.io/math"
	sdkcodec "github.com/cosmos/cosmos-sdk/codec"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/emission/yuma"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// fullRecord is the history record as a types.EpochRecord, the definition
// epochEntry's encoding must match.
func fullRecord(e epochEntry) types.EpochRecord {
	rec := e.summary
	rec.Results = make([]types.UIDResult, len(e.in.Hotkeys))
	for i := range rec.Results {
		rec.Results[i] = types.UIDResult{
			Uid: uint32(i), Hotkey: e.in.Hotkeys[i], Coldkey: e.in.Coldkeys[i], Stake: e.in.Stake[i],
			ValidatorPermit: e.res.Permits[i], Consensus: subnettypes.FixedToDec(e.res.Consensus[i]),
			ValidatorTrust: subnettypes.FixedToDec(e.res.ValidatorTrust[i]),
			Incentive:      subnettypes.FixedToDec(e.res.Incentive[i]), Dividends: subnettypes.FixedToDec(e.res.Dividends[i]),
			MinerReward:   sdkmath.NewIntFromUint64(e.split.Miner[i]),
			ValidatorTake: sdkmath.NewIntFromUint64(e.split.Take[i]), ValidatorStaked: sdkmath.NewIntFromUint64(e.split.Staked[i]),
		}
	}
	return rec
}

// The record the epoch writes from its slices is byte for byte the record
// the History map writes for the same types.EpochRecord, and reads back as
// that record: numbers beyond int64 included, and a subnet without UIDs.
func TestEpochEntryEncodesAsTheRecord(t *testing.T) {
	stored := epochRecordCodec(sdkcodec.CollValue[types.EpochRecord](testCdc))
	rng := rand.New(rand.NewPCG(5, 6))
	number := func() uint64 {
		return [...]uint64{0, 1, rng.Uint64N(1 << 40), rng.Uint64(), 1<<63 - 1, 1 << 63, 1<<64 - 1}[rng.IntN(7)]
	}
	output := func() yuma.Fixed { // in [0, 1], beyond int64 once scaled, or negative
		return yuma.FromRaw([...]int64{rng.Int64N(1<<32 + 1), 1<<63 - 1 - rng.Int64N(1000), -rng.Int64N(1000)}[rng.IntN(3)])
	}
	for _, n := range []int{0, 1, 7, 64} {
		e := epochEntry{summary: epochSummary(uint16(n), int64(1000+n), sdkmath.NewInt(5000), "owner", n%2 == 0,
			Split{Paid: true, OwnerCut: sdkmath.NewInt(900), MinersTotal: sdkmath.NewInt(2000), ValidatorsTotal: sdkmath.NewInt(2099),
				Carried: sdkmath.NewInt(1), Miner: make([]uint64, n), Take: make([]uint64, n), Staked: make([]uint64, n)})}
		e.in = subnettypes.EpochInputs{Hotkeys: make([]string, n), Coldkeys: make([]string, n), Stake: make([]sdkmath.Int, n)}
		e.res = subnettypes.EpochResults{Permits: make([]bool, n), Consensus: make([]yuma.Fixed, n),
			ValidatorTrust: make([]yuma.Fixed, n), Incentive: make([]yuma.Fixed, n), Dividends: make([]yuma.Fixed, n)}
		e.split = Split{Miner: make([]uint64, n), Take: make([]uint64, n), Staked: make([]uint64, n)}
		for i := 0; i < n; i++ {
			e.in.Hotkeys[i], e.in.Coldkeys[i] = "hot"+string(rune('a'+i%26)), "cold"
			e.in.Stake[i] = sdkmath.NewIntFromBigInt(new(big.Int).Mul(new(big.Int).SetUint64(number()), big.NewInt(int64(1+i%3))))
			e.res.Permits[i] = rng.IntN(2) == 0
			e.res.Consensus[i], e.res.ValidatorTrust[i], e.res.Incentive[i], e.res.Dividends[i] = output(), output(), output(), output()
			e.split.Miner[i], e.split.Take[i], e.split.Staked[i] = number(), number(), number()
		}
		want := fullRecord(e)
		wantBz, err := stored.Encode(want)
		require.NoError(t, err)
		got, err := epochEntryCodec{}.Encode(e)
		require.NoError(t, err)
		require.Equal(t, wantBz, got, "%d uids", n)
		back, err := stored.Decode(got)
		require.NoError(t, err)
		wantBack, err := stored.Decode(wantBz)
		require.NoError(t, err)
		require.Equal(t, wantBack, back)
	}
	_, err := epochEntryCodec{}.Decode(nil)
	require.ErrorIs(t, err, errWriteOnly)
}
