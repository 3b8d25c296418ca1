package validator

import (
	"context"
	"testing"
	"time"

	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// TestSlowChainDoesNotHoldTheRound: when the chain is too slow to say who
// published a hash first, the round still ends by its deadline and judges
// no copy on that hash; once the chain answers, the copy is found.
func TestSlowChainDoesNotHoldTheRound(t *testing.T) {
	_, a := fixture(t)
	pa := predictor(t, a)
	fileA, hashA := modelFile(t, a)
	addr1, key1, _ := servingMiner(t, a, fileA, pa.Predict)
	addr2, key2, _ := servingMiner(t, a, fileA, pa.Predict)
	self := newKey()
	fc := &fakeChain{mg: newMetagraph(self.Address(), []subnettypes.AxonInfo{
		{Endpoint: addr1, ModelHash: hashA}, {Endpoint: addr2, ModelHash: hashA}},
		[]string{key1.Address(), key2.Address()}, false),
		pubs:     map[string]subnettypes.ModelPublisher{hashA: {Block: 3, Uid: 1, Hotkey: key1.Address()}},
		pubDelay: time.Minute}
	slowTask(fc)
	v := newValidator(t, fc, self, Config{BatchSize: 60, Pairs: 30})
	ctx := context.Background()
	if err := v.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	obs, err := v.RunRound(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("round took %v with a stuck chain; its deadline is 2s", took)
	}
	if obs[0].Reason != "" || obs[1].Reason != "" {
		t.Errorf("no publisher known: reasons %q, %q (%v), want none judged", obs[0].Reason, obs[1].Reason, obs[1].Err)
	}
	fc.mu.Lock()
	fc.pubDelay = 0
	fc.mu.Unlock()
	if obs, err = v.RunRound(ctx); err != nil {
		t.Fatal(err)
	}
	if obs[0].Reason != "" || obs[1].Reason != copyOf(1) {
		t.Errorf("chain back: reasons %q, %q, want \"\" and %q", obs[0].Reason, obs[1].Reason, copyOf(1))
	}
}
