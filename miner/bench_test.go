package miner

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc/metadata"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/client/synapsev1"
	"github.com/assay-network/assay/miner/model"
)

// Raw forward pass vs served throughput, same process, same parallelism
// (GOMAXPROCS goroutines, each issuing whole batches). Compare rows/s.
//
//	go test -run '^$' -bench 'Forward|Served' -benchtime 2s ./miner
func BenchmarkForwardRaw(b *testing.B) {
	_, m := fixture(b)
	p, err := model.NewPredictor(m, model.PredictorOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1, 32, 256} {
		b.Run(fmt.Sprintf("batch=%d", n), func(b *testing.B) {
			req := request(b, 0, n)
			raw := make([][]float64, n)
			for i, ex := range req.Inputs {
				raw[i] = ex.Values
			}
			enc, err := m.Encode(raw)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := p.Predict(context.Background(), enc); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

func BenchmarkServed(b *testing.B) {
	for _, n := range []int{1, 32, 256} {
		b.Run(fmt.Sprintf("batch=%d", n), func(b *testing.B) {
			h := startServer(b, Config{BatchWindow: 500 * time.Microsecond}, nil)
			d := client.NewDendrite(h.validator, nil)
			req := request(b, 0, n)
			b.SetParallelism(8) // enough requests in flight for batching to merge them
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := d.Infer(context.Background(), h.axon, req, 10*time.Second); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkLatencyFixedRate sends batch-32 requests at a fixed rate (open
// loop, so slow answers do not slow the sender) and reports p50/p99.
func BenchmarkLatencyFixedRate(b *testing.B) {
	for _, rate := range []int{200, 1000} {
		b.Run(fmt.Sprintf("rps=%d", rate), func(b *testing.B) {
			h := startServer(b, Config{}, nil)
			d := client.NewDendrite(h.validator, nil)
			req := request(b, 0, 32)
			total := max(b.N, rate) // at least one second of traffic
			lat := make([]time.Duration, total)
			var wg sync.WaitGroup
			tick := time.NewTicker(time.Second / time.Duration(rate))
			defer tick.Stop()
			b.ResetTimer()
			for i := range total {
				<-tick.C
				wg.Go(func() {
					t0 := time.Now()
					if _, err := d.Infer(context.Background(), h.axon, req, 10*time.Second); err != nil {
						b.Error(err)
					}
					lat[i] = time.Since(t0)
				})
			}
			wg.Wait()
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50_µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99_µs")
		})
	}
}

// BenchmarkServedMinerSide is the miner's own capacity: requests are signed
// before the timer and responses are not verified, because on a network
// the validator's two secp256k1 operations run on the validator's cores,
// not the miner's. Each request still costs the miner one signature
// verification and one signature.
func BenchmarkServedMinerSide(b *testing.B) {
	for _, n := range []int{1, 32, 256} {
		b.Run(fmt.Sprintf("batch=%d", n), func(b *testing.B) {
			h := startServer(b, Config{BatchWindow: 500 * time.Microsecond}, nil)
			req := request(b, 0, n)
			mds := make([]metadata.MD, b.N)
			nonce := time.Now().UnixNano()
			for i := range mds {
				md, _, err := client.SignRequest(h.validator, req, h.miner.Address(), nonce+int64(i))
				if err != nil {
					b.Fatal(err)
				}
				mds[i] = md
			}
			ac := synapsev1.NewAxonClient(h.conn)
			var next atomic.Int64
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					md := mds[next.Add(1)-1]
					if _, err := ac.Infer(metadata.NewOutgoingContext(context.Background(), md), req); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
