package keeper

import (
	"context"
	"math"

	"cosmossdk.io/collections"
	"cosmossdk.io/collections/codec"
	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/internal/compact"
	"github.com/assay-network/assay/x/internal/opened"
)

// bookRewards adds an epoch's payouts to the cumulative (address, netuid)
// totals: one read and one write per address, however many payouts it got
// (summed in uint64 first: payouts checked that all of them together fit).
func (k *Keeper) bookRewards(ctx context.Context, netuid uint16, ps []payout) error {
	type book struct {
		addr sdk.AccAddress
		sums [4]uint64 // owner cut, miner, validator take, stake pool
	}
	var books []book
	index := make(map[string]int) // lookups only, never ranged
	for _, p := range ps {
		i, ok := index[p.address]
		if !ok {
			i = len(books)
			index[p.address] = i
			books = append(books, book{addr: p.addr})
		}
		switch p.role {
		case types.RoleOwner:
			books[i].sums[0] += p.amount
		case types.RoleMiner:
			books[i].sums[1] += p.amount
		case types.RoleValidatorTake:
			books[i].sums[2] += p.amount
		case types.RoleStakePool:
			books[i].sums[3] += p.amount
		}
	}
	rewards := opened.Open(ctx, k.storeService, k.rewardsBook)
	for _, b := range books {
		key := collections.Join(b.addr, netuid)
		t, _, err := rewards.Find(key) // none: the zero totals
		if err != nil {
			return err
		}
		if err := rewards.Set(key, t.add(b.sums)); err != nil {
			return err
		}
	}
	return nil
}

// rewardBook is an address's RewardTotals as the epoch adds to them: the
// four totals as int64 when the stored value holds them in compact varint
// form (every total below 2^63 uassay; the zero value is four zeros), else
// the decoded RewardTotals. Either way it is written back as the Rewards
// map writes the same totals, without a math.Int per total.
type rewardBook struct {
	small [4]int64 // owner cut, miner, validator take, stake pool
	big   *types.RewardTotals
}

// add returns the book with sums added; a total that would pass int64
// moves the book to math.Int.
func (b rewardBook) add(sums [4]uint64) rewardBook {
	if b.big == nil {
		next := b.small
		fits := true
		for j, v := range sums {
			if v > math.MaxInt64 || uint64(next[j]) > math.MaxInt64-v || next[j] < 0 {
				fits = false
				break
			}
			next[j] += int64(v)
		}
		if fits {
			return rewardBook{small: next}
		}
		t := types.RewardTotals{OwnerCut: sdkmath.NewInt(b.small[0]), Miner: sdkmath.NewInt(b.small[1]),
			ValidatorTake: sdkmath.NewInt(b.small[2]), StakePool: sdkmath.NewInt(b.small[3])}
		b.big = &t
	}
	t := *b.big
	t.OwnerCut, t.Miner = addUint(t.OwnerCut, sums[0]), addUint(t.Miner, sums[1])
	t.ValidatorTake, t.StakePool = addUint(t.ValidatorTake, sums[2]), addUint(t.StakePool, sums[3])
	return rewardBook{big: &t}
}

// addUint is total + v, leaving total as it is when v is 0 (as when no
// payout of that role was added).
func addUint(total sdkmath.Int, v uint64) sdkmath.Int {
	if v == 0 {
		return total
	}
	return total.Add(sdkmath.NewIntFromUint64(v))
}

// rewardBookCodec backs the epoch's view of the Rewards map (same prefix,
// not in the schema); totals is the map's own codec, which reads every
// other form and writes the math.Int form.
type rewardBookCodec struct {
	totals codec.ValueCodec[types.RewardTotals]
}

func (c rewardBookCodec) Encode(b rewardBook) ([]byte, error) {
	if b.big != nil {
		return c.totals.Encode(*b.big)
	}
	w := compact.Append(make([]byte, 1, 48)) // [0] is compact.Mark
	for _, v := range b.small {
		w.Int64(v)
	}
	return w.Bytes(), nil
}

func (c rewardBookCodec) Decode(bz []byte) (rewardBook, error) {
	if r, ok := compact.Open(bz); ok {
		var b rewardBook
		small := true
		for j := range b.small {
			if b.small[j], small = r.SmallInt(); !small {
				break
			}
		}
		if small && r.Done() == nil {
			return b, nil
		}
	}
	t, err := c.totals.Decode(bz)
	if err != nil {
		return rewardBook{}, err
	}
	return rewardBook{big: &t}, nil
}

func (c rewardBookCodec) EncodeJSON(rewardBook) ([]byte, error) { return nil, errWriteOnly }
func (c rewardBookCodec) DecodeJSON([]byte) (rewardBook, error) { return rewardBook{}, errWriteOnly }
func (c rewardBookCodec) Stringify(rewardBook) string           { return "reward book" }
func (c rewardBookCodec) ValueType() string                     { return "reward book" }
