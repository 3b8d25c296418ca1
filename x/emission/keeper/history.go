package keeper

import (
	"context"

	"cosmossdk.io/collections"
	sdkmath "cosmossdk.io/math"

	"github.com/assay-network/assay/x/emission/types"
)

// This file keeps the epoch's history record and trims the history; the
// rewards book is rewards_book.go and the events events.go.

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
