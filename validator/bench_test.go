package validator

import (
	"context"
	"testing"
	"time"

	"github.com/assay-network/assay/miner/model"
	"github.com/assay-network/assay/task"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// BenchmarkRound256 is one scoring round over 256 real miners on loopback
// (miner.Server, one shared model.Predictor): sample a 64-row challenge with
// 32 counterfactual twins, sign 256 requests, gather and verify 256 signed
// answers, score them and save the state.
func BenchmarkRound256(b *testing.B) {
	_, m := fixture(b)
	p, err := model.NewPredictor(m, model.PredictorOptions{})
	if err != nil {
		b.Fatal(err)
	}
	const n = 256
	axons := make([]subnettypes.AxonInfo, n)
	hotkeys := make([]string, n)
	for i := range n {
		addr, key, hash := realMiner(b, p.Predict)
		axons[i] = subnettypes.AxonInfo{Endpoint: addr, ModelHash: hash}
		hotkeys[i] = key.Address()
	}
	self := newKey()
	fc := &fakeChain{mg: newMetagraph(self.Address(), axons, hotkeys, true)}
	fc.mg.Subnet.TaskSpec, fc.mg.Subnet.TaskHash = cpsTask(func(s *task.Spec) { s.MaxLatencyMS = 2000 }) // german-credit's deadline
	v := newValidator(b, fc, self, Config{BatchSize: 64, Pairs: 32})
	ctx := context.Background()
	if err := v.Sync(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := v.RunRound(ctx); err != nil { // warm up connections
		b.Fatal(err)
	}
	var slowest time.Duration
	for b.Loop() {
		obs, err := v.RunRound(ctx)
		if err != nil {
			b.Fatal(err)
		}
		for _, o := range obs {
			if o.Reason != "" {
				b.Fatalf("uid %d: %s: %v", o.UID, o.Reason, o.Err)
			}
			slowest = max(slowest, o.Latency)
		}
	}
	b.ReportMetric(float64(slowest.Milliseconds()), "slowest-ms")
}
