package keeper

import (
	"context"
	"math"
	"slices"
	"strings"

	"cosmossdk.io/collections"

	"github.com/assay-network/assay/x/subnet/types"
)

// noteModelChange records n's UID for a bonds reset when it serves a model
// hash other than the one its axon published last (none yet counts as ""),
// so validators' bonds earned by the old model are not inherited by the new
// one (DESIGN §12, hyperparameter bonds_reset). The record is applied and
// cleared by the subnet's next epoch.
func (k *Keeper) noteModelChange(ctx context.Context, s types.Subnet, n types.Neuron, modelHash string) error {
	if !s.Hyperparams.BondsReset {
		return nil
	}
	prev := ""
	if n.Axon != nil {
		prev = n.Axon.ModelHash
	}
	if strings.EqualFold(prev, modelHash) {
		return nil
	}
	return k.BondResets.Set(ctx, joinUID(uint16(n.Netuid), uint16(n.Uid)))
}

// bondResetUIDs returns netuid's recorded bond resets below n, in UID order.
func (k *Keeper) bondResetUIDs(ctx context.Context, netuid uint16, n int) ([]uint16, error) {
	var uids []uint16
	err := k.BondResets.Walk(ctx, collections.NewPrefixedPairRange[uint16, uint16](netuid),
		func(key collections.Pair[uint16, uint16]) (bool, error) {
			if int(key.K2()) < n {
				uids = append(uids, key.K2())
			}
			return false, nil
		})
	return uids, err
}

// clearBondResets removes netuid's bond-reset records once an epoch has
// applied them.
func (k *Keeper) clearBondResets(ctx context.Context, netuid uint16) error {
	return k.BondResets.Clear(ctx, collections.NewPrefixedPairRange[uint16, uint16](netuid))
}

// withoutBondsOn returns rows without the entries on the UIDs in reset
// (sorted). Changed rows are copies: rows are also the stored state the
// epoch compares its results with.
func withoutBondsOn(rows []types.BondsRow, reset []uint16) []types.BondsRow {
	if len(reset) == 0 {
		return rows
	}
	out := make([]types.BondsRow, len(rows))
	for i, row := range rows {
		out[i] = row
		if !slices.ContainsFunc(row.Entries, func(e types.BondEntry) bool { return isReset(reset, e.Uid) }) {
			continue
		}
		out[i].Entries = slices.DeleteFunc(slices.Clone(row.Entries), func(e types.BondEntry) bool { return isReset(reset, e.Uid) })
	}
	return out
}

func isReset(reset []uint16, uid uint32) bool {
	if uid > math.MaxUint16 {
		return false
	}
	_, found := slices.BinarySearch(reset, uint16(uid))
	return found
}
