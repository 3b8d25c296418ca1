package keeper

import (
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/emission/yuma"
	"github.com/assay-network/assay/x/internal/compact"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

func TestSplitPool(t *testing.T) {
	cut, share := sdkmath.LegacyNewDecWithPrec(18, 2), sdkmath.LegacyNewDecWithPrec(5, 1)
	h, q := yuma.Half, yuma.One/4
	tests := []struct {
		name                     string
		pending                  int64
		incentive, shares        []yuma.Fixed
		paid                     bool
		owner, miners, vals, car int64
		miner, validator         []uint64
	}{
		{"owner, miners and validators", 1000, []yuma.Fixed{0, h, h}, []yuma.Fixed{yuma.One, 0, 0},
			true, 180, 410, 410, 0, []uint64{0, 205, 205}, []uint64{410, 0, 0}},
		{"no incentive: validators take the miners' half", 1000, []yuma.Fixed{0, 0}, []yuma.Fixed{h, h},
			true, 180, 0, 820, 0, []uint64{0, 0}, []uint64{410, 410}},
		{"odd amounts apportion exactly", 1001, []yuma.Fixed{0, q, 3 * q}, []yuma.Fixed{h, h, 0},
			true, 180, 410, 411, 0, []uint64{0, 103, 307}, []uint64{206, 205, 0}},
		{"no validator share: nothing paid", 1000, []yuma.Fixed{h, h}, []yuma.Fixed{0, 0},
			false, 0, 0, 0, 1000, []uint64{0, 0}, []uint64{0, 0}},
		{"nothing pending: nothing paid", 0, []yuma.Fixed{h, h}, []yuma.Fixed{h, h},
			false, 0, 0, 0, 0, []uint64{0, 0}, []uint64{0, 0}},
	}
	for _, tc := range tests {
		s := splitPool(sdkmath.NewInt(tc.pending), cut, share, tc.incentive, tc.shares)
		require.Equal(t, tc.paid, s.Paid, tc.name)
		require.Equal(t, []int64{tc.owner, tc.miners, tc.vals, tc.car},
			[]int64{s.OwnerCut.Int64(), s.MinersTotal.Int64(), s.ValidatorsTotal.Int64(), s.Carried.Int64()}, tc.name)
		require.True(t, slices.Equal(tc.miner, s.Miner), "%s: miner parts %v", tc.name, s.Miner)
		require.True(t, slices.Equal(tc.validator, s.Validator), "%s: validator parts %v", tc.name, s.Validator)
		require.Equal(t, tc.pending, s.OwnerCut.Add(s.MinersTotal).Add(s.ValidatorsTotal).Add(s.Carried).Int64(), "%s: the split adds up", tc.name)
	}
}

func TestSplitTake(t *testing.T) {
	for _, tc := range []struct {
		v           uint64
		rate        string
		take, stake int64
	}{
		{1000, "0.18", 180, 820},
		{999, "0.18", 179, 820}, // floor(179.82)
		{1000, "0", 0, 1000},
		{1000, "1", 1000, 0},
		{1, "0.5", 0, 1},
	} {
		take, ok := splitTake(tc.v, sdkmath.LegacyMustNewDecFromStr(tc.rate))
		require.True(t, ok)
		require.Equal(t, []uint64{uint64(tc.take), uint64(tc.stake)}, []uint64{take, tc.v - take}, "v %d rate %s", tc.v, tc.rate)
	}
	s, err := withTakes(splitPool(sdkmath.NewInt(1000), sdkmath.LegacyZeroDec(), sdkmath.LegacyZeroDec(),
		[]yuma.Fixed{0, 0}, []yuma.Fixed{yuma.Half, yuma.Half}), []sdkmath.LegacyDec{sdkmath.LegacyNewDecWithPrec(1, 1), sdkmath.LegacyOneDec()})
	require.NoError(t, err)
	require.Equal(t, []uint64{50, 500}, s.Take)
	require.Equal(t, []uint64{450, 0}, s.Staked)
	for _, bad := range []sdkmath.LegacyDec{{}, sdkmath.LegacyNewDec(-1), sdkmath.LegacyMustNewDecFromStr("1.000000000000000001")} {
		_, ok := splitTake(1000, bad)
		require.False(t, ok, "rate %v", bad)
	}
}

// The 128-bit take equals LegacyDec's v·rate truncated, the definition it
// replaced, for parts up to 2^64 − 1 and rates across [0, 1].
func TestSplitTakeMatchesLegacyDec(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		v := rng.Uint64() >> rng.IntN(64)
		rate := sdkmath.LegacyNewDecFromBigIntWithPrec(new(big.Int).SetUint64(rng.Uint64N(decPrecision+1)), sdkmath.LegacyPrecision)
		want := sdkmath.LegacyNewDecFromInt(sdkmath.NewIntFromUint64(v)).Mul(rate).TruncateInt()
		take, ok := splitTake(v, rate)
		require.True(t, ok)
		require.Equal(t, want.String(), sdkmath.NewIntFromUint64(take).String(), "v %d rate %s", v, rate)
	}
}

// FixedToDec's 128-bit path must equal the big-number definition it replaced,
// and WriteFixedDec must write what Dec writes for it.
func TestFixedToDecMatchesBigNumbers(t *testing.T) {
	want := func(f yuma.Fixed) sdkmath.LegacyDec {
		return sdkmath.LegacyNewDec(f.Raw()).QuoInt64(1 << yuma.FracBits)
	}
	raws := []int64{0, 1, -1, 3, 1 << 31, 1 << 32, 1<<32 - 1, -(1 << 32), 9 << 32, 10 << 32, -(10 << 32),
		1<<63 - 1, -1 << 63, 39614081257, 39614081258}
	for r := int64(1); r < 1<<40; r = r*3 + 1 {
		raws = append(raws, r, -r)
	}
	for _, r := range raws {
		f := yuma.FromRaw(r)
		got := subnettypes.FixedToDec(f)
		require.True(t, want(f).Equal(got), "raw %d: %s != %s", r, got, want(f))
		var direct, viaDec compact.Writer
		subnettypes.WriteFixedDec(&direct, f)
		viaDec.Dec(want(f))
		require.Equal(t, viaDec.Bytes(), direct.Bytes(), "raw %d", r)
	}
}
