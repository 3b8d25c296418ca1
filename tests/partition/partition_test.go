package partition

import (
	"testing"
	"time"

	"github.com/assay-network/assay/internal/portlock"

	"github.com/assay-network/assay/internal/testtime"
)

const (
	nodes = 4
	// split is how long a partition lasts. Short enough that open TCP
	// connections survive it (CometBFT pings every 60 s), long enough for
	// several 3 s propose timeouts.
	split = 15 * time.Second
)

var all = []int{0, 1, 2, 3}

// upCluster is the common start: namespaces, four nodes, a few blocks.
func upCluster(t *testing.T) *cluster {
	t.Helper()
	requireNamespaces(t)
	bin := assaydBinary(t)
	portlock.Lock(t, portlock.Wait)
	l := newLab(t, nodes)
	began := time.Now()
	c := newCluster(t, l, bin, nil)
	c.waitHeight(t, all, 3, testtime.Scale(90*time.Second))
	t.Logf("4 nodes in 4 namespaces at height 3 %s after start", time.Since(began).Round(100*time.Millisecond))
	return c
}

func maxOf(hs []int64) int64 {
	m := hs[0]
	for _, h := range hs[1:] {
		m = max(m, h)
	}
	return m
}

// 2|2: neither side has more than 2/3 of the voting power, so no block is
// committed and the two halves cannot fork; once healed, blocks resume.
func TestPartitionTwoTwoHaltsWithoutForkAndHeals(t *testing.T) {
	c := upCluster(t)
	began := time.Now()
	a, b := []int{0, 1}, []int{2, 3}
	c.lab.cut(t, a, b)
	atCut := maxOf(c.heights(t, all))
	// A height whose precommits were already on the wire may still land;
	// after that nothing moves.
	time.Sleep(split / 3)
	settled := c.heights(t, all)
	time.Sleep(split - split/3)
	after := c.heights(t, all)
	for k, i := range all {
		if after[k] != settled[k] {
			t.Fatalf("node%d went from height %d to %d during a 2|2 partition", i, settled[k], after[k])
		}
		if after[k] > atCut+1 {
			t.Fatalf("node%d at height %d, more than one past %d when the partition began", i, after[k], atCut)
		}
	}
	top := c.sameChain(t, all)
	frozen := maxOf(after)

	c.lab.heal(t, a, b)
	healed := time.Now()
	resumed := c.waitHeight(t, all[:1], frozen+1, testtime.Scale(90*time.Second))
	c.waitHeight(t, all, frozen+6, testtime.Scale(60*time.Second))
	after6 := time.Since(healed)
	// Block frozen+1 was proposed before the cut; its successor's header
	// time is its commit, after the heal. From there on blocks are new.
	bt := c.blockTime(t, 0, frozen+2, frozen+6)
	checked := c.sameChain(t, all)
	t.Logf("2|2 partition: heights frozen at %v for %s (cut at %d); heights 1..%d identical on all nodes", after, split, atCut, top)
	t.Logf("healed: first new block after %s, all nodes 5 blocks on after %s, then %.2f s/block (heights %d..%d); heights 1..%d identical",
		resumed.Round(100*time.Millisecond), after6.Round(100*time.Millisecond), bt, frozen+2, frozen+6, checked)
	t.Logf("block intervals (s) from height %d to %d: %v", frozen-1, frozen+6, c.intervals(t, 0, frozen-1, frozen+6))
	t.Logf("test time %s", time.Since(began).Round(time.Second))
}

// 3|1: the three hold 75 % > 2/3 of the power and keep committing; the one
// cut off falls behind, then catches up after the heal with the same blocks.
func TestPartitionThreeOneKeepsCommittingAndCatchesUp(t *testing.T) {
	c := upCluster(t)
	began := time.Now()
	three, one := []int{0, 1, 2}, []int{3}
	const window = 10
	c.lab.cut(t, three, one)
	start := maxOf(c.heights(t, three))
	c.waitHeight(t, three, start+window, testtime.Scale(90*time.Second))
	bt := c.blockTime(t, 0, start, start+window)
	lone, err := c.height(3)
	if err != nil {
		t.Fatalf("node3 status: %v", err)
	}
	if lone > start+1 {
		t.Fatalf("node3, cut off alone, reached height %d (the three were at %d when cut)", lone, start)
	}

	target := maxOf(c.heights(t, three))
	c.lab.heal(t, three, one)
	caught := c.waitHeight(t, one, target, testtime.Scale(120*time.Second))
	c.waitHeight(t, one, target+2, testtime.Scale(30*time.Second)) // and keeps following
	checked := c.sameChain(t, all)
	t.Logf("3|1 partition: the three made %d blocks at %.2f s/block; node3 stayed at %d", window, bt, lone)
	t.Logf("healed: node3 caught up %d blocks (%d -> %d) in %s; heights 1..%d identical on all nodes",
		target-lone, lone, target, caught.Round(100*time.Millisecond), checked)
	t.Logf("test time %s", time.Since(began).Round(time.Second))
	if bt > 8 {
		t.Errorf("the three commit a block every %.1f s; expected a few seconds at most", bt)
	}
}
