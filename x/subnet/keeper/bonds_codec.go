package keeper

import (
	"cosmossdk.io/collections/codec"

	"github.com/assay-network/assay/x/internal/compact"

	"github.com/assay-network/assay/x/subnet/types"
)

// bondsCodec stores a BondsRow as its entry count followed by (uid, value)
// varint pairs (x/internal/compact), instead of one nested message per entry.
func bondsCodec(proto codec.ValueCodec[types.BondsRow]) codec.ValueCodec[types.BondsRow] {
	return compact.Value[types.BondsRow]{ValueCodec: proto, Write: encodeBonds, Read: decodeBonds,
		SizeHint: func(row types.BondsRow) int { return 8 + 8*len(row.Entries) }}
}

func encodeBonds(w *compact.Writer, row types.BondsRow) {
	w.Uvarint(uint64(len(row.Entries)))
	for _, e := range row.Entries {
		w.Uvarint(uint64(e.Uid))
		w.Varint(e.Value)
	}
}

func decodeBonds(r *compact.Reader) types.BondsRow {
	n := r.Uvarint()
	// each entry takes at least two bytes: a count beyond that is corrupt
	if n > uint64(r.Len()/2) {
		r.Fail()
		return types.BondsRow{}
	}
	var row types.BondsRow
	if n > 0 {
		row.Entries = make([]types.BondEntry, n)
	}
	for i := range row.Entries {
		row.Entries[i] = types.BondEntry{Uid: uint32(r.Uvarint()), Value: r.Varint()}
	}
	return row
}
