package historylength

import (
	"testing"

	emissiontypes "github.com/assay-network/assay/x/emission/types"
)

func TestMigrateRaisesOnlyAShortHistory(t *testing.T) {
	def := emissiontypes.DefaultParams()
	for _, tc := range []struct{ from, want uint32 }{
		{1, MinHistoryLength}, {def.HistoryLength, MinHistoryLength}, {MinHistoryLength, MinHistoryLength}, {500, 500},
	} {
		p := def
		p.HistoryLength = tc.from
		got := Migrate(p)
		if got.HistoryLength != tc.want {
			t.Errorf("history_length %d: migrated to %d, want %d", tc.from, got.HistoryLength, tc.want)
		}
		got.HistoryLength = p.HistoryLength
		if !got.OwnerCut.Equal(p.OwnerCut) || !got.MinerShare.Equal(p.MinerShare) ||
			got.SplitRule != p.SplitRule || got.MaxEpochsPerBlock != p.MaxEpochsPerBlock {
			t.Errorf("history_length %d: other params changed: %v -> %v", tc.from, p, got)
		}
		if err := Migrate(p).Validate(); err != nil {
			t.Errorf("history_length %d: migrated params invalid: %v", tc.from, err)
		}
	}
}
