package keeper

import (
	"encoding/binary"
	"math"

	"cosmossdk.io/collections/codec"

	"github.com/assay-network/assay/x/internal/compact"
	"github.com/assay-network/assay/x/subnet/types"
)

// weightsCodec stores a WeightsRow as two counts, the UIDs and weights
// packed 2 bytes each (little endian), and the block (x/internal/compact).
// Every epoch decodes every weight row of the subnet; fixed width decodes
// with no varint loop. A row with a value beyond 16 bits, which validation
// never stores, falls back to varints.
func weightsCodec(proto codec.ValueCodec[types.WeightsRow]) codec.ValueCodec[types.WeightsRow] {
	return compact.Value[types.WeightsRow]{ValueCodec: proto, Write: encodeWeights, Read: decodeWeights,
		SizeHint: func(row types.WeightsRow) int { return 16 + 2*(len(row.Uids)+len(row.Weights)) }}
}

const (
	weightsFixed   = 0 // values as uint16, little endian
	weightsVarints = 1 // values as uvarints
)

func fitsUint16(vs []uint32) bool {
	for _, v := range vs {
		if v > math.MaxUint16 {
			return false
		}
	}
	return true
}

func encodeWeights(w *compact.Writer, row types.WeightsRow) {
	layout := byte(weightsFixed)
	if !fitsUint16(row.Uids) || !fitsUint16(row.Weights) {
		layout = weightsVarints
	}
	w.Raw(layout)
	w.Uvarint(uint64(len(row.Uids)))
	w.Uvarint(uint64(len(row.Weights)))
	for _, vs := range [][]uint32{row.Uids, row.Weights} {
		if layout == weightsVarints {
			for _, v := range vs {
				w.Uvarint(uint64(v))
			}
			continue
		}
		b := w.Extend(2 * len(vs))
		for i, v := range vs {
			binary.LittleEndian.PutUint16(b[2*i:], uint16(v))
		}
	}
	w.Varint(row.Block)
}

func decodeWeights(r *compact.Reader) types.WeightsRow {
	layout := r.Byte()
	nu, nw := r.Uvarint(), r.Uvarint()
	// each value takes at least one byte: counts beyond that are corrupt
	if layout > weightsVarints || nu > uint64(r.Len()) || nw > uint64(r.Len()) || nu+nw > uint64(r.Len()) {
		r.Fail()
		return types.WeightsRow{}
	}
	var row types.WeightsRow
	backing := make([]uint32, nu+nw) // one allocation for both; none decodes as nil, as proto has it
	if nu > 0 {
		row.Uids = backing[:nu:nu]
	}
	if nw > 0 {
		row.Weights = backing[nu:]
	}
	for _, vs := range [][]uint32{row.Uids, row.Weights} {
		if layout == weightsVarints {
			for i := range vs {
				vs[i] = uint32(r.Uvarint())
			}
			continue
		}
		b := r.Take(2 * len(vs))
		if len(b) < 2*len(vs) {
			return types.WeightsRow{}
		}
		for i := range vs {
			vs[i] = uint32(binary.LittleEndian.Uint16(b[2*i:]))
		}
	}
	row.Block = r.Varint()
	return row
}
