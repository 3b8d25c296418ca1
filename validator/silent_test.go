package validator

import (
	"context"
	"slices"
	"testing"

	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// TestDeadMinerGetsNoWeight: a miner that fails every query of an epoch
// gets no weight in the next epoch's vector although its EMA is still well
// above 0; once it answers again it is weighted by its EMA again.
// Blocks by hand: netuid 3, tempo 10, so epochs start at 8, 19, 30.
func TestDeadMinerGetsNoWeight(t *testing.T) {
	addrA, keyA, hash := realMiner(t, nil)
	addrB, keyB, _ := realMiner(t, nil)
	self := newKey()
	fc := &fakeChain{mg: newMetagraph(self.Address(), []subnettypes.AxonInfo{{Endpoint: addrA, ModelHash: hash}, {Endpoint: addrB, ModelHash: hash}},
		[]string{keyA.Address(), keyB.Address()}, false)}
	v := newValidator(t, fc, self, Config{BatchSize: 40, Pairs: 20})
	ctx := context.Background()
	at := func(h int64, rounds int) {
		t.Helper()
		fc.setBlock(h)
		if err := v.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		for range rounds {
			if _, err := v.RunRound(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	setAxonB := func(endpoint string) {
		fc.mu.Lock()
		fc.mg.Neurons[2].Axon = &subnettypes.AxonInfo{Endpoint: endpoint, ModelHash: hash}
		fc.mu.Unlock()
	}
	lastSet := func() []uint32 { return fc.set[len(fc.set)-1][0] }

	at(5, 2) // epoch 0: both answer
	at(8, 0) // epoch 1: weights for both
	if got := lastSet(); !slices.Equal(got, []uint32{1, 2}) {
		t.Fatalf("epoch 1 weights on uids %v, want [1 2]", got)
	}

	setAxonB("127.0.0.1:1") // B dies: every query of epoch 1 fails
	at(9, 3)
	ema := v.State().Score(2).Score
	if ema < 0.2 {
		t.Fatalf("B's EMA after 3 failures is %v; the test wants one well above 0", ema)
	}
	at(19, 0) // epoch 2: B answered nothing in epoch 1
	if got := lastSet(); !slices.Equal(got, []uint32{1}) {
		t.Fatalf("epoch 2 weights on uids %v, want [1] only (B silent, EMA %.3f)", got, ema)
	}

	setAxonB(addrB) // B is back in epoch 2
	at(20, 1)
	at(30, 0) // epoch 3: weighted by its EMA again
	if got := lastSet(); !slices.Equal(got, []uint32{1, 2}) {
		t.Fatalf("epoch 3 weights on uids %v, want [1 2]", got)
	}
	if s := v.State().Score(2); s.AnsweredEpoch != 2 || s.FailedEpoch != 1 {
		t.Fatalf("B answered in epoch %d, failed in %d; want 2 and 1", s.AnsweredEpoch, s.FailedEpoch)
	}
}
