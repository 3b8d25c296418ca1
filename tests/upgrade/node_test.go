package upgrade

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
	"testing"
	"time"

	"github.com/assay-network/assay/internal/buildcheck"
)

// Helpers for a one-node chain run as a real process: build, init, ports,
// CLI calls and waits on chain state.

const (
	chainID        = "assay-upgrade"
	keyringBackend = "test"
	defOffset      = 3000 // off the localnet (0), tests/testnet (2000)
)

type node struct {
	home   string
	bin    string // the assayd the CLI calls use
	offset int
	ctx    context.Context
}

func (n *node) rpcPort() int     { return 26657 + n.offset }
func (n *node) grpcAddr() string { return fmt.Sprintf("127.0.0.1:%d", 9090+n.offset) }

// portOffset is defOffset unless ASSAY_UPGRADE_PORT_OFFSET says otherwise.
func portOffset(t *testing.T) int {
	t.Helper()
	s := os.Getenv("ASSAY_UPGRADE_PORT_OFFSET")
	if s == "" {
		return defOffset
	}
	off, err := strconv.Atoi(s)
	if err != nil || off < 0 || off > 30000 {
		t.Fatalf("ASSAY_UPGRADE_PORT_OFFSET=%q: want a number in 0..30000", s)
	}
	return off
}

// initNode writes a one-node home with `assayd testnet init` (alice the
// validator, every test key funded), shortens the governance periods so a
// proposal passes in seconds, and sets an unbonding period so removed stake
// waits in the queue.
func initNode(t *testing.T, ctx context.Context, bin, home string, offset int) *node {
	t.Helper()
	n := &node{home: home, bin: bin, offset: offset, ctx: ctx}
	run(t, ctx, bin, "testnet", "init", "--output-dir", home, "--chain-id", chainID,
		"--port-offset", strconv.Itoa(offset))
	editGenesis(t, filepath.Join(home, "config", "genesis.json"), func(app map[string]any) {
		params := app["gov"].(map[string]any)["params"].(map[string]any)
		params["voting_period"] = votingPeriod.String()
		params["expedited_voting_period"] = (votingPeriod / 2).String()
		app["subnet"].(map[string]any)["params"].(map[string]any)["unbonding_period"] = strconv.Itoa(unbondingPeriod)
	})
	return n
}

const (
	votingPeriod    = 8 * time.Second // gov voting period of the test genesis
	unbondingPeriod = 1000            // blocks removed stake waits (x/subnet)
)

func editGenesis(t *testing.T, path string, edit func(app map[string]any)) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var gen map[string]any
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber() // amounts stay exact
	if err := dec.Decode(&gen); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	edit(gen["app_state"].(map[string]any))
	out, err := json.MarshalIndent(gen, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// cli runs `assayd ARGS --home` against the node and returns its stdout.
func (n *node) cli(t *testing.T, args ...string) string {
	t.Helper()
	return run(t, n.ctx, n.bin, append(args, "--home", n.home)...)
}

// tx runs a CLI tx from key and waits until it is in a block with code 0.
func (n *node) tx(t *testing.T, from string, args ...string) {
	t.Helper()
	out := n.cli(t, append(args, "--from", from, "--keyring-backend", keyringBackend, "--chain-id", chainID,
		"--gas", "auto", "--gas-adjustment", "1.5", "--yes", "--output", "json")...)
	var res struct {
		TxHash string `json:"txhash"`
		Code   uint32 `json:"code"`
		RawLog string `json:"raw_log"`
	}
	if err := json.Unmarshal([]byte(lastLine(out)), &res); err != nil || res.Code != 0 {
		t.Fatalf("%v: code %d %s (%v)\n%s", args, res.Code, res.RawLog, err, out)
	}
	waitFor(t, n.ctx, "tx "+res.TxHash, 30*time.Second, func() (bool, string) {
		out, err := exec.CommandContext(n.ctx, n.bin, "q", "tx", res.TxHash, "--home", n.home, "--output", "json").Output()
		if err != nil {
			return false, "not in a block yet"
		}
		var r struct {
			Code   uint32 `json:"code"`
			RawLog string `json:"raw_log"`
		}
		if err := json.Unmarshal(out, &r); err != nil {
			return false, err.Error()
		}
		if r.Code != 0 {
			t.Fatalf("%v: delivered with code %d: %s", args, r.Code, r.RawLog)
		}
		return true, ""
	})
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func run(t *testing.T, ctx context.Context, bin string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s%s", filepath.Base(bin), strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out)
}

// status is the node's latest height from CometBFT RPC.
func (n *node) status() (int64, error) {
	var r struct {
		Result struct {
			SyncInfo struct {
				LatestBlockHeight string `json:"latest_block_height"`
			} `json:"sync_info"`
		} `json:"result"`
	}
	if err := n.rpc("/status", &r); err != nil {
		return 0, err
	}
	return strconv.ParseInt(r.Result.SyncInfo.LatestBlockHeight, 10, 64)
}

func (n *node) rpc(path string, v any) error {
	c := http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get(fmt.Sprintf("http://127.0.0.1:%d%s", n.rpcPort(), path))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

func (n *node) waitHeight(t *testing.T, min int64, limit time.Duration) int64 {
	t.Helper()
	var h int64
	waitFor(t, n.ctx, fmt.Sprintf("height %d", min), limit, func() (bool, string) {
		var err error
		if h, err = n.status(); err != nil {
			return false, err.Error()
		}
		return h >= min, fmt.Sprintf("at %d", h)
	})
	return h
}

// blockTime is the header time of block h.
func (n *node) blockTime(t *testing.T, h int64) time.Time {
	t.Helper()
	var b struct {
		Result struct {
			Block struct {
				Header struct {
					Time time.Time `json:"time"`
				} `json:"header"`
			} `json:"block"`
		} `json:"result"`
	}
	if err := n.rpc(fmt.Sprintf("/block?height=%d", h), &b); err != nil {
		t.Fatalf("block %d: %v", h, err)
	}
	return b.Result.Block.Header.Time
}

// waitFor polls cond every 250 ms until it holds, failing after limit with
// cond's last word.
func waitFor(t *testing.T, ctx context.Context, what string, limit time.Duration, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(limit)
	last := ""
	for time.Now().Before(deadline) && ctx.Err() == nil {
		var ok bool
		if ok, last = cond(); ok {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("waiting for %s: not after %s (%s)", what, limit, last)
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no go.mod under %s: %v", root, err)
	}
	return root
}

// binDir holds the binaries the package's tests build, once each.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "assay-upgrade-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// assaydBinary returns build/assayd for a release build when it is newer
// than every non-test Go source; otherwise, and always for a tagged build,
// it builds ./cmd/assayd once for the package's tests.
func assaydBinary(t *testing.T, root, tags string) string {
	t.Helper()
	built := filepath.Join(root, "build", "assayd")
	if fi, err := os.Stat(built); tags == "" && err == nil && !buildcheck.SourcesNewerThan(root, fi.ModTime()) {
		return built
	}
	bin := filepath.Join(binDir, "tags-"+tags, "assayd")
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	began := time.Now()
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", tags, "-o", bin, "./cmd/assayd")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build -tags %q ./cmd/assayd: %v\n%s", tags, err, out)
	}
	t.Logf("built assayd (tags %q) in %s", tags, time.Since(began).Round(100*time.Millisecond))
	return bin
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
