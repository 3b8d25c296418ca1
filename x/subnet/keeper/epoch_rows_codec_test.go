package keeper

import (
	"testing"

	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/emission/yuma"
	"github.com/assay-network/assay/x/subnet/types"
)

// The epoch's bond view writes the bytes the Bonds map writes for the same
// entries, and reads every stored form (packed, varint, proto) as the proto
// row converted entry by entry.
func TestYumaBondsCodecMatchesBondsCodec(t *testing.T) {
	stored := bondsCodec(codec.CollValue[types.BondsRow](testCdc))
	protoOnly := codec.CollValue[types.BondsRow](testCdc)
	view := yumaBondsCodec{stored}
	rows := []types.BondsRow{
		{Entries: []types.BondEntry{{Uid: 0, Value: 1}, {Uid: 300, Value: 1 << 32}, {Uid: 65535, Value: -5}}},
		{Entries: []types.BondEntry{{Uid: 2, Value: 0}}},
		{Entries: []types.BondEntry{{Uid: 1, Value: 7}, {Uid: 1 << 20, Value: -1 << 40}}}, // varint layout
		{},
	}
	for _, row := range rows {
		var want []yuma.Entry
		for _, e := range row.Entries {
			want = append(want, yuma.Entry{UID: uint16(e.Uid), Value: yuma.FromRaw(e.Value)})
		}
		packed, err := stored.Encode(row)
		require.NoError(t, err)
		viaProto, err := protoOnly.Encode(row)
		require.NoError(t, err)
		for _, bz := range [][]byte{packed, viaProto} {
			got, err := view.Decode(bz)
			require.NoError(t, err)
			require.Equal(t, want, got)
		}
		if len(row.Entries) == 0 || row.Entries[len(row.Entries)-1].Uid > 65535 {
			continue // the epoch never stores an empty row, nor a UID past 16 bits
		}
		bz, err := view.Encode(want)
		require.NoError(t, err)
		require.Equal(t, packed, bz, "the same bytes as the Bonds map")
		for cut := 1; cut < len(bz); cut++ {
			_, err := view.Decode(bz[:cut])
			require.Error(t, err, "truncated at %d", cut)
		}
	}
}

// The epoch's weights view reads every stored form as the proto row
// converted entry by entry (values truncated to 16 bits, as the epoch
// always did).
func TestYumaWeightsCodecMatchesWeightsCodec(t *testing.T) {
	stored := weightsCodec(codec.CollValue[types.WeightsRow](testCdc))
	protoOnly := codec.CollValue[types.WeightsRow](testCdc)
	view := yumaWeightsCodec{stored}
	rows := []types.WeightsRow{
		{Uids: []uint32{0, 3, 65535}, Weights: []uint32{65535, 1, 0}, Block: 99},
		{Uids: []uint32{1, 1 << 20}, Weights: []uint32{7, 1 << 17}, Block: -1}, // varint layout
		{Uids: []uint32{4}, Weights: []uint32{1, 2}, Block: 5},                 // more weights than UIDs
		{Block: 12},
		{},
	}
	for _, row := range rows {
		var want []yuma.Weight
		for j, uid := range row.Uids {
			want = append(want, yuma.Weight{UID: uint16(uid), Value: uint16(row.Weights[j])})
		}
		packed, err := stored.Encode(row)
		require.NoError(t, err)
		viaProto, err := protoOnly.Encode(row)
		require.NoError(t, err)
		for _, bz := range [][]byte{packed, viaProto} {
			got, err := view.Decode(bz)
			require.NoError(t, err)
			require.Equal(t, want, got)
		}
		for cut := 1; cut < len(packed); cut++ {
			_, err := view.Decode(packed[:cut])
			require.Error(t, err, "truncated at %d", cut)
		}
	}
	_, err := view.Encode(nil)
	require.Error(t, err, "the view is read only")
}
