package keeper

import (
	"encoding/binary"
	"math"

	"cosmossdk.io/collections/codec"

	"github.com/assay-network/assay/x/internal/compact"
	"github.com/assay-network/assay/x/subnet/types"
)

// bondsCodec stores a BondsRow as its entry count and the entries packed
// (x/internal/compact) instead of one nested message per entry. An epoch
// decodes and re-encodes every bond of the subnet, so the packing is fixed
// width (uid as 2 bytes, value as 8, little endian), which decodes with no
// varint loop; a row with a UID beyond 16 bits, which no subnet can have,
// falls back to varint pairs.
func bondsCodec(proto codec.ValueCodec[types.BondsRow]) codec.ValueCodec[types.BondsRow] {
	return compact.Value[types.BondsRow]{ValueCodec: proto, Write: encodeBonds, Read: decodeBonds,
		SizeHint: func(row types.BondsRow) int { return 8 + bondWidth*len(row.Entries) }}
}

const (
	bondsFixed   = 0 // entries as (uint16 uid, int64 value), little endian
	bondsVarints = 1 // entries as (uvarint uid, varint value)
	bondWidth    = 2 + 8
)

func encodeBonds(w *compact.Writer, row types.BondsRow) {
	layout := byte(bondsFixed)
	for _, e := range row.Entries {
		if e.Uid > math.MaxUint16 {
			layout = bondsVarints
			break
		}
	}
	w.Raw(layout)
	w.Uvarint(uint64(len(row.Entries)))
	if layout == bondsVarints {
		for _, e := range row.Entries {
			w.Uvarint(uint64(e.Uid))
			w.Varint(e.Value)
		}
		return
	}
	b := w.Extend(bondWidth * len(row.Entries))
	for i, e := range row.Entries {
		binary.LittleEndian.PutUint16(b[i*bondWidth:], uint16(e.Uid))
		binary.LittleEndian.PutUint64(b[i*bondWidth+2:], uint64(e.Value))
	}
}

func decodeBonds(r *compact.Reader) types.BondsRow {
	layout := r.Byte()
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
	switch layout {
	case bondsFixed:
		b := r.Take(int(n) * bondWidth)
		if b == nil && n > 0 {
			return types.BondsRow{}
		}
		for i := range row.Entries {
			e := b[i*bondWidth : (i+1)*bondWidth]
			row.Entries[i] = types.BondEntry{Uid: uint32(binary.LittleEndian.Uint16(e)), Value: int64(binary.LittleEndian.Uint64(e[2:]))}
		}
	case bondsVarints:
		for i := range row.Entries {
			row.Entries[i] = types.BondEntry{Uid: uint32(r.Uvarint()), Value: r.Varint()}
		}
	default:
		r.Fail()
		return types.BondsRow{}
	}
	return row
}
