package validator

import (
	"context"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/assay-network/assay/miner/model"
	synapsev1 "github.com/assay-network/assay/synapse/v1"
	"github.com/assay-network/assay/task"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// TestReplayCatchesSwaps: an honest miner is verified; a miner that
// publishes one model and answers with another (a swap), and one that
// answers with the published model only on the rows it guesses will be
// replayed, end as mismatch (DESIGN §12). The sample is drawn after the
// answers arrive, so the guess is a coin toss per row and a quarter-share
// replay still finds the other model's rows. Both get weight 0 for the
// epoch; the honest miner gets it all.
func TestReplayCatchesSwaps(t *testing.T) {
	_, a := fixture(t)
	b := perturbed(t, a, 0.05, 7) // the model the cheaters would rather serve
	pa, pb := predictor(t, a), predictor(t, b)
	fileA, hashA := modelFile(t, a)
	honestAddr, honestKey, _ := servingMiner(t, a, fileA, pa.Predict)
	fileA2, _ := modelFile(t, variant(a, 101))
	swapAddr, swapKey, hashSwap := servingMiner(t, a, fileA2, pb.Predict)
	fileA3, _ := modelFile(t, variant(a, 102))
	var mu sync.Mutex
	coin := rand.New(rand.NewPCG(1, 2))
	guess := func(ctx context.Context, rows [][]float64) ([][]float64, error) {
		oa, err := pa.Predict(ctx, rows)
		if err != nil {
			return nil, err
		}
		ob, err := pb.Predict(ctx, rows)
		if err != nil {
			return nil, err
		}
		mu.Lock()
		defer mu.Unlock()
		for i := range oa {
			if coin.IntN(2) == 0 { // "this row will not be replayed"
				oa[i] = ob[i]
			}
		}
		return oa, nil
	}
	guessAddr, guessKey, hashGuess := servingMiner(t, a, fileA3, guess)

	self := newKey()
	fc := &fakeChain{mg: newMetagraph(self.Address(), []subnettypes.AxonInfo{
		{Endpoint: honestAddr, ModelHash: hashA}, {Endpoint: swapAddr, ModelHash: hashSwap}, {Endpoint: guessAddr, ModelHash: hashGuess}},
		[]string{honestKey.Address(), swapKey.Address(), guessKey.Address()}, false)}
	slowTask(fc)
	v := newValidator(t, fc, self, Config{BatchSize: 60, Pairs: 30, ReplayFraction: 0.25})
	ctx := context.Background()
	if err := v.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	obs, err := v.RunRound(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"", reasonMismatch, reasonMismatch} {
		if o := obs[i]; o.Reason != want {
			t.Errorf("uid %d: reason %q (%v), want %q", o.UID, o.Reason, o.Err, want)
		}
	}
	for _, uid := range []uint32{2, 3} {
		s := v.State().Score(uid)
		if s.Reason != reasonMismatch || s.Score != 0 || s.MismatchEpoch == nil || !strings.HasPrefix(s.LastError, "mismatch: ") {
			t.Errorf("uid %d state %+v: want reason mismatch, score 0, mismatch epoch, last error", uid, s)
		}
	}
	if n := zeroScores(t, v, reasonMismatch); n != 2 {
		t.Errorf("zero_scores_total{reason=mismatch} = %v, want 2", n)
	}
	if n, _ := v.models.held(); n != 3 {
		t.Errorf("%d models cached, want 3 (one per hash)", n)
	}
	fc.setBlock(6)
	if err := v.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if len(fc.set) != 1 || len(fc.set[0][0]) != 1 || fc.set[0][0][0] != 1 {
		t.Fatalf("set weights %v, want uid 1 only", fc.set)
	}
}

// TestUnverifiableModels: miners that answer well but whose published file
// cannot be had — another file than its hash, an endless one, one that
// stalls mid-stream, a refusal, a model for another task — score 0 as
// unverifiable, each in the round's own time, and are not downloaded again
// next round (a failed fetch waits fetchRetry).
func TestUnverifiableModels(t *testing.T) {
	_, a := fixture(t)
	pa := predictor(t, a)
	fileA, hashA := modelFile(t, a)
	honestAddr, honestKey, _ := servingMiner(t, a, fileA, pa.Predict)

	// A model for the same rows but two classes: not this task's architecture.
	h := a.Header
	h.Schema.Classes = h.Schema.Classes[:2]
	h.Architecture.Classes, h.Architecture.Hidden = 2, []int{4}
	unfit, err := model.New(h, model.InitWeights(h.Architecture, 1))
	if err != nil {
		t.Fatal(err)
	}
	fileUnfit, hashUnfit := modelFile(t, unfit)
	stalled := make(chan struct{})
	t.Cleanup(func() { close(stalled) })
	liars := []struct {
		name     string
		hash     string
		getModel func(grpc.ServerStreamingServer[synapsev1.ModelChunk]) error
	}{
		{"other file", "", streamOf(fileA, 0)},
		{"huge", "", streamOf(make([]byte, 1<<20), 1<<40)},
		{"stall", "", func(s grpc.ServerStreamingServer[synapsev1.ModelChunk]) error {
			_ = s.Send(&synapsev1.ModelChunk{Data: fileA[:100], Offset: 0, TotalSize: uint64(len(fileA))})
			select {
			case <-stalled:
			case <-s.Context().Done():
			}
			return nil
		}},
		{"refuse", "", func(grpc.ServerStreamingServer[synapsev1.ModelChunk]) error {
			return status.Error(codes.PermissionDenied, "not telling")
		}},
		{"unfit", hashUnfit, streamOf(fileUnfit, 0)},
	}
	axons := []subnettypes.AxonInfo{{Endpoint: honestAddr, ModelHash: hashA}}
	hotkeys := []string{honestKey.Address()}
	var axs []*lyingAxon
	for i, l := range liars {
		hash := l.hash
		if hash == "" { // the same answers as A, under a hash of its own
			_, hash = modelFile(t, variant(a, uint64(200+i)))
		}
		ax := &lyingAxon{key: newKey(), hash: hash, m: a, p: pa, getModel: l.getModel, fetches: make(chan struct{}, 10)}
		axs = append(axs, ax)
		axons = append(axons, subnettypes.AxonInfo{Endpoint: serve(t, func(s *grpc.Server) { synapsev1.RegisterAxonServer(s, ax) }), ModelHash: hash})
		hotkeys = append(hotkeys, ax.key.Address())
	}
	self := newKey()
	fc := &fakeChain{mg: newMetagraph(self.Address(), axons, hotkeys, false)}
	fc.mg.Subnet.TaskSpec, fc.mg.Subnet.TaskHash = cpsTask(func(s *task.Spec) { s.MaxLatencyMS = 1000 })
	v := newValidator(t, fc, self, Config{BatchSize: 60, Pairs: 30, ModelCacheMB: 1, FetchTimeout: 5 * time.Second})
	ctx := context.Background()
	if err := v.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	for round := range 2 {
		start := time.Now()
		obs, err := v.RunRound(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// The deadline is the task's 1s; the stalled download goes on in the background.
		if took := time.Since(start); took > 2500*time.Millisecond {
			t.Errorf("round %d took %v: a model fetch held it past its deadline", round, took)
		}
		if o := obs[0]; o.Reason != "" {
			t.Errorf("round %d: honest uid: reason %q (%v)", round, o.Reason, o.Err)
		}
		for i, l := range liars {
			o := obs[i+1]
			if o.Reason != reasonUnverifiable || o.Result.Score != 0 {
				t.Errorf("round %d: %s (uid %d): reason %q score %v (%v), want unverifiable, 0", round, l.name, o.UID, o.Reason, o.Result.Score, o.Err)
			}
			if s := v.State().Score(o.UID); s.Reason != reasonUnverifiable || !strings.HasPrefix(s.LastError, "unverifiable: ") {
				t.Errorf("round %d: %s: state reason %q last error %q", round, l.name, s.Reason, s.LastError)
			}
			t.Logf("round %d: %s: %v", round, l.name, o.Err)
		}
	}
	for i, ax := range axs {
		if n := len(ax.fetches); n != 1 {
			t.Errorf("%s: GetModel called %d times in two rounds, want once", liars[i].name, n)
		}
	}
	if n := zeroScores(t, v, reasonUnverifiable); n != 2*float64(len(liars)) {
		t.Errorf("zero_scores_total{reason=unverifiable} = %v, want %d", n, 2*len(liars))
	}
}

// TestCopiesEarnNothing: two honest miners serving the identical model
// file: only the one the chain recorded as its first publisher earns, the
// other is "copy of uid N" — intended (DESIGN §12): a model is paid once,
// to whoever published it first, even when a second miner trained the
// same bytes on its own. A third serves the same weights under another
// hash (published later): a near-copy, zeroed the same way.
func TestCopiesEarnNothing(t *testing.T) {
	_, a := fixture(t)
	pa := predictor(t, a)
	fileA, hashA := modelFile(t, a)
	addr1, key1, _ := servingMiner(t, a, fileA, pa.Predict)
	addr2, key2, _ := servingMiner(t, a, fileA, pa.Predict)
	fileV, hashV := modelFile(t, variant(a, 300))
	addr3, key3, _ := servingMiner(t, a, fileV, pa.Predict)
	self := newKey()
	fc := &fakeChain{mg: newMetagraph(self.Address(), []subnettypes.AxonInfo{
		{Endpoint: addr1, ModelHash: hashA}, {Endpoint: addr2, ModelHash: hashA}, {Endpoint: addr3, ModelHash: hashV}},
		[]string{key1.Address(), key2.Address(), key3.Address()}, false)}
	slowTask(fc)
	// uid 2 published hashA first (block 3), uid 1 later served it too.
	fc.pubs = map[string]subnettypes.ModelPublisher{
		hashA: {Block: 3, Uid: 2, Hotkey: key2.Address()},
		hashV: {Block: 4, Uid: 3, Hotkey: key3.Address()},
	}
	v := newValidator(t, fc, self, Config{BatchSize: 60, Pairs: 30})
	ctx := context.Background()
	if err := v.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	obs, err := v.RunRound(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"copy of uid 2", "", "copy of uid 2"} {
		if o := obs[i]; o.Reason != want {
			t.Errorf("uid %d: reason %q (%v), want %q", o.UID, o.Reason, o.Err, want)
		}
		t.Logf("uid %d: %v", obs[i].UID, obs[i].Err)
	}
	if s := v.State().Score(1); s.Reason != "copy of uid 2" || s.Score != 0 {
		t.Errorf("uid 1 state: reason %q score %v", s.Reason, s.Score)
	}
	if n := zeroScores(t, v, "copy"); n != 2 {
		t.Errorf(`zero_scores_total{reason="copy"} = %v, want 2`, n)
	}
	if n, _ := v.models.held(); n != 2 {
		t.Errorf("%d models cached, want 2 (the copy's file is its publisher's)", n)
	}
	fc.setBlock(6)
	if err := v.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if len(fc.set) != 1 || len(fc.set[0][0]) != 1 || fc.set[0][0][0] != 2 {
		t.Fatalf("set weights %v, want uid 2 only", fc.set)
	}
}

// slowTask gives the round a 2 s deadline (german-credit's): time for the
// first round's model downloads on a loaded machine (or under -race).
func slowTask(fc *fakeChain) {
	fc.mg.Subnet.TaskSpec, fc.mg.Subnet.TaskHash = cpsTask(func(s *task.Spec) { s.MaxLatencyMS = 2000 })
}

// zeroScores reads zero_scores_total for one reason label.
func zeroScores(t *testing.T, v *Validator, reason string) float64 {
	t.Helper()
	return counter(t, v, "assay_validator_zero_scores_total", reason)
}

// TestMismatchCostsTheEpoch: a miner caught swapping once gets weight 0 in
// the weights built in that epoch and the next, even after honest rounds
// have lifted its average above 0 (DESIGN §12: "marked mismatch for the
// epoch"); two epochs on it is paid again.
func TestMismatchCostsTheEpoch(t *testing.T) {
	_, a := fixture(t)
	pa, pb := predictor(t, a), predictor(t, perturbed(t, a, 0.05, 7))
	var swap atomic.Bool
	swap.Store(true)
	predict := func(ctx context.Context, rows [][]float64) ([][]float64, error) {
		if swap.Load() {
			return pb.Predict(ctx, rows)
		}
		return pa.Predict(ctx, rows)
	}
	fileA, hashA := modelFile(t, a)
	honestAddr, honestKey, _ := servingMiner(t, a, fileA, pa.Predict)
	fileV, hashV := modelFile(t, variant(a, 400))
	swapAddr, swapKey, _ := servingMiner(t, a, fileV, predict)
	self := newKey()
	fc := &fakeChain{mg: newMetagraph(self.Address(), []subnettypes.AxonInfo{
		{Endpoint: honestAddr, ModelHash: hashA}, {Endpoint: swapAddr, ModelHash: hashV}},
		[]string{honestKey.Address(), swapKey.Address()}, false)}
	slowTask(fc)
	v := newValidator(t, fc, self, Config{BatchSize: 60, Pairs: 30})
	ctx := context.Background()
	round := func(block int64, want string) {
		t.Helper()
		fc.setBlock(block)
		if err := v.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		obs, err := v.RunRound(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if obs[1].Reason != want {
			t.Fatalf("block %d: swapping uid: reason %q (%v), want %q", block, obs[1].Reason, obs[1].Err, want)
		}
	}
	last := func() []uint32 {
		t.Helper()
		if len(fc.set) == 0 {
			t.Fatal("no weights set")
		}
		return fc.set[len(fc.set)-1][0]
	}
	// Tempo 10, netuid 3: epoch e spans blocks [11e − 3, 11e + 7]; the
	// first Sync of an epoch with scores sets its weights.
	round(9, reasonMismatch) // epoch 1
	swap.Store(false)
	round(10, "") // epoch 1's weights are set here, then the round runs
	round(11, "")
	if s := v.State().Score(2); s.Score <= 0 || s.MismatchEpoch == nil || *s.MismatchEpoch != 1 {
		t.Fatalf("after honest rounds: %+v, want a score > 0 and mismatch epoch 1", s)
	}
	if uids := last(); len(uids) != 1 || uids[0] != 1 {
		t.Errorf("epoch 1 weights on %v, want uid 1 only", uids)
	}
	round(19, "") // epoch 2: a score > 0, but a mismatch in the previous epoch
	if uids := last(); len(uids) != 1 || uids[0] != 1 {
		t.Errorf("epoch 2 weights on %v, want uid 1 only", uids)
	}
	round(30, "") // epoch 3
	if uids := last(); len(uids) != 2 {
		t.Errorf("epoch 3 weights on %v, want both uids", uids)
	}
}
