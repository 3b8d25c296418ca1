// Package crash kills a real assayd with SIGKILL at random moments while
// signed txs flow into it, restarts it, and checks what issue 17 promises of
// crash recovery: the node resumes at the right height, its app hash at
// every height matches a node that never crashed, and no tx whose
// inclusion was confirmed before a kill is lost.
//
// The node killed is the chain's only validator, the one every tx is sent
// to: a crash there stops the chain mid-round (proposal signed, block
// half-executed, commit half-written), the hardest case for CometBFT's WAL
// replay and the ABCI handshake. The node that never crashes is a
// non-validator full node following it over p2p: it executes every block
// itself and halts if a header's app hash differs from its own, so its
// app hashes are an independent reference, which a second validator (that
// would have to agree to the restarted node's blocks anyway) is not more of.
package crash

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/cmd/assayd/cmd/testnet"
	"github.com/assay-network/assay/internal/portlock"
	"github.com/assay-network/assay/internal/testtime"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

const (
	chainID       = "assay-crash"
	defaultOffset = 3400 // off the localnet (0), tests/testnet (2000), tests/upgrade (3000)
	defaultKills  = 6
	budget        = 5 * time.Minute
	netuid        = 1
	loadHotkeys   = 30
	// commitTimeout is testnet init's default: 1 s blocks, which the
	// follower keeps up with while the validator takes load.
	commitTimeout = time.Second
)

func envInt(t *testing.T, name string, def int64) int64 {
	t.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("%s=%q: want an integer", name, s)
	}
	return v
}

// kill is one crash: the validator's height just before it, the height the
// follower shows while the validator is down (where the chain stopped), the
// first height the restarted validator reports, and how long it took to
// commit a new block.
type kill struct {
	aimed                  bool // at a round, not at a uniform moment
	before, stopped, first int64
	down, resumed          time.Duration
}

func TestNodeSurvivesKill9UnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two assayd processes for minutes; skipped with -short")
	}
	seed := envInt(t, "ASSAY_SEED", 17)
	kills := int(envInt(t, "ASSAY_CRASH_KILLS", defaultKills))
	offset := int(envInt(t, "ASSAY_CRASH_PORT_OFFSET", defaultOffset))
	t.Logf("ASSAY_SEED=%d, %d kills", seed, kills)
	bin := assaydBinary(t, repoRoot(t))
	portlock.Lock(t, portlock.Wait)
	began := time.Now()

	val, full := initPair(t, bin, t.TempDir(), offset)
	t.Cleanup(func() {
		for _, n := range []*node{val, full} {
			if n.running() {
				n.kill9(t)
			}
			if t.Failed() {
				t.Logf("%s log tail:\n%s", n.name, tail(n.logPath(), 20))
			}
		}
	})
	val.start(t)
	full.start(t)
	val.waitHeight(t, 2, testtime.Scale(60*time.Second))
	full.waitHeight(t, 2, testtime.Scale(60*time.Second))

	kr, err := openKeyring(val.home)
	if err != nil {
		t.Fatal(err)
	}
	setupSubnet(t, val, kr)
	var hotkeys []string
	for i := range loadHotkeys {
		hotkeys = append(hotkeys, fmt.Sprintf("h%02d", i))
	}
	l := &load{kr: kr, grpc: val.grpcAddr(), netuid: netuid, perKind: map[string]int{}}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	wait := l.run(ctx, t, l.workers(t, seed, hotkeys))

	r := rand.New(rand.NewSource(seed))
	deadline := began.Add(testtime.Scale(budget))
	var done []kill
	for range kills {
		time.Sleep(time.Second + time.Duration(r.Int63n(int64(3*time.Second))))
		if time.Now().After(deadline) {
			t.Fatalf("budget %s spent after %d kills", testtime.Scale(budget), len(done))
		}
		done = append(done, crashOnce(t, r, val, full, len(done)%2 == 1))
	}
	time.Sleep(3 * time.Second) // txs confirmed after the last restart too
	stop()
	wait()

	for i, k := range done {
		moment := "uniform"
		if k.aimed {
			moment = "at a proposal"
		}
		t.Logf("kill %d (%s): validator at %d, chain stopped at %d, down %s, restarted at %d, new block %s after restart",
			i+1, moment, k.before, k.stopped, k.down.Round(time.Millisecond), k.first, k.resumed.Round(time.Millisecond))
	}
	top := val.waitHeight(t, 1, 5*time.Second)
	full.waitHeight(t, top, testtime.Scale(30*time.Second))
	compareChains(t, val, full, top)
	confirmed, perKind, errs := l.snapshot()
	checkTxsKept(t, val, full, confirmed)

	t.Logf("%d kills, heights 1..%d identical on both nodes; %d txs confirmed (%s), %d sends failed (node down, or refused); %s in all",
		len(done), top, len(confirmed), kindsSummary(perKind), errs, time.Since(began).Round(time.Second))
	t.Logf("validator log over the restarts: %s", replaySummary(val.logPath()))
	for _, kind := range []string{"register", "weights-v1", "stake-s1"} {
		if perKind[kind] == 0 {
			t.Errorf("no %s tx succeeded: the load did not run", kind)
		}
	}
	if len(done) < kills {
		t.Errorf("%d kills of %d", len(done), kills)
	}
}

// crashOnce kills the validator with SIGKILL, at a uniform moment of a
// block or aimed at its round, leaves it down a random while, restarts it
// and waits until the chain has moved on from where it stopped.
func crashOnce(t *testing.T, r *rand.Rand, val, full *node, aimed bool) kill {
	t.Helper()
	// A random moment of a block. From a new height the validator idles
	// commitTimeout, then proposes, votes, executes and commits the next
	// block within milliseconds, which a uniform moment rarely hits:
	// every other kill is aimed at that round instead, a few
	// milliseconds after its proposal is complete.
	k := kill{aimed: aimed}
	if !aimed {
		val.waitNextHeight(t, testtime.Scale(10*time.Second))
		time.Sleep(time.Duration(r.Int63n(int64(commitTimeout))))
	} else {
		val.waitProposal(t, testtime.Scale(10*time.Second))
		time.Sleep(time.Duration(r.Int63n(int64(5 * time.Millisecond))))
	}
	k.before, _ = val.height()
	val.kill9(t)
	k.down = 300*time.Millisecond + time.Duration(r.Int63n(int64(1700*time.Millisecond)))
	time.Sleep(k.down)
	// With its only validator dead the chain stands still where the
	// follower is. It may be one block short of the validator's store:
	// a block the validator committed and died before gossiping.
	k.stopped = full.settledHeight(t, k.before, 2*time.Second)
	restarted := time.Now()
	val.start(t)
	k.first = val.waitHeight(t, 0, testtime.Scale(60*time.Second))
	if k.first < k.before {
		t.Fatalf("the validator was at %d before the crash and restarted at %d: committed blocks lost",
			k.before, k.first)
	}
	val.waitHeight(t, k.stopped+1, testtime.Scale(60*time.Second))
	k.resumed = time.Since(restarted)
	// The follower accepts the new blocks: the restarted validator
	// computed the same app hash for them as the node that never crashed.
	full.waitHeight(t, k.stopped+2, testtime.Scale(30*time.Second))
	return k
}

// initPair writes the validator's home (the funded test keys, the
// localnet's short subnet periods) and a follower's home on the next port
// slot with the validator's genesis and the validator as its peer.
func initPair(t *testing.T, bin, dir string, offset int) (val, full *node) {
	t.Helper()
	keys := []string{"alice", "owner", "regcold", "s1", "s2", "v1", "v2"}
	for i := range loadHotkeys {
		keys = append(keys, fmt.Sprintf("h%02d", i))
	}
	val = &node{name: "validator", home: filepath.Join(dir, "val"), bin: bin, ports: testnet.PortsOf(offset, 0)}
	full = &node{name: "follower", home: filepath.Join(dir, "full"), bin: bin, ports: testnet.PortsOf(offset, 1)}
	run(t, bin, "testnet", "init", "--output-dir", val.home, "--chain-id", chainID,
		"--port-offset", strconv.Itoa(offset), "--keys", strings.Join(keys, ","))
	run(t, bin, "testnet", "init", "--output-dir", full.home, "--chain-id", chainID,
		"--port-offset", strconv.Itoa(offset+testnet.PortStep))
	gen, err := os.ReadFile(filepath.Join(val.home, "config", "genesis.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(full.home, "config", "genesis.json"), gen, 0o644); err != nil {
		t.Fatal(err)
	}
	id := strings.TrimSpace(run(t, bin, "comet", "show-node-id", "--home", val.home))
	cfgPath := filepath.Join(full.home, "config", "config.toml")
	cfg, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	peer := fmt.Sprintf("persistent_peers = \"%s@127.0.0.1:%d\"", id, val.ports.P2P)
	patched := strings.Replace(string(cfg), `persistent_peers = ""`, peer, 1)
	if patched == string(cfg) {
		t.Fatalf("%s has no empty persistent_peers to set", cfgPath)
	}
	if err := os.WriteFile(cfgPath, []byte(patched), 0o644); err != nil {
		t.Fatal(err)
	}
	return val, full
}

func openKeyring(home string) (keyring.Keyring, error) {
	cdc, _ := client.Codec()
	return keyring.New(sdk.KeyringServiceName(), keyring.BackendTest, home, nil, cdc)
}

// setupSubnet registers the load's subnet (plain weights, room for every
// load hotkey so none is pruned) and two validator hotkeys with stake, so
// their weights are accepted.
func setupSubnet(t *testing.T, val *node, kr keyring.Keyring) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testtime.Scale(90*time.Second))
	defer cancel()
	c, err := client.Dial(ctx, val.grpcAddr(), kr, client.ChainOptions{PollInterval: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	spec, err := os.ReadFile(filepath.Join(repoRoot(t), "scripts", "tasks", "german-credit.json"))
	if err != nil {
		t.Fatal(err)
	}
	hp := testnet.SubnetParams().DefaultHyperparams
	hp.CommitReveal = false
	hp.MaxUids = 64
	hp.WeightsRateLimit = 1
	owner, _ := c.KeyAddress("owner")
	if _, err := c.Broadcast(ctx, "owner", &subnettypes.MsgRegisterSubnet{Owner: owner, Name: "crash", TaskSpec: string(spec), Hyperparams: &hp}); err != nil {
		t.Fatalf("registering the subnet: %v", err)
	}
	alice, _ := c.KeyAddress("alice")
	for _, v := range []string{"v1", "v2"} {
		m, err := registerNeuron(c, kr, "alice", v, netuid)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Broadcast(ctx, "alice", m); err != nil {
			t.Fatalf("registering %s: %v", v, err)
		}
		hot, _ := c.KeyAddress(v)
		if _, err := c.Broadcast(ctx, "alice", &subnettypes.MsgAddStake{Coldkey: alice, Netuid: netuid, Hotkey: hot, Amount: math.NewInt(100_000_000)}); err != nil {
			t.Fatalf("staking on %s: %v", v, err)
		}
	}
}

// compareChains checks every height up to top on both nodes: the same
// block, the same app hash in its header; then the apps' own last commits
// with the other's headers.
func compareChains(t *testing.T, val, full *node, top int64) {
	t.Helper()
	a, err := val.headers(1, top)
	if err != nil {
		t.Fatal(err)
	}
	b, err := full.headers(1, top)
	if err != nil {
		t.Fatal(err)
	}
	for h := int64(1); h <= top; h++ {
		x, okX := a[h]
		y, okY := b[h]
		if !okX || !okY {
			t.Fatalf("height %d missing (validator %v, follower %v)", h, okX, okY)
		}
		if x != y {
			t.Fatalf("height %d: validator %+v, follower %+v", h, x, y)
		}
	}
	// Each app's own last commit is the app hash the other node's next
	// header carries.
	for _, pair := range [][2]*node{{val, full}, {full, val}} {
		h, b64, err := pair[0].appInfo()
		if err != nil {
			t.Fatal(err)
		}
		raw, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			t.Fatalf("%s: app hash %q: %v", pair[0].name, b64, err)
		}
		hash := strings.ToUpper(hex.EncodeToString(raw))
		pair[1].waitHeight(t, h+1, testtime.Scale(30*time.Second))
		next, err := pair[1].headers(h+1, h+1)
		if err != nil {
			t.Fatal(err)
		}
		if got := next[h+1].AppHash; got != hash {
			t.Fatalf("the %s's app committed %s at height %d; the %s's block %d says %s", pair[0].name, hash, h, pair[1].name, h+1, got)
		}
	}
}

// checkTxsKept finds every confirmed tx by hash on both nodes, at the
// height it was confirmed at.
func checkTxsKept(t *testing.T, val, full *node, confirmed []landed) {
	t.Helper()
	for _, tx := range confirmed {
		for _, n := range []*node{val, full} {
			h, err := n.txHeight(tx.hash)
			if err != nil {
				t.Fatalf("%s tx %s confirmed at height %d: not found on the %s after the restarts: %v", tx.kind, tx.hash, tx.height, n.name, err)
			}
			if h != tx.height {
				t.Fatalf("%s tx %s confirmed at height %d, the %s has it at %d", tx.kind, tx.hash, tx.height, n.name, h)
			}
		}
	}
}

// replaySummary counts what CometBFT recovered on the restarts: consensus
// messages of the interrupted round replayed from its WAL, and blocks the
// app had not committed when it died ("Replay last block").
func replaySummary(logPath string) string {
	b, err := os.ReadFile(logPath)
	if err != nil {
		return err.Error()
	}
	s := string(b)
	behind := 0 // handshakes where the block store was ahead of the app
	for _, line := range strings.Split(s, "\n") {
		var app, state, store int64
		if i := strings.Index(line, "ABCI Replay Blocks"); i >= 0 {
			if _, err := fmt.Sscanf(line[i:], "ABCI Replay Blocks appHeight=%d module=consensus stateHeight=%d storeHeight=%d", &app, &state, &store); err == nil && store > app {
				behind++
			}
		}
	}
	return fmt.Sprintf("%d WAL proposals and %d WAL votes replayed, %d restarts with the block store ahead of the app, %d blocks re-applied",
		strings.Count(s, "Replay: Proposal"), strings.Count(s, "Replay: Vote"), behind, strings.Count(s, "Replay last block"))
}
