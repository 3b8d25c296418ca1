// Package testnet runs scripts/testnet.sh — four real assayd validators on
// loopback — and checks DESIGN §9's promise: the network keeps producing
// blocks with one node down, and the node catches up when it comes back.
package testnet

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/assay-network/assay/internal/buildcheck"

	"github.com/assay-network/assay/internal/testtime"
)

const (
	nodes    = 4
	victim   = 2  // the node the test kills (not node0, whose RPC it watches)
	window   = 10 // blocks per block-time measurement
	budget   = 4 * time.Minute
	portStep = 10
)

// Listen ports of node i are base + offset + 10*i, as in scripts/testnet.sh.
var portBases = []struct {
	kind string
	base int
}{{"p2p", 26656}, {"rpc", 26657}, {"abci", 26658}, {"prometheus", 26660}, {"pprof", 6060}, {"grpc", 9090}, {"api", 1317}}

type testnet struct {
	root, home, bin string
	offset          int
	ctx             context.Context
}

func TestOneNodeDownKeepsConsensusAndCatchesUp(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a four-validator network; skipped with -short")
	}
	tn := &testnet{root: repoRoot(t), home: t.TempDir(), offset: portOffset(t)}
	tn.checkPortsFree(t)
	// The budget covers the network, not the build: a clean checkout
	// compiles assayd first, which takes minutes on a busy machine.
	tn.bin = assaydBinary(t, tn.root)
	ctx, cancel := context.WithTimeout(context.Background(), testtime.Scale(budget))
	defer cancel()
	tn.ctx = ctx
	t.Cleanup(func() { tn.teardown(t) })

	began := time.Now()
	tn.script(t, "start")
	t.Logf("4 nodes up in %s", time.Since(began).Round(time.Millisecond))

	// Four validators: average block time over `window` blocks.
	from := tn.waitHeight(t, 0, 2, testtime.Scale(30*time.Second))
	tn.waitHeight(t, 0, from+window, testtime.Scale(60*time.Second))
	with4 := tn.blockTime(t, 0, from, from+window)

	// Node 2 down: the other three (3/4 > 2/3 of the power) keep going.
	tn.script(t, "kill", strconv.Itoa(victim))
	if _, err := tn.status(victim); err == nil {
		t.Fatalf("node%d still answers RPC after kill", victim)
	}
	if pid := tn.pid(victim); pid != 0 {
		t.Fatalf("node%d pid file still there (pid %d) after kill", victim, pid)
	}
	killedAt := tn.height(t, 0)
	tn.waitHeight(t, 0, killedAt+window, testtime.Scale(90*time.Second))
	with3 := tn.blockTime(t, 0, killedAt, killedAt+window)
	for _, i := range []int{1, 3} {
		if h := tn.waitHeight(t, i, killedAt+window-1, testtime.Scale(10*time.Second)); h < killedAt+window-1 {
			t.Fatalf("node%d at %d while node0 passed %d", i, h, killedAt+window)
		}
	}

	// Back up: restart waits until it has caught up; check that independently.
	restartedAt := time.Now()
	tn.script(t, "restart", strconv.Itoa(victim))
	caughtUp := time.Since(restartedAt)
	st, err := tn.status(victim)
	if err != nil {
		t.Fatalf("node%d after restart: %v", victim, err)
	}
	h0 := tn.height(t, 0)
	if st.height < h0-1 || st.catchingUp {
		t.Fatalf("node%d at %d (catching_up %v), node0 at %d", victim, st.height, st.catchingUp, h0)
	}
	// It holds the blocks made while it was down, identical to node0's.
	mid := killedAt + window/2
	if a, b := tn.blockHash(t, 0, mid), tn.blockHash(t, victim, mid); a != b {
		t.Fatalf("block %d: node0 %s, node%d %s", mid, a, victim, b)
	}
	// And it keeps following the chain.
	tn.waitHeight(t, victim, st.height+2, testtime.Scale(20*time.Second))
	out := tn.script(t, "status")
	if n := strings.Count(out, "  up "); n != nodes {
		t.Fatalf("status shows %d nodes up, want %d:\n%s", n, nodes, out)
	}

	t.Logf("block time, 4 validators: %.2f s/block (heights %d..%d)", with4, from, from+window)
	t.Logf("block time, 3 validators: %.2f s/block (heights %d..%d, node%d down)", with3, killedAt, killedAt+window, victim)
	t.Logf("node%d caught up %d blocks in %s; whole test %s", victim, st.height-killedAt,
		caughtUp.Round(100*time.Millisecond), time.Since(began).Round(time.Second))
	if with3 > 8 {
		t.Errorf("with one node down blocks take %.1f s on average; expected a few seconds", with3)
	}
}

// script runs scripts/testnet.sh with the test's home, binary and ports.
func (tn *testnet) script(t *testing.T, args ...string) string {
	t.Helper()
	out, err := tn.run(tn.ctx, args...)
	if err != nil {
		t.Fatalf("scripts/testnet.sh %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func (tn *testnet) run(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "bash", append([]string{filepath.Join(tn.root, "scripts", "testnet.sh")}, args...)...)
	cmd.Dir = tn.root
	cmd.Env = append(os.Environ(),
		"ASSAY_TESTNET_HOME="+tn.home,
		"ASSAYD="+tn.bin,
		"ASSAY_TESTNET_PORT_OFFSET="+strconv.Itoa(tn.offset),
		// The script's watchdog stops the nodes if this test binary dies
		// without running its cleanups (e.g. a go test -timeout panic).
		"ASSAY_TESTNET_WATCH_PID="+strconv.Itoa(os.Getpid()),
	)
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// teardown stops every node through the script, then SIGKILLs whatever the
// pid files still name, so no assayd outlives the test even when it failed.
func (tn *testnet) teardown(t *testing.T) {
	if t.Failed() {
		for i := 0; i < nodes; i++ {
			if log := filepath.Join(tn.home, fmt.Sprintf("node%d", i), "assayd.log"); fileExists(log) {
				t.Logf("node%d log tail:\n%s", i, tail(log, 15))
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	pids := map[string]int{}
	for i := 0; i < nodes; i++ {
		pids[fmt.Sprintf("node%d", i)] = tn.pid(i)
	}
	pids["watchdog"] = readPid(filepath.Join(tn.home, "watchdog.pid"))
	if out, err := tn.run(ctx, "stop"); err != nil {
		t.Logf("scripts/testnet.sh stop: %v\n%s", err, out)
	}
	for name, pid := range pids {
		if pid > 0 && syscall.Kill(pid, 0) == nil {
			t.Logf("%s (pid %d) survived stop; killing it", name, pid)
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

func (tn *testnet) port(kind string, node int) int {
	for _, p := range portBases {
		if p.kind == kind {
			return p.base + tn.offset + portStep*node
		}
	}
	panic("unknown port kind " + kind)
}

// checkPortsFree fails early and clearly when a localnet (or another
// testnet) holds the ports the four nodes need.
func (tn *testnet) checkPortsFree(t *testing.T) {
	t.Helper()
	for i := 0; i < nodes; i++ {
		for _, p := range portBases {
			addr := fmt.Sprintf("127.0.0.1:%d", tn.port(p.kind, i))
			l, err := net.Listen("tcp", addr)
			if err != nil {
				t.Fatalf("node%d's %s port %s is busy (%v): is a localnet or testnet running? "+
					"Stop it (scripts/localnet.sh stop, scripts/testnet.sh stop) or run with "+
					"ASSAY_TESTNET_PORT_OFFSET=1000 to shift every port.", i, p.kind, addr, err)
			}
			_ = l.Close()
		}
	}
}

type nodeStatus struct {
	height     int64
	catchingUp bool
}

func (tn *testnet) rpc(node int, path string, v any) error {
	c := http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get(fmt.Sprintf("http://127.0.0.1:%d%s", tn.port("rpc", node), path))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

func (tn *testnet) status(node int) (nodeStatus, error) {
	var r struct {
		Result struct {
			SyncInfo struct {
				LatestBlockHeight string `json:"latest_block_height"`
				CatchingUp        bool   `json:"catching_up"`
			} `json:"sync_info"`
		} `json:"result"`
	}
	if err := tn.rpc(node, "/status", &r); err != nil {
		return nodeStatus{}, err
	}
	h, err := strconv.ParseInt(r.Result.SyncInfo.LatestBlockHeight, 10, 64)
	if err != nil {
		return nodeStatus{}, fmt.Errorf("latest_block_height %q: %w", r.Result.SyncInfo.LatestBlockHeight, err)
	}
	return nodeStatus{height: h, catchingUp: r.Result.SyncInfo.CatchingUp}, nil
}

func (tn *testnet) height(t *testing.T, node int) int64 {
	t.Helper()
	st, err := tn.status(node)
	if err != nil {
		t.Fatalf("node%d status: %v", node, err)
	}
	return st.height
}

// waitHeight polls node until it reports at least min and returns its height.
func (tn *testnet) waitHeight(t *testing.T, node int, min int64, limit time.Duration) int64 {
	t.Helper()
	deadline := time.Now().Add(limit)
	var last nodeStatus
	var err error
	for time.Now().Before(deadline) && tn.ctx.Err() == nil {
		if last, err = tn.status(node); err == nil && last.height >= min {
			return last.height
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("node%d did not reach height %d in %s (at %d, err %v)", node, min, limit, last.height, err)
	return 0
}

type block struct {
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

func (tn *testnet) block(t *testing.T, node int, h int64) block {
	t.Helper()
	var b block
	if err := tn.rpc(node, fmt.Sprintf("/block?height=%d", h), &b); err != nil {
		t.Fatalf("node%d block %d: %v", node, h, err)
	}
	return b
}

func (tn *testnet) blockHash(t *testing.T, node int, h int64) string {
	t.Helper()
	return tn.block(t, node, h).Result.BlockID.Hash
}

// blockTime is the average seconds per block between two heights, from the
// block header (BFT) times.
func (tn *testnet) blockTime(t *testing.T, node int, from, to int64) float64 {
	t.Helper()
	a, b := tn.block(t, node, from).Result.Block.Header.Time, tn.block(t, node, to).Result.Block.Header.Time
	return b.Sub(a).Seconds() / float64(to-from)
}

func (tn *testnet) pid(node int) int {
	return readPid(filepath.Join(tn.home, fmt.Sprintf("node%d", node), "assayd.pid"))
}

func readPid(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "scripts", "testnet.sh")); err != nil {
		t.Fatalf("scripts/testnet.sh not found under %s: %v", root, err)
	}
	return root
}

// defaultTestOffset keeps the test's four nodes off the localnet ports, which
// the demo test (run in parallel by `go test ./...`) and developers' own
// localnets use.
const defaultTestOffset = 2000

func portOffset(t *testing.T) int {
	t.Helper()
	s := os.Getenv("ASSAY_TESTNET_PORT_OFFSET")
	if s == "" {
		return defaultTestOffset
	}
	off, err := strconv.Atoi(s)
	if err != nil || off < 0 || off > 30000 {
		t.Fatalf("ASSAY_TESTNET_PORT_OFFSET=%q: want a number in 0..30000", s)
	}
	return off
}

// assaydBinary is build/assayd when it is newer than the sources, else a
// fresh build (internal/buildcheck.Binary).
func assaydBinary(t *testing.T, root string) string {
	t.Helper()
	bin, err := buildcheck.Binary(context.Background(), root, "assayd", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return bin
}
