package keeper

import (
	"context"
	"slices"
	"strings"

	"cosmossdk.io/collections"

	"github.com/assay-network/assay/x/emission/yuma"
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

// bondResetUIDs returns every recorded bond reset of netuid, in UID order.
func (k *Keeper) bondResetUIDs(ctx context.Context, netuid uint16) ([]uint16, error) {
	var uids []uint16
	err := k.BondResets.Walk(ctx, collections.NewPrefixedPairRange[uint16, uint16](netuid),
		func(key collections.Pair[uint16, uint16]) (bool, error) {
			uids = append(uids, key.K2())
			return false, nil
		})
	return uids, err
}

// below returns the UIDs (sorted) under n.
func below(uids []uint16, n int) []uint16 {
	i := 0
	for i < len(uids) && int(uids[i]) < n {
		i++
	}
	return uids[:i]
}

// clearBondResets removes netuid's bond-reset records (uids, as
// bondResetUIDs read them) once an epoch has applied them. Removing the
// records read, rather than clearing the prefix, costs nothing when there
// are none.
func (k *Keeper) clearBondResets(ctx context.Context, netuid uint16, uids []uint16) error {
	for _, uid := range uids {
		if err := k.BondResets.Remove(ctx, joinUID(netuid, uid)); err != nil {
			return err
		}
	}
	return nil
}

// withoutBondsOn returns rows without the entries on the UIDs in reset
// (sorted). Changed rows are copies: rows are also the stored state the
// epoch compares its results with.
func withoutBondsOn(rows [][]yuma.Entry, reset []uint16) [][]yuma.Entry {
	if len(reset) == 0 {
		return rows
	}
	out := make([][]yuma.Entry, len(rows))
	for i, row := range rows {
		out[i] = row
		if !slices.ContainsFunc(row, func(e yuma.Entry) bool { return isReset(reset, e.UID) }) {
			continue
		}
		out[i] = slices.DeleteFunc(slices.Clone(row), func(e yuma.Entry) bool { return isReset(reset, e.UID) })
	}
	return out
}

func isReset(reset []uint16, uid uint16) bool {
	_, found := slices.BinarySearch(reset, uid)
	return found
}
