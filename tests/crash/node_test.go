package crash

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/assay-network/assay/cmd/assayd/cmd/testnet"
	"github.com/assay-network/assay/internal/buildcheck"
)

// Helpers for real assayd processes: build, homes, start, kill -9, and the
// CometBFT RPC reads the test compares nodes with.

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// assaydBinary is build/assayd when it is newer than the sources, else a
// fresh build (internal/buildcheck), as tests/testnet has it.
func assaydBinary(t *testing.T, root string) string {
	t.Helper()
	bin, err := buildcheck.Binary(context.Background(), root, "assayd", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

func run(t *testing.T, bin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("assayd %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// node is one assayd process over its home; it may be killed and started
// again any number of times.
type node struct {
	name, home, bin string
	ports           testnet.Ports
	cmd             *exec.Cmd
	exited          chan struct{}
	starts          int
}

func (n *node) rpcURL(path string) string {
	return fmt.Sprintf("http://127.0.0.1:%d%s", n.ports.RPC, path)
}
func (n *node) grpcAddr() string { return fmt.Sprintf("127.0.0.1:%d", n.ports.GRPC) }
func (n *node) logPath() string  { return filepath.Join(n.home, "assayd.log") }

// start runs `assayd start`, appending to the node's log. The process dies
// with the test binary (Pdeathsig), so none outlives a crashed test.
func (n *node) start(t *testing.T) {
	t.Helper()
	logf, err := os.OpenFile(n.logPath(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	n.starts++
	fmt.Fprintf(logf, "\n==== start %d ====\n", n.starts)
	cmd := exec.Command(n.bin, "start", "--home", n.home, "--log_no_color")
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logf.Close()
		t.Fatalf("%s: start: %v", n.name, err)
	}
	n.cmd, n.exited = cmd, make(chan struct{})
	go func(done chan struct{}) {
		_ = cmd.Wait()
		logf.Close()
		close(done)
	}(n.exited)
}

// kill9 sends SIGKILL: no shutdown hook, no flush, exactly a crash.
func (n *node) kill9(t *testing.T) {
	t.Helper()
	if n.cmd == nil {
		return
	}
	if err := n.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("%s: kill -9: %v", n.name, err)
	}
	select {
	case <-n.exited:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: still running 10 s after SIGKILL", n.name)
	}
	n.cmd = nil
}

func (n *node) running() bool {
	if n.cmd == nil {
		return false
	}
	select {
	case <-n.exited:
		return false
	default:
		return true
	}
}

func (n *node) rpc(path string, v any) error {
	c := http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get(n.rpcURL(path))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var env struct {
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Message string `json:"message"`
			Data    string `json:"data"`
		} `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if env.Error != nil {
		return fmt.Errorf("%s: %s %s", path, env.Error.Message, env.Error.Data)
	}
	return json.Unmarshal(env.Result, v)
}

// height is the node's latest block height, or an error while it is down.
func (n *node) height() (int64, error) {
	var r struct {
		SyncInfo struct {
			LatestBlockHeight string `json:"latest_block_height"`
		} `json:"sync_info"`
	}
	if err := n.rpc("/status", &r); err != nil {
		return 0, err
	}
	return strconv.ParseInt(r.SyncInfo.LatestBlockHeight, 10, 64)
}

// waitHeight polls until the node reports at least min.
func (n *node) waitHeight(t *testing.T, min int64, limit time.Duration) int64 {
	t.Helper()
	deadline := time.Now().Add(limit)
	var h int64
	var err error
	for time.Now().Before(deadline) {
		if n.cmd != nil && !n.running() {
			t.Fatalf("%s exited while waiting for height %d; log tail:\n%s", n.name, min, tail(n.logPath(), 25))
		}
		if h, err = n.height(); err == nil && h >= min {
			return h
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s did not reach height %d in %s (at %d, err %v); log tail:\n%s", n.name, min, limit, h, err, tail(n.logPath(), 25))
	return 0
}

// settledHeight is the node's height once it reaches want or stops moving
// for quiet.
func (n *node) settledHeight(t *testing.T, want int64, quiet time.Duration) int64 {
	t.Helper()
	last, err := n.height()
	if err != nil {
		t.Fatalf("%s: %v", n.name, err)
	}
	since := time.Now()
	for last < want && time.Since(since) < quiet {
		time.Sleep(100 * time.Millisecond)
		if h, err := n.height(); err == nil && h != last {
			last, since = h, time.Now()
		}
	}
	return last
}

// waitNextHeight returns as soon as the node's height changes, polling
// every 10 ms.
func (n *node) waitNextHeight(t *testing.T, limit time.Duration) int64 {
	t.Helper()
	from, err := n.height()
	if err != nil {
		t.Fatalf("%s: %v", n.name, err)
	}
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if h, err := n.height(); err == nil && h > from {
			return h
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s stayed at height %d for %s", n.name, from, limit)
	return 0
}

// waitProposal returns when the node has a complete proposal for the
// height it is deciding: its round is under way (CometBFT's event, over the
// RPC websocket).
func (n *node) waitProposal(t *testing.T, limit time.Duration) {
	t.Helper()
	c, err := rpchttp.New(n.rpcURL(""), "/websocket")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(); err != nil {
		t.Fatalf("%s websocket: %v", n.name, err)
	}
	defer func() { _ = c.Stop() }()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	events, err := c.Subscribe(ctx, "crash-test", cmttypes.EventQueryCompleteProposal.String())
	if err != nil {
		t.Fatalf("%s: subscribing to proposals: %v", n.name, err)
	}
	select {
	case <-events:
	case <-ctx.Done():
		t.Fatalf("%s: no complete proposal in %s", n.name, limit)
	}
}

// header is what the test compares per height: the block's id and the app
// hash its header carries (the state after the previous block).
type header struct {
	Height  int64
	BlockID string
	AppHash string
}

// headers reads heights from..to (inclusive) from /blockchain, 20 at a time.
func (n *node) headers(from, to int64) (map[int64]header, error) {
	out := map[int64]header{}
	for lo := from; lo <= to; lo += 20 {
		hi := min(lo+19, to)
		var r struct {
			BlockMetas []struct {
				BlockID struct {
					Hash string `json:"hash"`
				} `json:"block_id"`
				Header struct {
					Height  string `json:"height"`
					AppHash string `json:"app_hash"`
				} `json:"header"`
			} `json:"block_metas"`
		}
		if err := n.rpc(fmt.Sprintf("/blockchain?minHeight=%d&maxHeight=%d", lo, hi), &r); err != nil {
			return nil, err
		}
		for _, m := range r.BlockMetas {
			h, err := strconv.ParseInt(m.Header.Height, 10, 64)
			if err != nil {
				return nil, err
			}
			out[h] = header{Height: h, BlockID: m.BlockID.Hash, AppHash: m.Header.AppHash}
		}
	}
	return out, nil
}

// appInfo is the app's own view of its last commit (ABCI Info).
func (n *node) appInfo() (height int64, appHash string, err error) {
	var r struct {
		Response struct {
			LastBlockHeight  string `json:"last_block_height"`
			LastBlockAppHash string `json:"last_block_app_hash"`
		} `json:"response"`
	}
	if err := n.rpc("/abci_info", &r); err != nil {
		return 0, "", err
	}
	height, err = strconv.ParseInt(r.Response.LastBlockHeight, 10, 64)
	return height, r.Response.LastBlockAppHash, err
}

// txHeight finds a tx by hash in the node's tx index.
func (n *node) txHeight(hash string) (int64, error) {
	var r struct {
		Height string `json:"height"`
	}
	if err := n.rpc("/tx?hash=0x"+hash, &r); err != nil {
		return 0, err
	}
	return strconv.ParseInt(r.Height, 10, 64)
}

func tail(path string, lines int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	all := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}
