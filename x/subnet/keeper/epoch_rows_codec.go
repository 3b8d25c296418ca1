package keeper

import (
	"encoding/binary"
	"errors"

	"cosmossdk.io/collections/codec"

	"github.com/assay-network/assay/x/emission/yuma"
	"github.com/assay-network/assay/x/internal/compact"
	"github.com/assay-network/assay/x/subnet/types"
)

// The epoch reads every weight and bond row of a subnet and writes the bond
// rows back. Going through types.WeightsRow and types.BondsRow would decode
// each row into the proto types and then copy it into the Yuma library's
// types (and back again for the new bonds); these two codecs read the same
// stored bytes straight into the library's types, and write new bonds as the
// very bytes bondsCodec writes for the same entries. They back unexported
// views of the Weights and Bonds maps (same prefixes, not in the schema);
// every other reader keeps the proto types.

var errEpochView = errors.New("epoch row views are not for JSON")

// yumaBondsCodec reads and writes a stored bond row as []yuma.Entry.
type yumaBondsCodec struct {
	rows codec.ValueCodec[types.BondsRow]
}

// Encode writes what encodeBonds writes for the same entries (its fixed
// layout: a yuma.Entry UID always fits 16 bits).
func (c yumaBondsCodec) Encode(row []yuma.Entry) ([]byte, error) {
	b := make([]byte, 2, 2+binary.MaxVarintLen64+bondWidth*len(row))
	b[0], b[1] = compact.Mark, bondsFixed
	b = binary.AppendUvarint(b, uint64(len(row)))
	for _, e := range row {
		b = binary.LittleEndian.AppendUint16(b, e.UID)
		b = binary.LittleEndian.AppendUint64(b, uint64(e.Value.Raw()))
	}
	return b, nil
}

// Decode reads the fixed layout directly; any other stored form (proto, the
// varint layout) goes through the stored codec and is converted as the
// epoch always converted it.
func (c yumaBondsCodec) Decode(b []byte) ([]yuma.Entry, error) {
	if len(b) >= 2 && b[0] == compact.Mark && b[1] == bondsFixed {
		n, k := binary.Uvarint(b[2:])
		if k > 0 && n <= uint64(len(b)) && uint64(len(b)-2-k) == n*bondWidth {
			if n == 0 {
				return nil, nil
			}
			out, p := make([]yuma.Entry, n), b[2+k:]
			for i := range out {
				e := p[i*bondWidth : (i+1)*bondWidth]
				out[i] = yuma.Entry{UID: binary.LittleEndian.Uint16(e), Value: yuma.FromRaw(int64(binary.LittleEndian.Uint64(e[2:])))}
			}
			return out, nil
		}
	}
	row, err := c.rows.Decode(b)
	if err != nil || len(row.Entries) == 0 {
		return nil, err
	}
	out := make([]yuma.Entry, len(row.Entries))
	for i, e := range row.Entries {
		out[i] = yuma.Entry{UID: uint16(e.Uid), Value: yuma.FromRaw(e.Value)}
	}
	return out, nil
}

func (c yumaBondsCodec) EncodeJSON([]yuma.Entry) ([]byte, error) { return nil, errEpochView }
func (c yumaBondsCodec) DecodeJSON([]byte) ([]yuma.Entry, error) { return nil, errEpochView }
func (c yumaBondsCodec) Stringify(row []yuma.Entry) string       { return "epoch bonds row" }
func (c yumaBondsCodec) ValueType() string                       { return "yuma.Entry row" }

// yumaWeightsCodec reads a stored weight row as []yuma.Weight (read only:
// the epoch never writes weights).
type yumaWeightsCodec struct {
	rows codec.ValueCodec[types.WeightsRow]
}

func (c yumaWeightsCodec) Encode([]yuma.Weight) ([]byte, error) {
	return nil, errors.New("the epoch weights view is read only")
}

// Decode reads the fixed layout directly when the row has as many weights
// as UIDs (validation stores nothing else); any other stored form goes
// through the stored codec and is converted as the epoch always converted
// it (each value truncated to 16 bits).
func (c yumaWeightsCodec) Decode(b []byte) ([]yuma.Weight, error) {
	if len(b) >= 2 && b[0] == compact.Mark && b[1] == weightsFixed {
		nu, k1 := binary.Uvarint(b[2:])
		if k1 > 0 {
			nw, k2 := binary.Uvarint(b[2+k1:])
			p := b[2+k1+max(k2, 0):]
			if k2 > 0 && nu == nw && nu <= uint64(len(p))/4 {
				block := p[4*nu:]
				if _, k := binary.Varint(block); k > 0 && k == len(block) {
					if nu == 0 {
						return nil, nil
					}
					out, ws := make([]yuma.Weight, nu), p[2*nu:]
					for i := range out {
						out[i] = yuma.Weight{UID: binary.LittleEndian.Uint16(p[2*i:]), Value: binary.LittleEndian.Uint16(ws[2*i:])}
					}
					return out, nil
				}
			}
		}
	}
	row, err := c.rows.Decode(b)
	if err != nil || len(row.Uids) == 0 {
		return nil, err
	}
	out := make([]yuma.Weight, len(row.Uids))
	for j, uid := range row.Uids {
		out[j] = yuma.Weight{UID: uint16(uid), Value: uint16(row.Weights[j])}
	}
	return out, nil
}

func (c yumaWeightsCodec) EncodeJSON([]yuma.Weight) ([]byte, error) { return nil, errEpochView }
func (c yumaWeightsCodec) DecodeJSON([]byte) ([]yuma.Weight, error) { return nil, errEpochView }
func (c yumaWeightsCodec) Stringify(row []yuma.Weight) string       { return "epoch weights row" }
func (c yumaWeightsCodec) ValueType() string                        { return "yuma.Weight row" }
