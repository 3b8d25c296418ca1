package keeper

import (
	"errors"

	"github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/internal/compact"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// epochEntry is an epoch's history record as the epoch holds it: the
// summary and the slices the per-UID results are read from. epochEntryCodec
// writes it as the bytes the History map's codec writes for the full
// types.EpochRecord (TestEpochEntryEncodesAsTheRecord holds the two equal);
// the History map reads it back.
type epochEntry struct {
	summary types.EpochRecord // Results unset
	in      subnettypes.EpochInputs
	res     subnettypes.EpochResults
	split   Split
}

var errWriteOnly = errors.New("epoch history view: write only")

// epochEntryCodec backs the epoch's write-only view of the History map
// (same prefix, not in the schema).
type epochEntryCodec struct{}

func (epochEntryCodec) Encode(e epochEntry) ([]byte, error) {
	n := len(e.in.Hotkeys)
	w := compact.Append(make([]byte, 1, 128+128*n)) // [0] is compact.Mark
	writeEpochHeader(&w, e.summary)
	w.Uvarint(uint64(n))
	for i := 0; i < n; i++ {
		w.Uvarint(uint64(i))
		w.Text(e.in.Hotkeys[i])
		w.Text(e.in.Coldkeys[i])
		w.MathInt(e.in.Stake[i])
		w.Bool(e.res.Permits[i])
		subnettypes.WriteFixedDec(&w, e.res.Consensus[i])
		subnettypes.WriteFixedDec(&w, e.res.ValidatorTrust[i])
		subnettypes.WriteFixedDec(&w, e.res.Incentive[i])
		subnettypes.WriteFixedDec(&w, e.res.Dividends[i])
		w.Uint64(e.split.Miner[i])
		w.Uint64(e.split.Take[i])
		w.Uint64(e.split.Staked[i])
	}
	return w.Bytes(), nil
}

func (epochEntryCodec) Decode([]byte) (epochEntry, error)     { return epochEntry{}, errWriteOnly }
func (epochEntryCodec) EncodeJSON(epochEntry) ([]byte, error) { return nil, errWriteOnly }
func (epochEntryCodec) DecodeJSON([]byte) (epochEntry, error) { return epochEntry{}, errWriteOnly }
func (epochEntryCodec) Stringify(epochEntry) string           { return "epoch entry" }
func (epochEntryCodec) ValueType() string                     { return "epoch entry" }
