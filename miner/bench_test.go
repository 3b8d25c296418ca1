package miner

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/dataset"
	"github.com/assay-network/assay/miner/model"
	synapsev1 "github.com/assay-network/assay/synapse/v1"
)

// benchModel is a model the benchmarks serve and a request maker for it.
type benchModel struct {
	name    string
	m       *model.Model
	request func(n int) *synapsev1.InferRequest
}

// benchModels are the CPS fixture (hermetic) and, when present, the
// reference german-credit model as `make models` builds it (mlp 63-16-2):
// ASSAY_BENCH_MODEL names another file.
func benchModels(b *testing.B) []benchModel {
	_, cps := fixture(b)
	out := []benchModel{{name: "cps", m: cps, request: func(n int) *synapsev1.InferRequest { return request(b, 0, n) }}}
	path := os.Getenv("ASSAY_BENCH_MODEL")
	if path == "" {
		path = "../models/german-credit-good.amdl"
	}
	m, _, err := model.Load(path)
	if err != nil {
		b.Logf("only the CPS fixture: %v (run make models, or set ASSAY_BENCH_MODEL)", err)
		return out
	}
	return append(out, benchModel{name: m.Header.Dataset, m: m, request: func(n int) *synapsev1.InferRequest {
		return schemaRequest(m, n)
	}})
}

// schemaRequest makes n valid raw rows for m's feature schema (seeded).
func schemaRequest(m *model.Model, n int) *synapsev1.InferRequest {
	rng := rand.New(rand.NewPCG(7, uint64(n)))
	rows := make([][]float64, 0, n)
	for range n {
		var v []float64
		for _, f := range m.Header.Schema.Features {
			if f.Kind == dataset.Categorical {
				v = append(v, float64(rng.IntN(len(f.Categories))))
			} else {
				v = append(v, float64(18+rng.IntN(60)))
			}
		}
		rows = append(rows, v)
	}
	return client.NewInferRequest(testNetuid, rows)
}

func withModel(m *model.Model) func(*Deps) { return func(d *Deps) { d.Model = m } }

// cpuTime is this process's user+system CPU time. Benchmarks report rows
// per CPU-second besides rows per wall-second: on a shared machine other
// processes' load moves wall-clock rates, but barely the CPU each row costs,
// and served/raw at saturation is the ratio of the two CPU costs.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportRates reports rows/s (wall), and rows/cpu-s and cpu-µs/req since cpu0.
func reportRates(b *testing.B, rows int, cpu0 time.Duration) {
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(rows*b.N)/cpu.Seconds(), "rows/cpu-s")
		b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/req")
	}
}

// latencies collects per-call durations from concurrent goroutines.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

// report adds p50_µs and p99_µs (closed loop: each caller sends its next
// request when the last is answered).
func (l *latencies) report(b *testing.B) {
	if len(l.d) == 0 {
		return
	}
	slices.Sort(l.d)
	b.ReportMetric(float64(l.d[len(l.d)/2].Microseconds()), "p50_µs")
	b.ReportMetric(float64(l.d[len(l.d)*99/100].Microseconds()), "p99_µs")
}

// Raw forward pass vs served throughput, same process, same parallelism
// (GOMAXPROCS goroutines, each issuing whole batches). Compare rows/s.
//
//	go test -run '^$' -bench 'Forward|Served' -benchtime 2s ./miner
func BenchmarkForwardRaw(b *testing.B) {
	for _, bm := range benchModels(b) {
		m := bm.m
		p, err := model.NewPredictor(m, model.PredictorOptions{})
		if err != nil {
			b.Fatal(err)
		}
		for _, n := range []int{1, 32, 256} {
			b.Run(fmt.Sprintf("model=%s/batch=%d", bm.name, n), func(b *testing.B) {
				req := bm.request(n)
				raw, err := client.RequestRows(req)
				if err != nil {
					b.Fatal(err)
				}
				enc, err := m.Encode(raw)
				if err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				cpu0 := cpuTime()
				var lat latencies
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						t0 := time.Now()
						if _, err := p.Predict(context.Background(), enc); err != nil {
							b.Error(err)
							return
						}
						lat.add(time.Since(t0))
					}
				})
				reportRates(b, n, cpu0)
				lat.report(b)
			})
		}
	}
}

func BenchmarkServed(b *testing.B) {
	for _, bm := range benchModels(b) {
		for _, n := range []int{1, 32, 256} {
			b.Run(fmt.Sprintf("model=%s/batch=%d", bm.name, n), func(b *testing.B) {
				h := startServer(b, Config{BatchWindow: 500 * time.Microsecond}, withModel(bm.m))
				d := client.NewDendrite(h.validator, nil)
				req := bm.request(n)
				b.SetParallelism(8) // enough requests in flight for batching to merge them
				b.ResetTimer()
				cpu0 := cpuTime()
				var lat latencies
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						t0 := time.Now()
						if _, err := d.Infer(context.Background(), h.axon, req, 10*time.Second); err != nil {
							b.Error(err)
							return
						}
						lat.add(time.Since(t0))
					}
				})
				reportRates(b, n, cpu0)
				lat.report(b)
			})
		}
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

// BenchmarkServedMinerSide is the miner's own capacity: requests are encoded
// and signed before the timer (and sent as Dendrite sends them, the encoded
// bytes as they are) and responses are not verified, because on a network
// the validator's two secp256k1 operations run on the validator's cores,
// not the miner's. Each request still costs the miner one signature
// verification and one signature.
func BenchmarkServedMinerSide(b *testing.B) {
	for _, bm := range benchModels(b) {
		for _, n := range []int{1, 32, 256} {
			b.Run(fmt.Sprintf("model=%s/batch=%d", bm.name, n), func(b *testing.B) {
				h := startServer(b, Config{BatchWindow: 500 * time.Microsecond}, withModel(bm.m))
				body, err := client.MarshalBody(bm.request(n))
				if err != nil {
					b.Fatal(err)
				}
				mds := make([]metadata.MD, b.N)
				nonce := time.Now().UnixNano()
				for i := range mds {
					md, _, err := client.SignEncoded(h.validator, body, h.miner.Address(), nonce+int64(i))
					if err != nil {
						b.Fatal(err)
					}
					mds[i] = md
				}
				var next atomic.Int64
				b.SetParallelism(8)
				b.ResetTimer()
				cpu0 := cpuTime()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						md := mds[next.Add(1)-1]
						// As Dendrite sends: the encoded body as is (RawCodec).
						ctx := metadata.NewOutgoingContext(context.Background(), md)
						if err := h.conn.Invoke(ctx, synapsev1.Axon_Infer_FullMethodName, client.EncodedRequest(body),
							new(synapsev1.InferResponse), grpc.ForceCodecV2(client.RawCodec{})); err != nil {
							b.Error(err)
							return
						}
					}
				})
				reportRates(b, n, cpu0)
			})
		}
	}
}
