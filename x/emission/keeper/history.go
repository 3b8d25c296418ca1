package keeper

import (
	"context"

	"cosmossdk.io/collections"
	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/internal/opened"
)

// This file keeps the epoch's records: the history entry, the cumulative
// rewards book and the events.

// epochSummary is the history entry of an epoch that ran on pool, without
// its per-UID results (the event and the log need only the totals).
func epochSummary(netuid uint16, height int64, pool sdkmath.Int, owner string, fallback bool, s Split) types.EpochRecord {
	return types.EpochRecord{
		Netuid: uint32(netuid), Block: height, Paid: s.Paid, Pool: pool, Owner: owner,
		OwnerCut: s.OwnerCut, MinersTotal: s.MinersTotal, ValidatorsTotal: s.ValidatorsTotal, Carried: s.Carried,
		Fallback: fallback,
	}
}

// recordHistory stores the epoch's record and drops this subnet's epochs
// beyond history_length. The record is written from the epoch's own slices
// (epochEntry), not built as a types.EpochRecord first: that would cost a
// UIDResult and three math.Int per UID only to be encoded at once.
func (k *Keeper) recordHistory(ctx context.Context, params types.Params, netuid uint16, entry epochEntry) error {
	if err := k.epochHistory.Set(ctx, collections.Join(netuid, entry.summary.Block), entry); err != nil {
		return err
	}
	// keys only: decoding every stored record to count them would cost far more
	iter, err := k.History.Iterate(ctx, collections.NewPrefixedPairRange[uint16, int64](netuid))
	if err != nil {
		return err
	}
	keys, err := iter.Keys()
	if err != nil {
		return err
	}
	for i := 0; i+int(params.HistoryLength) < len(keys); i++ {
		if err := k.History.Remove(ctx, keys[i]); err != nil {
			return err
		}
	}
	return nil
}

// bookRewards adds an epoch's payouts to the cumulative (address, netuid)
// totals: one read and one write per address, however many payouts it got
// (summed in uint64 first: payouts checked that all of them together fit).
func (k *Keeper) bookRewards(ctx context.Context, netuid uint16, ps []payout) error {
	type book struct {
		addr                     sdk.AccAddress
		owner, miner, take, pool uint64
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
		b := &books[i]
		switch p.role {
		case types.RoleOwner:
			b.owner += p.amount
		case types.RoleMiner:
			b.miner += p.amount
		case types.RoleValidatorTake:
			b.take += p.amount
		case types.RoleStakePool:
			b.pool += p.amount
		}
	}
	rewards := opened.Open(ctx, k.storeService, k.Rewards)
	for _, b := range books {
		key := collections.Join(b.addr, netuid)
		t, found, err := rewards.Find(key)
		if err != nil {
			return err
		}
		if !found {
			t = types.RewardTotals{OwnerCut: sdkmath.ZeroInt(), Miner: sdkmath.ZeroInt(), ValidatorTake: sdkmath.ZeroInt(), StakePool: sdkmath.ZeroInt()}
		}
		t.OwnerCut, t.Miner = addUint(t.OwnerCut, b.owner), addUint(t.Miner, b.miner)
		t.ValidatorTake, t.StakePool = addUint(t.ValidatorTake, b.take), addUint(t.StakePool, b.pool)
		if err := rewards.Set(key, t); err != nil {
			return err
		}
	}
	return nil
}

// addUint is total + v, leaving total as it is when v is 0 (as when no
// payout of that role was added).
func addUint(total sdkmath.Int, v uint64) sdkmath.Int {
	if v == 0 {
		return total
	}
	return total.Add(sdkmath.NewIntFromUint64(v))
}
