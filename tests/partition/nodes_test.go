package partition

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/assay-network/assay/internal/buildcheck"
)

// cluster is the four validators of `assayd testnet init --nodes 4` (the
// homes scripts/testnet.sh uses), each run in its own lab namespace and
// reached on the lab bridge instead of 127.0.0.1.
type cluster struct {
	lab   *lab
	home  string
	bin   string
	procs []*exec.Cmd
}

const (
	p2pBase = 26656 // node i: base + 10·i, as assayd testnet init writes them
	rpcBase = 26657
)

func (c *cluster) nodeHome(i int) string { return filepath.Join(c.home, fmt.Sprintf("node%d", i)) }

// newCluster writes the homes with assayd testnet init, moves each node's
// p2p listener and peers onto the lab bridge, and starts the nodes inside
// their namespaces. The RPC stays on each namespace's own 127.0.0.1.
// peersAt says where node i dials node j (its bridge address, or a relay);
// nil is the bridge address. With a relay, pex is off (the caller
// blackholes the direct routes), so every byte goes through it.
func newCluster(t *testing.T, l *lab, bin string, peersAt func(j int) string) *cluster {
	t.Helper()
	c := &cluster{lab: l, home: t.TempDir(), bin: bin}
	out, err := exec.Command(bin, "testnet", "init", "--nodes", strconv.Itoa(l.nodes),
		"--output-dir", c.home, "--chain-id", "assay-partition").CombinedOutput()
	if err != nil {
		t.Fatalf("assayd testnet init: %v\n%s", err, out)
	}
	for i := 0; i < l.nodes; i++ {
		rewriteConfig(t, filepath.Join(c.nodeHome(i), "config", "config.toml"), i, peersAt)
	}
	t.Cleanup(func() { c.stop(t) })
	for i := 0; i < l.nodes; i++ {
		c.start(t, i)
	}
	return c
}

var (
	peerAddr  = regexp.MustCompile(`@127\.0\.0\.1:(\d+)`)
	p2pLaddr  = regexp.MustCompile(`(?m)^laddr = "tcp://127\.0\.0\.1:(\d+)"`)
	extAddr   = regexp.MustCompile(`(?m)^external_address = "127\.0\.0\.1:(\d+)"`)
	pexOn     = regexp.MustCompile(`(?m)^pex = true`)
	p2pHeader = []byte("[p2p]")
)

// rewriteConfig points node i's p2p side at the lab: listen and advertise
// on its bridge address, dial peers at theirs (node j's port says j).
func rewriteConfig(t *testing.T, path string, i int, peersAt func(j int) string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	at := bytes.Index(raw, p2pHeader)
	if at < 0 {
		t.Fatalf("%s has no [p2p] section", path)
	}
	head, p2p := raw[:at], raw[at:]
	p2p = p2pLaddr.ReplaceAll(p2p, []byte(fmt.Sprintf(`laddr = "tcp://%s:$1"`, nodeIP(i))))
	p2p = extAddr.ReplaceAll(p2p, []byte(fmt.Sprintf(`external_address = "%s:$1"`, nodeIP(i))))
	p2p = peerAddr.ReplaceAllFunc(p2p, func(m []byte) []byte {
		port, _ := strconv.Atoi(string(peerAddr.FindSubmatch(m)[1]))
		j := (port - p2pBase) / 10
		if peersAt != nil {
			return []byte(fmt.Sprintf("@%s:%d", peersAt(j), port))
		}
		return []byte(fmt.Sprintf("@%s:%d", nodeIP(j), port))
	})
	if peersAt != nil {
		p2p = pexOn.ReplaceAll(p2p, []byte("pex = false"))
	}
	if bytes.Contains(p2p, []byte("@127.0.0.1")) || !bytes.Contains(p2p, []byte(nodeIP(i))) {
		t.Fatalf("%s: p2p section not moved onto the lab:\n%s", path, p2p)
	}
	if err := os.WriteFile(path, append(head, p2p...), 0o600); err != nil {
		t.Fatal(err)
	}
}

func (c *cluster) start(t *testing.T, i int) {
	t.Helper()
	log, err := os.Create(filepath.Join(c.nodeHome(i), "assayd.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	cmd := exec.Command("ip", "netns", "exec", c.lab.ns(i), c.bin, "start", "--home", c.nodeHome(i))
	cmd.Stdout, cmd.Stderr = log, log
	// The node dies with the test binary even if its cleanups never run.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := spawn(cmd); err != nil {
		t.Fatalf("starting node%d: %v", i, err)
	}
	for len(c.procs) <= i {
		c.procs = append(c.procs, nil)
	}
	c.procs[i] = cmd
}

// stop ends every node: SIGTERM to all, SIGKILL to any still running 10 s
// later. ip netns exec execs assayd, so each pid is the node's.
func (c *cluster) stop(t *testing.T) {
	done := make([]chan struct{}, len(c.procs))
	for i, p := range c.procs {
		done[i] = make(chan struct{})
		if p == nil || p.Process == nil {
			close(done[i])
			continue
		}
		_ = p.Process.Signal(syscall.SIGTERM)
		go func() { _ = p.Wait(); close(done[i]) }()
	}
	deadline := time.After(10 * time.Second)
	for i, d := range done {
		select {
		case <-d:
		case <-deadline:
			t.Logf("node%d ignored SIGTERM for 10 s; killing it", i)
			_ = c.procs[i].Process.Kill()
			<-d
		}
	}
	c.procs = nil
	if t.Failed() {
		for i := 0; i < c.lab.nodes; i++ {
			t.Logf("node%d log tail:\n%s", i, tail(filepath.Join(c.nodeHome(i), "assayd.log"), 12))
		}
	}
}

// rpc GETs a CometBFT RPC path of node i through its namespace.
func (c *cluster) rpc(i int, path string, v any) error {
	ns := c.lab.ns(i)
	hc := http.Client{Timeout: 3 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, addr string) (net.Conn, error) { return dialIn(ctx, ns, addr) },
	}}
	defer hc.CloseIdleConnections()
	resp, err := hc.Get(fmt.Sprintf("http://127.0.0.1:%d%s", rpcBase+10*i, path))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// height is node i's latest block height, or an error if it does not answer.
func (c *cluster) height(i int) (int64, error) {
	var r struct {
		Result struct {
			SyncInfo struct {
				LatestBlockHeight string `json:"latest_block_height"`
			} `json:"sync_info"`
		} `json:"result"`
	}
	if err := c.rpc(i, "/status", &r); err != nil {
		return 0, err
	}
	return strconv.ParseInt(r.Result.SyncInfo.LatestBlockHeight, 10, 64)
}

func (c *cluster) heights(t *testing.T, nodes []int) []int64 {
	t.Helper()
	hs := make([]int64, len(nodes))
	for k, i := range nodes {
		h, err := c.height(i)
		if err != nil {
			t.Fatalf("node%d status: %v", i, err)
		}
		hs[k] = h
	}
	return hs
}

type blockInfo struct {
	hash string
	time time.Time
}

func (c *cluster) block(t *testing.T, i int, h int64) blockInfo {
	t.Helper()
	var r struct {
		Result struct {
			BlockID struct {
				Hash string `json:"hash"`
			} `json:"block_id"`
			Block struct {
				Header struct {
					Time time.Time `json:"time"`
				} `json:"header"`
			} `json:"block"`
		} `json:"result"`
	}
	if err := c.rpc(i, fmt.Sprintf("/block?height=%d", h), &r); err != nil {
		t.Fatalf("node%d block %d: %v", i, h, err)
	}
	return blockInfo{hash: r.Result.BlockID.Hash, time: r.Result.Block.Header.Time}
}

// waitHeight polls until every node in nodes reports at least min, and
// returns how long that took.
func (c *cluster) waitHeight(t *testing.T, nodes []int, min int64, limit time.Duration) time.Duration {
	t.Helper()
	began := time.Now()
	for {
		low, lowNode, lastErr := int64(-1), -1, error(nil)
		for _, i := range nodes {
			h, err := c.height(i)
			if err != nil {
				lastErr = err
				h = -1
			}
			if low < 0 || h < low {
				low, lowNode = h, i
			}
		}
		if low >= min {
			return time.Since(began)
		}
		if time.Since(began) > limit {
			t.Fatalf("node%d at height %d, not %d, after %s (last error %v)", lowNode, low, min, limit, lastErr)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// sameChain checks that every node holds the same block hash at every
// height from 1 to the lowest height among them: no fork.
func (c *cluster) sameChain(t *testing.T, nodes []int) int64 {
	t.Helper()
	top := int64(-1)
	for _, h := range c.heights(t, nodes) {
		if top < 0 || h < top {
			top = h
		}
	}
	for h := int64(1); h <= top; h++ {
		want := c.block(t, nodes[0], h).hash
		for _, i := range nodes[1:] {
			if got := c.block(t, i, h).hash; got != want {
				t.Fatalf("fork at height %d: node%d has %s, node%d has %s", h, nodes[0], want, i, got)
			}
		}
	}
	return top
}

// blockTime is the mean seconds per block between two heights, from the
// block header (BFT) times.
func (c *cluster) blockTime(t *testing.T, i int, from, to int64) float64 {
	t.Helper()
	a, b := c.block(t, i, from).time, c.block(t, i, to).time
	return b.Sub(a).Seconds() / float64(to-from)
}

// assaydBinary returns build/assayd when it is newer than every non-test Go
// source, go.mod and go.sum; otherwise it builds ./cmd/assayd into a temp dir.
func assaydBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("ASSAYD"); bin != "" {
		return bin // an explicit binary, as scripts/testnet.sh takes it
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	bin, err := buildcheck.Binary(context.Background(), root, "assayd", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}

// intervals lists the seconds between consecutive block header times from
// height from to height to, for the log.
func (c *cluster) intervals(t *testing.T, i int, from, to int64) []string {
	t.Helper()
	var out []string
	prev := c.block(t, i, from).time
	for h := from + 1; h <= to; h++ {
		b := c.block(t, i, h).time
		out = append(out, fmt.Sprintf("%.1f", b.Sub(prev).Seconds()))
		prev = b
	}
	return out
}
