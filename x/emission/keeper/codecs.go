package keeper

import (
	"cosmossdk.io/collections/codec"

	"github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/internal/compact"
)

// The epoch record holds every UID's result and the rewards book is
// rewritten for every paid address each epoch; both are stored compactly
// (x/internal/compact) instead of as proto with decimal-text numbers.

// Field counts the codecs below write; TestCodecsCoverEveryField fails when
// a message gains a field they do not know.
const (
	epochRecordFields  = 11
	uidResultFields    = 12
	rewardTotalsFields = 4
)

func epochRecordCodec(proto codec.ValueCodec[types.EpochRecord]) codec.ValueCodec[types.EpochRecord] {
	return compact.Value[types.EpochRecord]{ValueCodec: proto, Write: writeEpochRecord, Read: readEpochRecord,
		SizeHint: func(rec types.EpochRecord) int { return 128 + 128*len(rec.Results) }}
}

func writeEpochRecord(w *compact.Writer, rec types.EpochRecord) {
	writeEpochHeader(w, rec)
	w.Uvarint(uint64(len(rec.Results)))
	for _, u := range rec.Results {
		w.Uvarint(uint64(u.Uid))
		w.Text(u.Hotkey)
		w.Text(u.Coldkey)
		w.MathInt(u.Stake)
		w.Bool(u.ValidatorPermit)
		w.Dec(u.Consensus)
		w.Dec(u.ValidatorTrust)
		w.Dec(u.Incentive)
		w.Dec(u.Dividends)
		w.MathInt(u.MinerReward)
		w.MathInt(u.ValidatorTake)
		w.MathInt(u.ValidatorStaked)
	}
}

// writeEpochHeader writes the record's fields before its results.
func writeEpochHeader(w *compact.Writer, rec types.EpochRecord) {
	w.Uvarint(uint64(rec.Netuid))
	w.Varint(rec.Block)
	w.Bool(rec.Paid)
	w.MathInt(rec.Pool)
	w.Text(rec.Owner)
	w.MathInt(rec.OwnerCut)
	w.MathInt(rec.MinersTotal)
	w.MathInt(rec.ValidatorsTotal)
	w.MathInt(rec.Carried)
	w.Bool(rec.Fallback)
}

func readEpochRecord(r *compact.Reader) types.EpochRecord {
	rec := types.EpochRecord{
		Netuid: uint32(r.Uvarint()), Block: r.Varint(), Paid: r.Bool(), Pool: r.MathInt(), Owner: r.Text(),
		OwnerCut: r.MathInt(), MinersTotal: r.MathInt(), ValidatorsTotal: r.MathInt(), Carried: r.MathInt(),
		Fallback: r.Bool(),
	}
	n := r.Uvarint()
	// a result takes at least 15 bytes: a count beyond that is corrupt
	if n > uint64(r.Len()/15) {
		r.Fail()
		return rec
	}
	if n > 0 { // none decodes as nil, as proto has it
		rec.Results = make([]types.UIDResult, n)
	}
	for i := range rec.Results {
		rec.Results[i] = types.UIDResult{
			Uid: uint32(r.Uvarint()), Hotkey: r.Text(), Coldkey: r.Text(), Stake: r.MathInt(),
			ValidatorPermit: r.Bool(), Consensus: r.Dec(), ValidatorTrust: r.Dec(), Incentive: r.Dec(), Dividends: r.Dec(),
			MinerReward: r.MathInt(), ValidatorTake: r.MathInt(), ValidatorStaked: r.MathInt(),
		}
	}
	return rec
}

func rewardTotalsCodec(proto codec.ValueCodec[types.RewardTotals]) codec.ValueCodec[types.RewardTotals] {
	return compact.Value[types.RewardTotals]{
		ValueCodec: proto,
		Write: func(w *compact.Writer, t types.RewardTotals) {
			w.MathInt(t.OwnerCut)
			w.MathInt(t.Miner)
			w.MathInt(t.ValidatorTake)
			w.MathInt(t.StakePool)
		},
		Read: func(r *compact.Reader) types.RewardTotals {
			return types.RewardTotals{OwnerCut: r.MathInt(), Miner: r.MathInt(), ValidatorTake: r.MathInt(), StakePool: r.MathInt()}
		},
		SizeHint: func(types.RewardTotals) int { return 48 },
	}
}
