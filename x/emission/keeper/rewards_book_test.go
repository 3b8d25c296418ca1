package keeper

import (
	"math/big"
	"math/rand/v2"
	"testing"

	sdkmath "cosmossdk.io/math"
	sdkcodec "github.com/cosmos/cosmos-sdk/codec"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/emission/types"
)

// Adding to the totals through the epoch's book writes the bytes the
// Rewards map writes for the same totals added as math.Int: from compact,
// proto and missing records, with totals beyond int64 and sums that carry
// a total past it.
func TestRewardBookAddsAsTheTotals(t *testing.T) {
	protoCodec := sdkcodec.CollValue[types.RewardTotals](testCdc)
	totals := rewardTotalsCodec(protoCodec)
	book := rewardBookCodec{totals}
	rng := rand.New(rand.NewPCG(7, 8))
	huge := sdkmath.NewIntFromBigInt(new(big.Int).Lsh(big.NewInt(1), 80))
	amount := func() sdkmath.Int {
		return [...]sdkmath.Int{sdkmath.ZeroInt(), sdkmath.NewInt(rng.Int64N(1 << 40)), sdkmath.NewInt(1<<63 - 5), huge}[rng.IntN(4)]
	}
	sum := func() uint64 {
		return [...]uint64{0, rng.Uint64N(1 << 40), 10, 1<<63 - 1, 1 << 63, 1<<64 - 1}[rng.IntN(6)]
	}
	add := func(t types.RewardTotals, s [4]uint64) types.RewardTotals {
		t.OwnerCut, t.Miner = addUint(t.OwnerCut, s[0]), addUint(t.Miner, s[1])
		t.ValidatorTake, t.StakePool = addUint(t.ValidatorTake, s[2]), addUint(t.StakePool, s[3])
		return t
	}
	zero := types.RewardTotals{OwnerCut: sdkmath.ZeroInt(), Miner: sdkmath.ZeroInt(), ValidatorTake: sdkmath.ZeroInt(), StakePool: sdkmath.ZeroInt()}
	for i := range 3000 {
		s := [4]uint64{sum(), sum(), sum(), sum()}
		want, err := totals.Encode(add(zero, s))
		require.NoError(t, err)
		got, err := book.Encode(rewardBook{}.add(s)) // no record yet
		require.NoError(t, err)
		require.Equal(t, want, got, "missing record, sums %v", s)

		stored := types.RewardTotals{OwnerCut: amount(), Miner: amount(), ValidatorTake: amount(), StakePool: amount()}
		enc := totals.Encode
		if i%5 == 0 {
			enc = protoCodec.Encode // a record still stored as proto
		}
		bz, err := enc(stored)
		require.NoError(t, err)
		read, err := totals.Decode(bz)
		require.NoError(t, err)
		want, err = totals.Encode(add(read, s))
		require.NoError(t, err)
		b, err := book.Decode(bz)
		require.NoError(t, err)
		got, err = book.Encode(b.add(s))
		require.NoError(t, err)
		require.Equal(t, want, got, "stored %v, sums %v", stored, s)
	}
	_, err := book.Decode([]byte{0, 0, 2})
	require.Error(t, err, "a truncated record fails as the Rewards map fails")
}
