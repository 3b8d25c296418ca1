package validator

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"

	dto "github.com/prometheus/client_model/go"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/validator/state"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// flakyCommits gives the fake chain's CommitWeights the failures a real
// client meets.
type flakyCommits struct {
	*fakeChain
	unknown  int // sent, then no answer (timeout, or the process killed): held back until land
	mismatch int // refused before sending: the simulation saw a sequence mismatch
	held     [][]byte
	sent     int
}

func (f *flakyCommits) CommitWeights(ctx context.Context, netuid uint16, hash []byte) (int64, error) {
	f.sent++
	switch {
	case f.mismatch > 0:
		f.mismatch--
		return 0, fmt.Errorf("chain: simulating /assay.subnet.v1.MsgCommitWeights: rpc error: code = Unknown desc = account sequence mismatch, expected 8, got 7: incorrect account sequence: %w", client.ErrNotSent)
	case f.unknown > 0:
		f.unknown--
		f.held = append(f.held, hash)
		return 0, fmt.Errorf("chain: tx %X not in a block after 30s: %w", hash, context.DeadlineExceeded)
	}
	return f.fakeChain.CommitWeights(ctx, netuid, hash)
}

// land puts the held commits in the next block, as a tx that waited in a
// mempool does.
func (f *flakyCommits) land() {
	for _, h := range f.held {
		_, _ = f.fakeChain.CommitWeights(context.Background(), testNetuid, h)
	}
	f.held = nil
}

// commitSetup scores one miner and makes the first commit at block 9
// (netuid 3, tempo 10: epoch 1 is blocks 8–18, its commits reveal in
// 19–29). It returns that validator, a restart on its state file, and a
// step to a block.
func commitSetup(t *testing.T, fc *flakyCommits) (v *Validator, restart func() *Validator, sync func(*Validator, int64)) {
	t.Helper()
	addr, key, hash := realMiner(t, nil)
	self := newKey()
	fc.fakeChain = &fakeChain{mg: newMetagraph(self.Address(), []subnettypes.AxonInfo{{Endpoint: addr, ModelHash: hash}}, []string{key.Address()}, true)}
	statePath := t.TempDir() + "/s.json"
	sync = func(v *Validator, h int64) {
		t.Helper()
		fc.setBlock(h)
		if err := v.Sync(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	restart = func() *Validator { return newValidator(t, fc, self, Config{StatePath: statePath}) }
	v = restart()
	sync(v, 8)
	if _, err := v.RunRound(context.Background()); err != nil {
		t.Fatal(err)
	}
	sync(v, 9)
	if fc.sent != 1 {
		t.Fatalf("%d commits sent at block 9, want 1", fc.sent)
	}
	return v, restart, sync
}

func pendingEpoch(v *Validator, e int64) *state.Commit {
	p := v.State().Pending
	if i := slices.IndexFunc(p, func(c state.Commit) bool { return c.Epoch == e }); i >= 0 {
		return &p[i]
	}
	return nil
}

// TestUnknownCommitFoundAfterRestart: the validator is killed while its
// commit tx is on the way, and restarts before the tx lands. The commit
// stays pending (no second commit in its epoch), is found on chain by hash
// once it lands, and is revealed in its window.
func TestUnknownCommitFoundAfterRestart(t *testing.T) {
	fc := &flakyCommits{unknown: 1}
	_, restart, sync := commitSetup(t, fc)
	v := restart()
	sync(v, 10)
	p := pendingEpoch(v, 1)
	if p == nil || p.Block != 0 || fc.sent != 1 {
		t.Fatalf("after restart with the commit not on chain yet: pending %+v, commits sent %d; want it kept and no new commit", p, fc.sent)
	}
	fc.land() // in block 11
	sync(v, 11)
	if p = pendingEpoch(v, 1); p == nil || p.Block != 11 || p.RevealFrom != 19 || p.RevealUntil != 29 {
		t.Fatalf("landed commit not adopted: %+v, want block 11, reveal 19–29", p)
	}
	sync(v, 19)
	if len(fc.reveals) != 1 || !slices.Equal(fc.reveals[0][0], p.UIDs) || !slices.Equal(fc.reveals[0][1], p.Weights) {
		t.Fatalf("reveals %v, want the commit made before the restart (%v %v)", fc.reveals, p.UIDs, p.Weights)
	}
}

// TestUnknownCommitDroppedAfterItsWindow: a commit whose tx never lands is
// kept through the reveal window it would have had (blocks 19–29), then
// dropped and counted lost; it holds back no commit of a later epoch.
func TestUnknownCommitDroppedAfterItsWindow(t *testing.T) {
	fc := &flakyCommits{unknown: 1}
	_, restart, sync := commitSetup(t, fc)
	v := restart()
	for _, h := range []int64{10, 18} {
		sync(v, h)
		if pendingEpoch(v, 1) == nil || fc.sent != 1 {
			t.Fatalf("block %d: epoch-1 commit dropped or a second one sent (%d sent)", h, fc.sent)
		}
	}
	sync(v, 19) // epoch 2 commits as usual
	if fc.sent != 2 || pendingEpoch(v, 2) == nil {
		t.Fatalf("epoch 2: %d commits sent, pending %+v", fc.sent, v.State().Pending)
	}
	sync(v, 29)
	if pendingEpoch(v, 1) == nil {
		t.Fatal("epoch-1 commit dropped before its window ended")
	}
	sync(v, 30)
	if p := pendingEpoch(v, 1); p != nil {
		t.Fatalf("epoch-1 commit kept past block 29: %+v", p)
	}
	if got := weightTxs(t, v, "commit", "lost"); got != 1 {
		t.Fatalf("weight_txs_total{commit,lost} = %v, want 1", got)
	}
	if len(fc.reveals) != 1 {
		t.Fatalf("reveals %v, want epoch 2's at block 30", fc.reveals)
	}
}

// TestSequenceMismatchRetried: a commit refused before it was sent (the
// simulation saw a sequence mismatch) is not in flight: it is dropped and
// the next block commits again, and that commit is revealed.
func TestSequenceMismatchRetried(t *testing.T) {
	fc := &flakyCommits{mismatch: 1}
	v, _, sync := commitSetup(t, fc)
	if len(v.State().Pending) != 0 {
		t.Fatalf("a commit that was never sent is pending: %+v", v.State().Pending)
	}
	sync(v, 10)
	p := pendingEpoch(v, 1)
	if fc.sent != 2 || p == nil || p.Block != 11 {
		t.Fatalf("retry at block 10: %d sent, pending %+v", fc.sent, p)
	}
	sync(v, 19)
	if len(fc.reveals) != 1 || !slices.Equal(fc.reveals[0][0], p.UIDs) {
		t.Fatalf("reveals %v, want the retried commit", fc.reveals)
	}
}

// TestNoCommitWithoutTheSaltOnDisk: when the state file cannot be written,
// the validator does not send the commit (a commit whose salt is lost can
// never be revealed, and it would use up the epoch's commit); it counts
// errors{state}, keeps nothing pending, and commits once the file can be
// written again.
func TestNoCommitWithoutTheSaltOnDisk(t *testing.T) {
	addr, key, hash := realMiner(t, nil)
	self := newKey()
	fc := &flakyCommits{fakeChain: &fakeChain{mg: newMetagraph(self.Address(), []subnettypes.AxonInfo{{Endpoint: addr, ModelHash: hash}}, []string{key.Address()}, true)}}
	dir := t.TempDir() + "/state"
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	v := newValidator(t, fc, self, Config{StatePath: dir + "/s.json"})
	sync := func(h int64) {
		t.Helper()
		fc.setBlock(h)
		if err := v.Sync(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	sync(8)
	if _, err := v.RunRound(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The state's directory becomes a file: every save fails (as root, a
	// read-only mode would not stop the write).
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	stateErrors := func() float64 {
		var d dto.Metric
		if err := v.m.errors.WithLabelValues("state").Write(&d); err != nil {
			t.Fatal(err)
		}
		return d.GetCounter().GetValue()
	}
	before := stateErrors()
	sync(9)
	if fc.sent != 0 {
		t.Fatalf("%d commits sent with the state file unwritable, want 0", fc.sent)
	}
	if p := v.State().Pending; len(p) != 0 {
		t.Fatalf("pending %+v, want none: the commit was not sent", p)
	}
	if got := stateErrors() - before; got < 1 {
		t.Fatalf("errors{state} rose by %v, want ≥ 1", got)
	}
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	sync(10)
	if fc.sent != 1 || pendingEpoch(v, 1) == nil {
		t.Fatalf("after the file is writable again: %d commits sent, pending %+v; want the epoch's commit", fc.sent, v.State().Pending)
	}
	b, err := os.ReadFile(dir + "/s.json")
	if err != nil {
		t.Fatal(err)
	}
	st, err := state.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Pending) != 1 || st.Pending[0].Salt == "" {
		t.Fatalf("the saved state holds %+v, want the commit with its salt", st.Pending)
	}
}
