package upgrade

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/assay-network/assay/internal/portlock"

	sdkmath "cosmossdk.io/math"

	emissiontypes "github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/subnet/epoch"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// TestZeroHeightExportRestartsTheSameChain: a chain with a subnet, neurons,
// stake, an unbonding, revealed weights (so bonds), a pending commit,
// pending emission and history is stopped and exported with
// --for-zero-height; `assayd genesis validate` accepts the file; a fresh
// node started from it has the same subnets, neurons, stake, unbondings,
// commits, balances, history and emission schedule, and a plain export of
// the new chain holds the same x/subnet state (bonds and commits included)
// as the file it started from.
func TestZeroHeightExportRestartsTheSameChain(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a chain, exports it and starts a second one from the export; skipped with -short")
	}
	root := repoRoot(t)
	bin := assaydBinary(t, root, "")
	portlock.Lock(t, portlock.Wait)
	began := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()

	home := t.TempDir()
	n := initNode(t, ctx, bin, home, portOffset(t))
	first := startNode(t, n)
	n.waitHeight(t, 2, 60*time.Second)
	w := dial(t, ctx, n)
	w.populate(t, ctx, root)
	netuid := strconv.Itoa(int(w.netuid))

	// Weights through commit-reveal: commit, reveal in the next epoch, an
	// epoch with them (bonds), then one more commit left pending.
	n.tx(t, "validator1", "tx", "subnet", "commit-weights", netuid, "0=1,1=1")
	w.waitRevealWindow(t, ctx, n)
	n.tx(t, "validator1", "tx", "subnet", "reveal-weights", netuid)
	w.waitEpochs(t, ctx, n, 1)
	n.tx(t, "validator1", "tx", "subnet", "commit-weights", netuid, "0=2,1=1")

	// Stop just after an epoch, so the new chain's first blocks hold none.
	w.waitEpochs(t, ctx, n, 1)
	first.stop(t)
	h, err := lastHeight(n)
	if err != nil {
		t.Fatal(err)
	}

	exportAt := time.Now()
	genesis := filepath.Join(t.TempDir(), "genesis.json")
	writeFile(t, genesis, n.cli(t, "export", "--for-zero-height", "--log_level", "error"))
	took := time.Since(exportAt)
	fi, _ := os.Stat(genesis)
	n.cli(t, "genesis", "validate", genesis)
	plain := filepath.Join(t.TempDir(), "plain.json")
	writeFile(t, plain, n.cli(t, "export", "--height", strconv.FormatInt(h-1, 10), "--log_level", "error"))
	n.cli(t, "genesis", "validate", plain)
	gen := readGenesis(t, genesis)
	if gen.InitialHeight != h+1 {
		t.Fatalf("exported initial_height %d, want %d", gen.InitialHeight, h+1)
	}
	var sub subnettypes.GenesisState
	if err := w.cdc.UnmarshalJSON(gen.AppState["subnet"], &sub); err != nil {
		t.Fatal(err)
	}
	if len(sub.Bonds) == 0 || len(sub.Commits) == 0 || len(sub.Unbondings) == 0 {
		t.Fatalf("the export lacks state the test made: %d bond rows, %d commits, %d unbondings",
			len(sub.Bonds), len(sub.Commits), len(sub.Unbondings))
	}

	// What the old chain says after its last block.
	oldNode := startNode(t, n) // read-only use: queries at h
	n.waitHeight(t, h, 30*time.Second)
	w.waitGRPC(t, ctx)
	before := w.snapshot(t, ctx, h)
	oldCommits := w.commits(t, ctx, h)
	oldNode.stop(t)

	// A fresh node from the export: same validator key, new data.
	home2 := t.TempDir()
	n2 := &node{home: home2, bin: bin, offset: n.offset, ctx: ctx}
	freshHome(t, home, home2, genesis)
	second := startNode(t, n2)
	n2.waitHeight(t, h+1, 60*time.Second)
	w2 := dial(t, ctx, n2)
	w2.netuid = w.netuid
	after := w2.snapshot(t, ctx, h+1)

	// Unchanged by one block without an epoch or a tx: everything but the
	// emission that accrues each block, and alice's balance, which the
	// zero-height prep credited with her withdrawn staking rewards.
	for name, v := range before {
		switch name {
		case "emission subnet", "schedule", "supply", "balances alice":
			continue
		}
		if after[name] != v {
			t.Errorf("%s: old chain at %d and new chain at %d differ: %s", name, h, h+1, diff(v, after[name]))
		}
	}
	if c := w2.commits(t, ctx, h+1); c != oldCommits {
		t.Errorf("commits: old chain\n%s\nnew chain\n%s", oldCommits, c)
	}
	w.checkSchedule(t, before["schedule"], after["schedule"])
	if s := w2.supply(t, ctx, 0); !s.Holds {
		t.Fatalf("supply invariant broken on the new chain: %s", s.Broken)
	}

	// The new chain keeps going and its own export holds the same x/subnet
	// bookkeeping it started from.
	n2.waitHeight(t, h+3, 30*time.Second)
	second.stop(t)
	re := filepath.Join(t.TempDir(), "re.json")
	writeFile(t, re, n2.cli(t, "export", "--log_level", "error"))
	var sub2 subnettypes.GenesisState
	if err := w.cdc.UnmarshalJSON(readGenesis(t, re).AppState["subnet"], &sub2); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		a, b any
	}{{"bonds", sub.Bonds, sub2.Bonds}, {"commits", sub.Commits, sub2.Commits}, {"unbondings", sub.Unbondings, sub2.Unbondings},
		{"stake_positions", sub.StakePositions, sub2.StakePositions}, {"weights", sub.Weights, sub2.Weights},
		{"next_unbonding_id", sub.NextUnbondingId, sub2.NextUnbondingId}} {
		if a, b := mustJSON(t, c.a), mustJSON(t, c.b); a != b {
			t.Errorf("x/subnet %s: exported\n%s\nre-exported from the new chain\n%s", c.name, a, b)
		}
	}
	t.Logf("zero-height export at height %d: %d bytes in %s; new node from it at %d; whole test %s",
		h, fi.Size(), took.Round(10*time.Millisecond), h+1, time.Since(began).Round(time.Second))
}

// startNode runs `assayd start` on n's home until the test ends (or stop).
func startNode(t *testing.T, n *node) supervisor {
	t.Helper()
	s := &standIn{home: n.home, quit: make(chan struct{}), done: make(chan struct{})}
	logf, err := os.OpenFile(filepath.Join(n.home, "assayd.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	s.log = logf
	s.bin = n.bin
	if err := s.startNode(); err != nil {
		t.Fatal(err)
	}
	go s.loop()
	t.Cleanup(func() { s.stop(t) })
	return s
}

// lastHeight is the height of the stopped node's last committed block.
func lastHeight(n *node) (int64, error) {
	out, err := exec.Command(n.bin, "export", "--home", n.home, "--log_level", "error", "--modules-to-export", "upgrade").Output()
	if err != nil {
		return 0, err
	}
	var g genesisFile
	if err := json.Unmarshal(out, &g); err != nil {
		return 0, err
	}
	return g.InitialHeight - 1, nil
}

// freshHome makes a new node home from old: its config and validator key,
// an empty data directory, and genesis.
func freshHome(t *testing.T, old, home, genesis string) {
	t.Helper()
	for _, dir := range []string{"config", "data", "keyring-test"} {
		if err := os.MkdirAll(filepath.Join(home, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"config/config.toml", "config/app.toml", "config/client.toml", "config/node_key.json", "config/priv_validator_key.json"} {
		if err := copyFile(filepath.Join(old, f), filepath.Join(home, f)); err != nil {
			t.Fatal(err)
		}
	}
	ents, _ := os.ReadDir(filepath.Join(old, "keyring-test"))
	for _, e := range ents {
		if err := copyFile(filepath.Join(old, "keyring-test", e.Name()), filepath.Join(home, "keyring-test", e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	if err := copyFile(genesis, filepath.Join(home, "config", "genesis.json")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(home, "data", "priv_validator_state.json"), `{"height":"0","round":0,"step":0}`)
}

type genesisFile struct {
	InitialHeight int64                      `json:"initial_height"`
	AppState      map[string]json.RawMessage `json:"app_state"`
}

func readGenesis(t *testing.T, path string) genesisFile {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var g genesisFile
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return g
}

// diff shows where two JSON texts part: 150 characters of each from a little
// before the first difference.
func diff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-60)
	cut := func(s string) string { return s[from:min(len(s), from+150)] }
	return fmt.Sprintf("at byte %d\n  old …%s…\n  new …%s…", i, cut(a), cut(b))
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// waitEpochs waits until k more epochs of the subnet have started.
func (w *world) waitEpochs(t *testing.T, ctx context.Context, n *node, k int) {
	t.Helper()
	sn, err := w.chain.Subnet(ctx, w.netuid)
	if err != nil {
		t.Fatal(err)
	}
	h, err := n.status()
	if err != nil {
		t.Fatal(err)
	}
	tempo := sn.Hyperparams.Tempo
	next := h
	for i := 0; i < k; i++ {
		next = epoch.Next(next, w.netuid, tempo)
	}
	n.waitHeight(t, next, time.Duration(k)*time.Duration(epoch.Length(tempo)+5)*2*time.Second)
}

// waitRevealWindow waits until validator1's pending commit can be
// revealed. The window is read from the chain, not counted from now: on a
// loaded machine the commit's CLI can return after the window opened, and
// waiting for the epoch after "now" would then skip the whole window.
func (w *world) waitRevealWindow(t *testing.T, ctx context.Context, n *node) {
	t.Helper()
	r, err := subnettypes.NewQueryClient(w.chain.Conn()).Commits(ctx,
		&subnettypes.QueryCommitsRequest{Netuid: uint32(w.netuid), Hotkey: w.addr(t, "validator1")})
	if err != nil || len(r.Commits) != 1 {
		t.Fatalf("validator1's pending commits: %v %v", r, err)
	}
	c := r.Commits[0]
	if h, err := n.status(); err == nil && h > c.RevealUntil {
		t.Fatalf("the commit made at block %d could be revealed in %d..%d, and the chain is at %d already", c.Block, c.RevealFrom, c.RevealUntil, h)
	}
	n.waitHeight(t, c.RevealFrom, time.Duration(c.RevealFrom-c.Block+5)*2*time.Second)
}

// commits is every pending weights commit on the subnet at h, as JSON.
func (w *world) commits(t *testing.T, ctx context.Context, h int64) string {
	t.Helper()
	r, err := subnettypes.NewQueryClient(w.chain.Conn()).Commits(atHeight(ctx, h),
		&subnettypes.QueryCommitsRequest{Netuid: uint32(w.netuid), Hotkey: w.addr(t, "validator1")})
	if err != nil {
		t.Fatalf("commits at %d: %v", h, err)
	}
	if len(r.Commits) == 0 {
		t.Fatalf("no pending commit at %d", h)
	}
	return mustJSON(t, r.Commits)
}

// checkSchedule: one block apart, the emission schedule is the same but
// for the block's reward minted (or carried).
func (w *world) checkSchedule(t *testing.T, before, after string) {
	t.Helper()
	var a, b emissiontypes.QueryScheduleResponse
	if err := w.cdc.UnmarshalJSON([]byte(before), &a); err != nil {
		t.Fatal(err)
	}
	if err := w.cdc.UnmarshalJSON([]byte(after), &b); err != nil {
		t.Fatal(err)
	}
	minted := b.Issued.Sub(a.Issued)
	if !minted.Equal(a.CurrentReward) || !b.Cap.Equal(a.Cap) || b.Halvings != a.Halvings ||
		!b.NextHalvingIssuance.Equal(a.NextHalvingIssuance) || !b.Burned.Equal(a.Burned) || b.Carry.LT(sdkmath.ZeroInt()) {
		t.Fatalf("emission schedule across the export:\nold %v\nnew %v", a, b)
	}
}
