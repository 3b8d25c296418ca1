package validator

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/assay-network/assay/task"
)

// BenchmarkRound256 is one scoring round over 256 real miners on loopback
// (miner.Server, one shared model.Predictor, in a child process:
// bench_miners_test.go): sample a 250-row challenge
// (170 held-out rows, 80 counterfactual twins), sign 256 requests, gather
// and verify 256 signed answers, score them and save the state; with
// replay=1.0 every answer row is also re-run through the validator's own
// forward pass of the miner's published model (DESIGN §12), with
// replay=off it is not. Each miner serves its own file (its own hash), so
// the replay costs 256 forward passes, as on a subnet of 256 models.
//
// cpu-ms/round is this process's CPU per round (getrusage): the
// validator's alone, the miners run in the child. Replay's cost is the
// difference between the two runs; see validator/README.md for the
// numbers.
func BenchmarkRound256(b *testing.B) {
	const n = 256
	axons, hotkeys := benchMiners(b, n)
	for _, replay := range []bool{false, true} {
		name := "replay=off"
		if replay {
			name = "replay=1.0"
		}
		b.Run(name, func(b *testing.B) {
			self := newKey()
			fc := &fakeChain{mg: newMetagraph(self.Address(), axons, hotkeys, true)}
			fc.mg.Subnet.TaskSpec, fc.mg.Subnet.TaskHash = cpsTask(func(s *task.Spec) { s.MaxLatencyMS = 2000 }) // german-credit's deadline
			v := newValidator(b, fc, self, Config{BatchSize: 170, Pairs: 80})
			v.skipReplay = !replay
			ctx := context.Background()
			if err := v.Sync(ctx); err != nil {
				b.Fatal(err)
			}
			// Warm up: connections, and every model fetched once.
			for range 2 {
				if _, err := v.RunRound(ctx); err != nil {
					b.Fatal(err)
				}
			}
			var slowest time.Duration
			rows0 := mustCounterTotal(b, v, "assay_validator_replayed_rows_total")
			cpu0 := cpuTime()
			for b.Loop() {
				obs, err := v.RunRound(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if len(obs) != n {
					b.Fatalf("%d observations, want %d", len(obs), n)
				}
				for _, o := range obs {
					if o.Reason != "" {
						b.Fatalf("uid %d: %s: %v", o.UID, o.Reason, o.Err)
					}
					slowest = max(slowest, o.Latency)
				}
			}
			rounds := float64(b.N)
			b.ReportMetric(float64(slowest.Milliseconds()), "slowest-ms")
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1e3/rounds, "cpu-ms/round")
			if replay {
				b.ReportMetric((mustCounterTotal(b, v, "assay_validator_replayed_rows_total")-rows0)/rounds/n, "replayed-rows/miner")
			}
		})
	}
}

// cpuTime is this process's user + system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(fmt.Sprintf("getrusage: %v", err))
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// mustCounterTotal is the value of an unlabelled counter in v's registry.
func mustCounterTotal(b *testing.B, v *Validator, name string) float64 {
	mfs, err := v.deps.Gatherer.Gather()
	if err != nil {
		b.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	b.Fatalf("no metric %s", name)
	return 0
}
