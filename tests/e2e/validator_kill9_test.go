package e2e

import (
	"encoding/hex"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/internal/buildcheck"
	"github.com/assay-network/assay/internal/testtime"
	"github.com/assay-network/assay/task"
	"github.com/assay-network/assay/validator/state"
	"github.com/assay-network/assay/x/subnet/epoch"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// validatorBinary is build/assay-validator when it is newer than the
// sources, else a fresh build (internal/buildcheck).
func validatorBinary(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	bin, err := buildcheck.Binary(t.Context(), root, "assay-validator", t.TempDir())
	require.NoError(t, err)
	return bin
}

// processLog is a file for a child process's output, printed if the test
// fails.
func processLog(t *testing.T, name string) *os.File {
	t.Helper()
	path := filepath.Join(t.TempDir(), name+".log")
	f, err := os.Create(path)
	require.NoError(t, err)
	t.Cleanup(func() {
		f.Close()
		if t.Failed() {
			b, _ := os.ReadFile(path)
			t.Logf("%s log:\n%s", name, b)
		}
	})
	return f
}

// TestValidatorProcessKilled9MidRoundKeepsItsSalt runs the real
// assay-validator binary against the chain and kills it with SIGKILL twice:
// once the moment its state file first holds a commit (the commit tx on its
// way or just landed), and once at a seeded random moment later. After each
// kill the state file must still decode with every pending commit complete;
// the restarted process must reveal what the killed one committed; and at
// the end the chain must hold no commit the state file has lost the salt
// of, and no epoch with two commits from the hotkey.
func TestValidatorProcessKilled9MidRoundKeepsItsSalt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs assay-validator; skipped with -short")
	}
	bin := validatorBinary(t)
	c := NewChain(t, nil)
	ctx := t.Context()
	_, m, spec := minerModel(t)
	owner := c.Val.Address.String()
	res := c.Broadcast(c.Val.Moniker, &subnettypes.MsgRegisterSubnet{Owner: owner, Name: "wages", TaskSpec: spec})
	require.Zero(t, res.Code, res.RawLog)
	const netuid = 1
	c.NewFundedKeys(10_000_000, "val", "m1")
	c.RegisterNeurons(netuid, "val", "m1")
	res = c.Broadcast(c.Val.Moniker, &subnettypes.MsgAddStake{Coldkey: owner, Netuid: netuid, Hotkey: c.Addr("val").String(), Amount: math.NewInt(5_000_000)})
	require.Zero(t, res.Code, res.RawLog)
	cc := c.Client()
	startMiner(t, c, cc, netuid, "m1", m)
	mg, err := cc.Metagraph(ctx, netuid)
	require.NoError(t, err)
	hp := mg.Subnet.Hyperparams
	hotkey := c.Addr("val").String()

	// The task's data in the validator's content-addressed cache, as a
	// fetch would leave it (the test stays off the network).
	dataDir := t.TempDir()
	s, err := task.Parse([]byte(spec))
	require.NoError(t, err)
	raw, err := os.ReadFile(repoFile(t, "dataset/testdata/cps1985-wages/data.csv"))
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(dataDir, "sha256"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dataDir, "sha256", s.Dataset.Files[0].SHA256), raw, 0o644))

	statePath := filepath.Join(t.TempDir(), "state.json")
	logf := processLog(t, "assay-validator")
	var proc *exec.Cmd
	start := func() {
		proc = exec.Command(bin, "run", "--netuid", strconv.Itoa(netuid), "--from", "val",
			"--home", c.Ctx().KeyringDir, "--keyring-backend", "test", "--grpc", c.Val.AppConfig.GRPC.Address,
			"--state", statePath, "--data-dir", dataDir, "--metrics", "",
			"--sync-interval", "200ms", "--round-interval", "500ms", "--batch", "60", "--pairs", "30", "--alpha", "0.3", "--seed", "7")
		proc.Stdout, proc.Stderr = logf, logf
		proc.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		require.NoError(t, proc.Start())
	}
	kill9 := func() {
		require.NoError(t, proc.Process.Signal(syscall.SIGKILL))
		_ = proc.Wait()
	}
	t.Cleanup(func() {
		if proc != nil && proc.ProcessState == nil {
			kill9()
		}
	})
	// readState is the file as a restarted process would load it.
	readState := func() *state.State {
		b, err := os.ReadFile(statePath)
		if os.IsNotExist(err) {
			return nil
		}
		require.NoError(t, err)
		st, err := state.Decode(b)
		require.NoError(t, err, "state file after a kill -9")
		return st
	}

	// waitFile polls the state file until ok holds of it.
	waitFile := func(what string, ok func(*state.State) bool) *state.State {
		for deadline := time.Now().Add(testtime.Scale(90 * time.Second)); ; time.Sleep(10 * time.Millisecond) {
			if st := readState(); st != nil && ok(st) {
				return st
			}
			require.True(t, time.Now().Before(deadline), "the state file never showed %s", what)
		}
	}
	landed := func(st *state.State) []string {
		var out []string
		for _, p := range st.Pending {
			if p.Block > 0 {
				out = append(out, p.Hash)
			}
		}
		return out
	}

	// Kill 1: the moment a commit is in the file, its tx maybe not sent.
	start()
	st := waitFile("a commit", func(st *state.State) bool { return len(st.Pending) > 0 })
	kill9()
	t.Logf("kill 1, a commit in the file: %d pending, %d of them known on chain", len(st.Pending), len(landed(st)))

	// Kill 2: a commit is on chain and not yet revealed; only the file
	// still knows its salt.
	start()
	st = waitFile("a landed commit", func(st *state.State) bool { return len(landed(st)) > 0 })
	kill9()
	mustReveal := map[string]bool{}
	for _, h := range landed(readState()) {
		mustReveal[h] = true
	}
	t.Logf("kill 2, a commit on chain awaiting its reveal: %d pending, %d of them on chain", len(readState().Pending), len(mustReveal))

	// Kill 3: a seeded random moment of the loop.
	r := rand.New(rand.NewSource(17))
	start()
	time.Sleep(time.Second + time.Duration(r.Int63n(int64(4*time.Second))))
	kill9()
	for _, h := range landed(readState()) {
		mustReveal[h] = true
	}
	t.Logf("kill 3 at a random moment: %d pending commits in the file", len(readState().Pending))

	// The successor reveals what the killed processes committed.
	start()
	var revealed map[string]int64
	for deadline := time.Now().Add(testtime.Scale(90 * time.Second)); ; time.Sleep(200 * time.Millisecond) {
		revealed = revealsOf(t, c, hotkey)
		missing := 0
		for h := range mustReveal {
			if _, ok := revealed[h]; !ok {
				missing++
			}
		}
		if missing == 0 {
			break
		}
		require.True(t, time.Now().Before(deadline), "%d commits made by killed processes never revealed", missing)
	}
	// Two more epochs of the restarted process, for the per-epoch check.
	for deadline := time.Now().Add(testtime.Scale(60 * time.Second)); len(commitsOf(t, c, hotkey)) < 3; time.Sleep(200 * time.Millisecond) {
		require.True(t, time.Now().Before(deadline), "the restarted validator stopped committing")
	}
	kill9()

	// No lost salt: every commit on chain was revealed or is still in the
	// file; and no epoch holds two commits from the hotkey.
	st = readState()
	inFile := map[string]bool{}
	for _, p := range st.Pending {
		inFile[p.Hash] = true
	}
	revealed = revealsOf(t, c, hotkey)
	epochs := map[int64]int64{}
	commits := commitsOf(t, c, hotkey)
	for h, height := range commits {
		_, done := revealed[h]
		require.True(t, done || inFile[h], "commit %s at block %d: neither revealed nor in the state file", h, height)
		e := epoch.Index(height, netuid, hp.Tempo)
		if prev, dup := epochs[e]; dup {
			t.Fatalf("two commits from %s in epoch %d: blocks %d and %d", hotkey, e, prev, height)
		}
		epochs[e] = height
	}
	t.Logf("%d commits on chain in %d epochs, %d revealed (%d of them left by killed processes), %d pending in the file",
		len(commits), len(epochs), len(revealed), len(mustReveal), len(st.Pending))
}

// commitsOf is every weight commit of hotkey on chain: hash → block.
func commitsOf(t *testing.T, c *Chain, hotkey string) map[string]int64 {
	t.Helper()
	res, err := txtypes.NewServiceClient(c.Ctx()).GetTxsEvent(t.Context(), &txtypes.GetTxsEventRequest{
		Query: "message.action='/assay.subnet.v1.MsgCommitWeights'", Limit: 100})
	require.NoError(t, err)
	out := map[string]int64{}
	for i, tx := range res.Txs {
		var m subnettypes.MsgCommitWeights
		require.NoError(t, proto.Unmarshal(tx.Body.Messages[0].Value, &m))
		if m.Hotkey == hotkey && res.TxResponses[i].Code == 0 {
			out[hex.EncodeToString(m.Hash)] = res.TxResponses[i].Height
		}
	}
	return out
}

// revealsOf is every reveal of hotkey on chain, by the hash it opened.
func revealsOf(t *testing.T, c *Chain, hotkey string) map[string]int64 {
	t.Helper()
	res, err := txtypes.NewServiceClient(c.Ctx()).GetTxsEvent(t.Context(), &txtypes.GetTxsEventRequest{
		Query: "message.action='/assay.subnet.v1.MsgRevealWeights'", Limit: 100})
	require.NoError(t, err)
	out := map[string]int64{}
	for i, tx := range res.Txs {
		var m subnettypes.MsgRevealWeights
		require.NoError(t, proto.Unmarshal(tx.Body.Messages[0].Value, &m))
		if m.Hotkey != hotkey || res.TxResponses[i].Code != 0 {
			continue
		}
		addr, err := sdk.AccAddressFromBech32(m.Hotkey)
		require.NoError(t, err)
		h := subnettypes.WeightsCommitHash(uint16(m.Netuid), addr, m.Uids, m.Weights, m.Salt, m.VersionKey)
		out[hex.EncodeToString(h)] = res.TxResponses[i].Height
	}
	return out
}
