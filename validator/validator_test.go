package validator

import (
	"context"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"

	"github.com/assay-network/assay/client"
	synapsev1 "github.com/assay-network/assay/synapse/v1"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// TestBadMinersScoreZero: a good miner and five that misbehave — slow,
// garbage probabilities, wrong shape, a model other than the one announced,
// a signature by another key — and one whose endpoint is dead. Only the good
// one scores; each bad one gets 0 with its reason; weights go to the good one.
func TestBadMinersScoreZero(t *testing.T) {
	goodAddr, goodKey, goodHash := realMiner(t, nil)
	wrongAddr, wrongKey, _ := realMiner(t, nil) // announced with another hash below
	mk := func(b *badMiner) (string, string) {
		return serve(t, func(s *grpc.Server) { synapsev1.RegisterAxonServer(s, b) }), b.signAs.Address()
	}
	ok := func(n int) [][]float64 { return rows(n, 0.3, 0.7) }
	slowKey, garbageKey, shapeKey, forgedKey, forger := newKey(), newKey(), newKey(), newKey(), newKey()
	slowAddr, _ := mk(&badMiner{signAs: slowKey, hash: goodHash, delay: 2 * time.Second, outputs: ok})
	garbageAddr, _ := mk(&badMiner{signAs: garbageKey, hash: goodHash, outputs: func(n int) [][]float64 { return rows(n, nan, 1) }})
	shapeAddr, _ := mk(&badMiner{signAs: shapeKey, hash: goodHash, outputs: func(n int) [][]float64 { return rows(n, 0.2, 0.3, 0.5) }})
	forgedAddr, _ := mk(&badMiner{signAs: forger, hash: goodHash, outputs: ok})

	other := strings.Repeat("ab", 32)
	axons := []subnettypes.AxonInfo{
		{Endpoint: goodAddr, ModelHash: goodHash}, {Endpoint: slowAddr, ModelHash: goodHash},
		{Endpoint: garbageAddr, ModelHash: goodHash}, {Endpoint: shapeAddr, ModelHash: goodHash},
		{Endpoint: wrongAddr, ModelHash: other}, {Endpoint: forgedAddr, ModelHash: goodHash},
		{Endpoint: "127.0.0.1:1", ModelHash: goodHash},
	}
	hotkeys := []string{goodKey.Address(), slowKey.Address(), garbageKey.Address(), shapeKey.Address(),
		wrongKey.Address(), forgedKey.Address(), newKey().Address()}
	want := []string{"", "timeout", "bad_output", "bad_output", "wrong_model", "bad_signature", "unreachable"}
	self := newKey()
	fc := &fakeChain{mg: newMetagraph(self.Address(), axons, hotkeys, false)}
	v := newValidator(t, fc, self, Config{BatchSize: 60, Pairs: 30})
	ctx := context.Background()
	if err := v.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	obs, err := v.RunRound(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != len(axons) {
		t.Fatalf("%d observations for %d miners", len(obs), len(axons))
	}
	for _, o := range obs {
		w := want[o.UID-1]
		if o.Reason != w {
			t.Errorf("uid %d: reason %q (%v), want %q", o.UID, o.Reason, o.Err, w)
		}
		s := v.State().Score(o.UID)
		// The fixture task scores balanced accuracy over 6 occupations:
		// chance is 1/6, and the good model is well clear of it.
		if w == "" && (s.Score <= 0.3 || s.Quality <= 0.3) {
			t.Errorf("good miner: score %v quality %v", s.Score, s.Quality)
		}
		if w != "" && (s.Score != 0 || !strings.HasPrefix(s.LastError, w)) {
			t.Errorf("uid %d: score %v last error %q, want 0 and %q", o.UID, s.Score, s.LastError, w)
		}
	}
	if o := obs[1]; o.Latency > 600*time.Millisecond {
		t.Errorf("slow miner held the round for %v; deadline is the task's 400ms", o.Latency)
	}
	// commit-reveal off: the next block sets weights, on the good UID only.
	fc.setBlock(6)
	if err := v.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if len(fc.set) != 1 || len(fc.set[0][0]) != 1 || fc.set[0][0][0] != 1 || fc.set[0][1][0] != 65535 {
		t.Fatalf("set weights %v, want uid 1 only at 65535", fc.set)
	}
	// Once per epoch: the next block of the same epoch sets nothing.
	fc.setBlock(7)
	_ = v.Sync(ctx)
	if len(fc.set) != 1 {
		t.Errorf("weights set %d times in one epoch", len(fc.set))
	}
}

// TestCommitRevealRetriesAndRestart walks blocks by hand: a rate-limited
// commit is retried, the commit is revealed in its window, and a validator
// restarted from the state file between commit and reveal reveals it.
func TestCommitRevealRetriesAndRestart(t *testing.T) {
	addr, key, hash := realMiner(t, nil)
	self := newKey()
	fc := &fakeChain{mg: newMetagraph(self.Address(), []subnettypes.AxonInfo{{Endpoint: addr, ModelHash: hash}}, []string{key.Address()}, true), failCommits: 1}
	statePath := t.TempDir() + "/s.json"
	v := newValidator(t, fc, self, Config{StatePath: statePath})
	ctx := context.Background()
	if err := v.Sync(ctx); err != nil { // block 5, no scores yet: nothing
		t.Fatal(err)
	}
	if _, err := v.RunRound(ctx); err != nil {
		t.Fatal(err)
	}
	fc.setBlock(6) // commit refused (rate limit) → retry at block 7
	_ = v.Sync(ctx)
	if len(fc.commits) != 0 || len(v.State().Pending) != 0 {
		t.Fatalf("refused commit kept: chain %d, state %d", len(fc.commits), len(v.State().Pending))
	}
	fc.setBlock(7)
	_ = v.Sync(ctx)
	if len(fc.commits) != 1 {
		t.Fatalf("commit not retried: %d on chain", len(fc.commits))
	}
	p := v.State().Pending
	if len(p) != 1 || p[0].Block != 8 || p[0].RevealFrom != 19 || p[0].RevealUntil != 29 {
		// commit at 8: E = (8+3)/11 = 1; window = epoch 2 = [22−3, 33−3−1] = [19, 29]
		t.Fatalf("pending %+v, want block 8, reveal 19–29", p)
	}

	// "Crash": a new validator on the same state file, chain moved on.
	v2 := newValidator(t, fc, self, Config{StatePath: statePath})
	fc.setBlock(18)
	_ = v2.Sync(ctx)
	if len(fc.reveals) != 0 {
		t.Fatal("revealed before the window")
	}
	fc.setBlock(19)
	_ = v2.Sync(ctx)
	if len(fc.reveals) != 1 || fc.reveals[0][0][0] != 1 {
		t.Fatalf("reveals %v, want the pending commit", fc.reveals)
	}
	if n := len(v2.State().Pending); n != 1 { // block 19 is epoch 2: a new commit was made
		t.Fatalf("%d pending after reveal and recommit, want 1: %+v", n, v2.State().Pending)
	}
}

// TestReregisteredUIDReset: a UID taken by a new hotkey loses the old score.
func TestReregisteredUIDReset(t *testing.T) {
	addr, key, hash := realMiner(t, nil)
	self := newKey()
	fc := &fakeChain{mg: newMetagraph(self.Address(), []subnettypes.AxonInfo{{Endpoint: addr, ModelHash: hash}}, []string{key.Address()}, true)}
	v := newValidator(t, fc, self, Config{})
	ctx := context.Background()
	_ = v.Sync(ctx)
	if _, err := v.RunRound(ctx); err != nil {
		t.Fatal(err)
	}
	if v.State().Score(1) == nil {
		t.Fatal("uid 1 not scored")
	}
	fc.mu.Lock()
	fc.mg.Neurons[1].Hotkey, fc.mg.Neurons[1].RegisteredAt, fc.mg.Block = newKey().Address(), 6, 6
	fc.mu.Unlock()
	_ = v.Sync(ctx)
	if s := v.State().Score(1); s != nil {
		t.Fatalf("score kept after re-registration: %+v", s)
	}
}

// TestChainDownRetried: Run survives a chain that refuses connections at
// first, then syncs once it is back.
func TestChainDownRetried(t *testing.T) {
	self := newKey()
	fc := &fakeChain{mg: newMetagraph(self.Address(), nil, nil, true), down: 2}
	v := newValidator(t, fc, self, Config{SyncInterval: 50 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- v.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		fc.mu.Lock()
		calls := fc.metaCalls
		fc.mu.Unlock()
		if calls >= 4 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d metagraph calls", calls)
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case err := <-done:
		t.Fatalf("Run returned while the chain was flaky: %v", err)
	default:
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

var _ Chain = (*ClientChain)(nil)
var _ = client.ErrBadSignature
