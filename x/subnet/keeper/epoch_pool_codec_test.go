package keeper

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/subnet/types"
)

// Crediting a pool through the epoch's view writes the bytes the StakePools
// map writes for the pool credited as math.Int, and reports the same shares
// and stake: from compact, proto and missing pools, with numbers beyond
// int64 and credits that carry the stake past it.
func TestEpochPoolCreditsAsThePool(t *testing.T) {
	protoCodec := codec.CollValue[types.StakePool](testCdc)
	stored := stakePoolCodec(protoCodec)
	view := epochPoolCodec{stored}
	rng := rand.New(rand.NewPCG(9, 10))
	huge := math.NewIntFromBigInt(new(big.Int).Lsh(big.NewInt(1), 80))
	number := func() math.Int {
		return [...]math.Int{math.ZeroInt(), math.NewInt(rng.Int64N(1 << 40)), math.NewInt(1<<63 - 3), huge, math.NewInt(-2)}[rng.IntN(5)]
	}
	credit := func() uint64 { return [...]uint64{1, rng.Uint64N(1 << 40), 1<<63 - 1, 1 << 63, 1<<64 - 1}[rng.IntN(5)] }
	check := func(read types.StakePool, p epochPool, v uint64, what string) {
		require.Equal(t, hasShares(read), p.hasShares(), what)
		if !hasShares(read) {
			return
		}
		read.TotalStake = read.TotalStake.Add(math.NewIntFromUint64(v))
		want, err := stored.Encode(read)
		require.NoError(t, err)
		p = p.credit(v)
		got, err := view.Encode(p)
		require.NoError(t, err)
		require.Equal(t, want, got, what)
		require.True(t, PoolStake(read).Equal(p.stake()), what)
	}
	for i := range 3000 {
		pool := types.StakePool{TotalStake: number(), TotalShares: number()}
		enc := stored.Encode
		if i%5 == 0 {
			enc = protoCodec.Encode // a pool still stored as proto
		}
		bz, err := enc(pool)
		require.NoError(t, err)
		read, err := stored.Decode(bz)
		require.NoError(t, err)
		p, err := view.Decode(bz)
		require.NoError(t, err)
		check(read, p, credit(), pool.String())
	}
	check(types.EmptyPool(), epochPool{}, 5, "missing pool")
	_, err := view.Decode([]byte{0, 0, 2})
	require.Error(t, err, "a truncated pool fails as the StakePools map fails")
}
