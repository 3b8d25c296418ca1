package validator

import (
	"context"
	"slices"
	"testing"

	dto "github.com/prometheus/client_model/go"

	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// recordingChain records, per weights tx, the block it was sent at and the
// version key it carried.
type recordingChain struct {
	*fakeChain
	commitBlocks []int64
	versions     []uint64
}

func (r *recordingChain) CommitWeights(ctx context.Context, netuid uint16, hash []byte) (int64, error) {
	r.commitBlocks = append(r.commitBlocks, r.mg.Block)
	return r.fakeChain.CommitWeights(ctx, netuid, hash)
}

func (r *recordingChain) SetWeights(ctx context.Context, netuid uint16, uids, weights []uint32, version uint64) (int64, error) {
	r.versions = append(r.versions, version)
	return r.fakeChain.SetWeights(ctx, netuid, uids, weights, version)
}

func (r *recordingChain) RevealWeights(ctx context.Context, netuid uint16, uids, weights []uint32, salt []byte, version uint64) (int64, error) {
	r.versions = append(r.versions, version)
	return r.fakeChain.RevealWeights(ctx, netuid, uids, weights, salt, version)
}

// weightsRig is a validator that has scored one real miner at block 8
// (netuid 3, tempo 10: epoch 1 is blocks 8–18), on a recording chain.
func weightsRig(t *testing.T, commitReveal bool, cfg Config) (*Validator, *recordingChain, func(int64)) {
	t.Helper()
	addr, key, hash := realMiner(t, nil)
	self := newKey()
	rc := &recordingChain{fakeChain: &fakeChain{mg: newMetagraph(self.Address(), []subnettypes.AxonInfo{{Endpoint: addr, ModelHash: hash}}, []string{key.Address()}, commitReveal)}}
	v := newValidator(t, rc, self, cfg)
	sync := func(h int64) {
		t.Helper()
		rc.setBlock(h)
		if err := v.Sync(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	sync(8)
	if _, err := v.RunRound(context.Background()); err != nil {
		t.Fatal(err)
	}
	return v, rc, sync
}

func weightTxs(t *testing.T, v *Validator, kind, result string) float64 {
	t.Helper()
	var d dto.Metric
	if err := v.m.weightTxs.WithLabelValues(kind, result).Write(&d); err != nil {
		t.Fatal(err)
	}
	return d.GetCounter().GetValue()
}

// TestVersionKeyIsTheLargerOfFlagAndSubnet: validator README: the weights'
// version_key is max(--version-key, the subnet's weights_version), on a
// set and on a reveal alike.
func TestVersionKeyIsTheLargerOfFlagAndSubnet(t *testing.T) {
	for _, tc := range []struct {
		name         string
		commitReveal bool
		flag, subnet uint64
		want         uint64
	}{
		{"set, subnet higher", false, 3, 7, 7},
		{"set, flag higher", false, 9, 7, 9},
		{"reveal, subnet higher", true, 0, 4, 4},
		{"reveal, flag higher", true, 12, 4, 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, rc, sync := weightsRig(t, tc.commitReveal, Config{VersionKey: tc.flag})
			rc.mu.Lock()
			rc.mg.Subnet.Hyperparams.WeightsVersion = tc.subnet
			rc.mu.Unlock()
			sync(9)
			if tc.commitReveal {
				sync(19) // the commit of block 9 reveals in 19–29
			}
			if !slices.Equal(rc.versions, []uint64{tc.want}) {
				t.Fatalf("version keys sent %v, want [%d]", rc.versions, tc.want)
			}
			if weightTxs(t, v, map[bool]string{false: "set", true: "reveal"}[tc.commitReveal], "ok") != 1 {
				t.Fatal("the weights tx was not counted ok")
			}
		})
	}
}

// TestFailedCommitBacksOffDoubling: validator README: a failed commit (or
// set) is retried after 1, 2, 4, 8, then every 16 blocks, and the first
// success resets the backoff.
func TestFailedCommitBacksOffDoubling(t *testing.T) {
	v, rc, sync := weightsRig(t, true, Config{})
	rc.failCommits = 6
	for h := int64(9); h <= 57; h++ {
		sync(h)
		if _, err := v.RunRound(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	want := []int64{9, 10, 12, 16, 24, 40, 56}
	if !slices.Equal(rc.commitBlocks, want) {
		t.Fatalf("commits sent at blocks %v, want %v", rc.commitBlocks, want)
	}
	if got := weightTxs(t, v, "commit", "error"); got != 6 {
		t.Fatalf("weight_txs_total{commit,error} = %v, want 6", got)
	}
	if got := weightTxs(t, v, "commit", "ok"); got != 1 {
		t.Fatalf("weight_txs_total{commit,ok} = %v, want 1", got)
	}
	if v.wr.failures != 0 || v.wr.nextAt != 0 {
		t.Fatalf("backoff not reset by the success: %+v", v.wr)
	}
}

// TestCommitNeverRevealedIsCountedExpired: a validator that was away for
// the whole reveal window of its commit drops it on return and counts
// weight_txs_total{reveal,expired}; nothing is revealed late.
func TestCommitNeverRevealedIsCountedExpired(t *testing.T) {
	v, rc, sync := weightsRig(t, true, Config{})
	sync(9) // commits; reveals in 19–29
	if len(v.State().Pending) != 1 {
		t.Fatalf("pending after the commit: %+v", v.State().Pending)
	}
	sync(30) // back after the window closed
	if got := weightTxs(t, v, "reveal", "expired"); got != 1 {
		t.Fatalf("weight_txs_total{reveal,expired} = %v, want 1", got)
	}
	if pendingEpoch(v, 1) != nil || len(rc.reveals) != 0 {
		t.Fatalf("expired commit kept or revealed: pending %+v, reveals %v", v.State().Pending, rc.reveals)
	}
}
