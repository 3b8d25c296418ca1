package validator

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/grpc"

	synapsev1 "github.com/assay-network/assay/synapse/v1"
	"github.com/assay-network/assay/validator/scoring"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// TestTrivialMinerEarnsNothing: a miner that always answers the validation
// split's majority class scores 0 with the reason "trivial" (DESIGN §12),
// still counts as answering, and gets no weight next to a real model.
func TestTrivialMinerEarnsNothing(t *testing.T) {
	d, _ := fixture(t)
	_, labels := d.Rows(d.Validation)
	classes := len(d.Schema.Classes)
	maj, err := scoring.MajorityClass(labels, classes)
	if err != nil {
		t.Fatal(err)
	}
	constant := make([]float64, classes)
	constant[maj] = 1
	goodAddr, goodKey, hash := realMiner(t, nil)
	trivialKey := newKey()
	trivialAddr := serve(t, func(s *grpc.Server) {
		synapsev1.RegisterAxonServer(s, &badMiner{signAs: trivialKey, hash: hash, outputs: func(n int) [][]float64 { return rows(n, constant...) }})
	})
	self := newKey()
	fc := &fakeChain{mg: newMetagraph(self.Address(), []subnettypes.AxonInfo{{Endpoint: goodAddr, ModelHash: hash}, {Endpoint: trivialAddr, ModelHash: hash}},
		[]string{goodKey.Address(), trivialKey.Address()}, false)}
	v := newValidator(t, fc, self, Config{BatchSize: 60, Pairs: 30})
	ctx := context.Background()
	if err := v.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	obs, err := v.RunRound(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if obs[0].Reason != "" || obs[1].Reason != reasonTrivial {
		t.Fatalf("reasons %q (%v), %q: want \"\" and %q", obs[0].Reason, obs[0].Err, obs[1].Reason, reasonTrivial)
	}
	if obs[1].Result.Quality <= 0 || obs[1].Result.Skill != 0 {
		t.Errorf("trivial answer: quality %v skill %v, want a quality and skill 0", obs[1].Result.Quality, obs[1].Result.Skill)
	}
	s := v.State().Score(2)
	if s.Score != 0 || !strings.HasPrefix(s.LastError, "trivial: ") {
		t.Errorf("trivial uid state %+v: want score 0, last error trivial", s)
	}
	if n := failures(t, v, reasonTrivial); n != 1 {
		t.Errorf("query_failures_total{reason=trivial} = %v, want 1", n)
	}
	fc.setBlock(6)
	if err := v.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if len(fc.set) != 1 || len(fc.set[0][0]) != 1 || fc.set[0][0][0] != 1 {
		t.Fatalf("set weights %v, want uid 1 only", fc.set)
	}

	// Epoch 1 (blocks 8–18): a trivial answer is an answer, not a failure.
	fc.setBlock(9)
	if err := v.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := v.RunRound(ctx); err != nil {
		t.Fatal(err)
	}
	if s := v.State().Score(2); s.AnsweredEpoch != 1 || s.FailedEpoch != 0 {
		t.Errorf("trivial uid answered epoch %d, failed epoch %d: want 1 and 0", s.AnsweredEpoch, s.FailedEpoch)
	}
}

// failures reads query_failures_total for one reason from v's registry.
func failures(t *testing.T, v *Validator, reason string) float64 {
	t.Helper()
	return counter(t, v, "assay_validator_query_failures_total", reason)
}

// counter reads the counter name{reason} from v's registry (0 if absent).
func counter(t *testing.T, v *Validator, name, reason string) float64 {
	t.Helper()
	mfs, err := v.deps.Gatherer.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "reason" && l.GetValue() == reason {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}
