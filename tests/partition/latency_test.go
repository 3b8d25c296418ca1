package partition

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/assay-network/assay/internal/portlock"
	"github.com/assay-network/assay/internal/testtime"
)

const latency = 200 * time.Millisecond // one way, between any two nodes

// netemMissing says why tc netem cannot delay the lab's links ("" if it
// can), trying it on a throwaway namespace.
func netemMissing(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("tc"); err != nil {
		return "tc(8) not on PATH"
	}
	probe := fmt.Sprintf("assayprobe-netem-%d", time.Now().UnixNano())
	if out, err := runIP("netns", "add", probe); err != nil {
		return "ip netns add: " + strings.TrimSpace(out)
	}
	defer runIP("netns", "del", probe)
	_, _ = runIP("-n", probe, "link", "set", "lo", "up")
	out, err := exec.Command("tc", "-n", probe, "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms").CombinedOutput()
	if err != nil {
		return fmt.Sprintf("tc qdisc add … netem: %v: %s (kernel built without CONFIG_NET_SCH_NETEM?)", err, strings.TrimSpace(string(out)))
	}
	return ""
}

// With 200 ms one way between every pair of validators (tc netem on each
// node's link, or the relay where the kernel has no netem) the chain keeps
// committing, slower, and without a fork.
func TestLatency200msKeepsCommitting(t *testing.T) {
	requireNamespaces(t)
	bin := assaydBinary(t)
	portlock.Lock(t, portlock.Wait)
	l := newLab(t, nodes)
	began := time.Now()

	why := netemMissing(t)
	var r *relay
	var peersAt func(int) string
	if why != "" {
		t.Logf("tc netem unavailable (%s): every peer connection goes through a %s-each-way TCP relay in the lab instead", why, latency)
		r = startRelay(t, l)
		peersAt = func(int) string { return relayIP }
		// No direct path: the relay is the only way between nodes.
		for i := 0; i < nodes; i++ {
			for j := 0; j < nodes; j++ {
				if i != j {
					ipCmd(t, "-n", l.ns(i), "route", "add", "blackhole", nodeIP(j)+"/32")
				}
			}
		}
	}
	c := newCluster(t, l, bin, peersAt)
	c.waitHeight(t, all, 3, testtime.Scale(90*time.Second))

	const window = 10
	from := maxOf(c.heights(t, all))
	c.waitHeight(t, all[:1], from+window, testtime.Scale(60*time.Second))
	base := c.blockTime(t, 0, from, from+window)

	how := "tc netem"
	if r != nil {
		how = "relay"
		r.setDelay(latency)
	} else {
		for i := 0; i < nodes; i++ {
			if out, err := exec.Command("tc", "-n", l.ns(i), "qdisc", "add", "dev", "eth0", "root", "netem", "delay", latency.String()).CombinedOutput(); err != nil {
				t.Fatalf("tc netem on node%d: %v: %s", i, err, out)
			}
		}
	}
	// Skip the block in flight when the delay came in.
	slowFrom := maxOf(c.heights(t, all)) + 2
	c.waitHeight(t, all[:1], slowFrom, testtime.Scale(60*time.Second))
	c.waitHeight(t, all, slowFrom+window, testtime.Scale(120*time.Second))
	slow := c.blockTime(t, 0, slowFrom, slowFrom+window)
	checked := c.sameChain(t, all)
	t.Logf("block time without added latency: %.2f s/block (heights %d..%d)", base, from, from+window)
	t.Logf("block time with %s one way between validators (%s): %.2f s/block (heights %d..%d); intervals %v",
		latency, how, slow, slowFrom, slowFrom+window, c.intervals(t, 0, slowFrom, slowFrom+window))
	t.Logf("heights 1..%d identical on all nodes; test time %s", checked, time.Since(began).Round(time.Second))
	// A round is at least three one-way trips (proposal, prevotes,
	// precommits): a delay that did not slow blocks was not applied.
	if slow < base+0.3 {
		t.Errorf("%.2f s/block with %s latency vs %.2f s/block without: the delay was not applied", slow, latency, base)
	}
	if slow > 8 {
		t.Errorf("with %s latency blocks take %.1f s; expected a few seconds", latency, slow)
	}
}
