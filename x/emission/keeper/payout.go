package keeper

import (
	"context"
	"math/bits"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/emission/yuma"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// Split is how one epoch divides a subnet's pending pool (README, "Epoch
// payout"). Per-UID slices are indexed by UID.
type Split struct {
	// Paid is false when nothing is pending or no validator share is
	// positive: then nothing moves and the whole pool stays pending.
	Paid                                            bool
	OwnerCut, MinersTotal, ValidatorsTotal, Carried sdkmath.Int
	// Miner and Validator are each UID's part of M and of V (before take).
	Miner, Validator []uint64
	// Take and Staked divide each validator part: the take goes to the
	// validator's coldkey, the rest into its hotkey's stake pool.
	Take, Staked []uint64
}

// splitPool divides pending into the owner cut, the miners' M (by
// incentive) and the validators' V (by validator share), apportioned
// exactly; what cannot be apportioned is carried. Take and Staked are zero
// until withTakes fills them.
func splitPool(pending sdkmath.Int, ownerCut, minerShare sdkmath.LegacyDec, incentive, validatorShares []yuma.Fixed) Split {
	n := len(validatorShares)
	s := Split{
		OwnerCut: sdkmath.ZeroInt(), MinersTotal: sdkmath.ZeroInt(), ValidatorsTotal: sdkmath.ZeroInt(), Carried: pending,
		Miner: make([]uint64, n), Validator: make([]uint64, n), Take: make([]uint64, n), Staked: make([]uint64, n),
	}
	if sumFixed(validatorShares) <= 0 || !pending.IsPositive() {
		return s
	}
	s.Paid = true
	s.OwnerCut = sdkmath.LegacyNewDecFromInt(pending).Mul(ownerCut).TruncateInt()
	rest := pending.Sub(s.OwnerCut)
	m := sdkmath.ZeroInt()
	if sumFixed(incentive) > 0 {
		m = sdkmath.LegacyNewDecFromInt(rest).Mul(minerShare).TruncateInt()
	}
	v := rest.Sub(m)
	var mRem, vRem uint64
	s.Miner, mRem = yuma.Allocate(subnettypes.SaturatingUint64(m), incentive)
	s.Validator, vRem = yuma.Allocate(subnettypes.SaturatingUint64(v), validatorShares)
	s.MinersTotal = m.Sub(sdkmath.NewIntFromUint64(mRem))
	s.ValidatorsTotal = v.Sub(sdkmath.NewIntFromUint64(vRem))
	s.Carried = sdkmath.NewIntFromUint64(mRem + vRem)
	return s
}

// withTakes splits every positive validator part by its hotkey's take
// rate (rates[i] is read only where Validator[i] > 0).
func withTakes(s Split, rates []sdkmath.LegacyDec) (Split, error) {
	for i, v := range s.Validator {
		if v == 0 {
			continue
		}
		take, ok := splitTake(v, rates[i])
		if !ok {
			return s, subnettypes.ErrInvalidTake.Wrapf("uid %d: take rate %s is not in [0, 1]", i, rates[i])
		}
		s.Take[i], s.Staked[i] = take, v-take
	}
	return s, nil
}

// splitTake is take = floor(v·rate) for the coldkey (v − take goes to the
// pool), what LegacyDec's v·rate truncated gives: the product of v·10^18
// and the rate's 10^18-scaled integer r, rounded back to 18 decimals, is
// exactly v·r, so the take is floor(v·r / 10^18), here in 128 bits. ok is
// false for a rate outside [0, 1], which x/subnet never stores.
func splitTake(v uint64, rate sdkmath.LegacyDec) (take uint64, ok bool) {
	if rate.IsNil() {
		return 0, false
	}
	r := rate.BigIntMut()
	if r.Sign() < 0 || !r.IsUint64() || r.Uint64() > decPrecision {
		return 0, false
	}
	hi, lo := bits.Mul64(v, r.Uint64())
	take, _ = bits.Div64(hi, lo, decPrecision) // hi < r ≤ 10^18: no overflow
	return take, true
}

func sumFixed(v []yuma.Fixed) yuma.Fixed {
	var s yuma.Fixed
	for _, x := range v {
		s = s.Add(x)
	}
	return s
}

// takeRates reads the take of every hotkey with a positive validator part
// (the rest stay unset: withTakes never reads them).
func (k *Keeper) takeRates(ctx context.Context, dec addressDecoder, hotkeys []string, parts []uint64) ([]sdkmath.LegacyDec, error) {
	var uids []int
	var paid []sdk.AccAddress
	for i, v := range parts {
		if v == 0 {
			continue
		}
		hotkey, err := dec.decode(hotkeys[i])
		if err != nil {
			return nil, err
		}
		uids, paid = append(uids, i), append(paid, hotkey)
	}
	got, err := k.subnets.TakeRates(ctx, paid)
	if err != nil {
		return nil, err
	}
	rates := make([]sdkmath.LegacyDec, len(parts))
	for j, i := range uids {
		rates[i] = got[j]
	}
	return rates, nil
}
