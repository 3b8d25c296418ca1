package epoch_test

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/assay-network/assay/x/subnet/epoch"
)

func TestIsStartFollowsTheDesignSchedule(t *testing.T) {
	for _, tc := range []struct {
		height int64
		netuid uint16
		tempo  uint64
		want   bool
	}{
		{99, 1, 99, true}, {100, 1, 99, false}, {199, 1, 99, true}, {98, 2, 99, true},
		{10, 1, 10, true}, {21, 1, 10, true}, {0, 0, 5, true}, {-1, 1, 5, false},
	} {
		if got := epoch.IsStart(tc.height, tc.netuid, tc.tempo); got != tc.want {
			t.Errorf("IsStart(%d, %d, %d) = %v, want %v", tc.height, tc.netuid, tc.tempo, got, tc.want)
		}
	}
}

func TestRevealWindowVectors(t *testing.T) {
	// netuid 1, tempo 9: epochs start at blocks where (h+1) % 10 == 0: 9, 19, 29...
	for _, tc := range []struct {
		committed        int64
		period           uint64
		wantFrom, wantTo int64
	}{
		{5, 1, 9, 18}, {9, 1, 19, 28}, {18, 2, 29, 38}, {8, 0, -1, 8},
	} {
		from, until := epoch.RevealWindow(tc.committed, 1, 9, tc.period)
		if from != tc.wantFrom || until != tc.wantTo {
			t.Errorf("RevealWindow(%d, 1, 9, %d) = [%d, %d], want [%d, %d]", tc.committed, tc.period, from, until, tc.wantFrom, tc.wantTo)
		}
	}
}

// The laws every caller relies on, over random subnets and heights.
func TestEpochLaws(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		netuid := rapid.Uint16().Draw(t, "netuid")
		tempo := rapid.Uint64Range(0, 100_000).Draw(t, "tempo")
		h := rapid.Int64Range(0, 1<<40).Draw(t, "height")
		l := epoch.Length(tempo)

		e := epoch.Index(h, netuid, tempo)
		start := epoch.Start(e, netuid, tempo)
		// A block lies in its own epoch, which starts at an epoch block and
		// ends just before the next one.
		if start > h || h >= start+l {
			t.Fatalf("block %d outside its epoch %d = [%d, %d)", h, e, start, start+l)
		}
		if start >= 0 && !epoch.IsStart(start, netuid, tempo) {
			t.Fatalf("epoch %d starts at %d, which is not an epoch block", e, start)
		}
		if epoch.IsStart(h, netuid, tempo) != (h == start) {
			t.Fatalf("IsStart(%d) disagrees with Index/Start (start %d)", h, start)
		}
		// Next is the first epoch block strictly after h, one epoch on.
		next := epoch.Next(h, netuid, tempo)
		if next != start+l || !epoch.IsStart(next, netuid, tempo) || epoch.Index(next, netuid, tempo) != e+1 {
			t.Fatalf("Next(%d) = %d, want %d (epoch %d)", h, next, start+l, e+1)
		}
		// The reveal window is exactly epoch e+period, whatever block of
		// epoch e the commit landed in.
		period := rapid.Uint64Range(0, 8).Draw(t, "reveal_period")
		from, until := epoch.RevealWindow(h, netuid, tempo, period)
		if until-from+1 != l || epoch.Index(from, netuid, tempo) != e+int64(period) || epoch.Index(until, netuid, tempo) != e+int64(period) {
			t.Fatalf("RevealWindow(%d, period %d) = [%d, %d] is not epoch %d", h, period, from, until, e+int64(period))
		}
		other := start + rapid.Int64Range(0, l-1).Draw(t, "other")
		if f2, u2 := epoch.RevealWindow(other, netuid, tempo, period); f2 != from || u2 != until {
			t.Fatalf("commits at %d and %d in one epoch got windows [%d,%d] and [%d,%d]", h, other, from, until, f2, u2)
		}
	})
}
