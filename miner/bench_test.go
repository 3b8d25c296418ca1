package miner

import (
	"bufio"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
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

// BenchmarkServedMinerProcess is the miner's own cost with the caller in
// another process, as on a network: a child process (this test binary,
// the TestMain caller) signs b.N requests before the clock starts, then sends
// them from 16 goroutines exactly as Dendrite sends (encoded bytes as is);
// rows/cpu-s counts this process's CPU only (getrusage RUSAGE_SELF), so it
// is the miner's CPU per row: HTTP/2, decode, hashing, verify, encode,
// forward pass, sign, response. The child shares the 2 cores, so rows/s
// (wall) is pessimistic; compare rows/cpu-s with BenchmarkForwardRaw's.
func BenchmarkServedMinerProcess(b *testing.B) {
	for _, bm := range benchModels(b) {
		for _, n := range []int{1, 32, 256} {
			b.Run(fmt.Sprintf("model=%s/batch=%d", bm.name, n), func(b *testing.B) {
				benchMinerProcess(b, bm, n, nil)
			})
		}
	}
}

// BenchmarkServedOverhead is BenchmarkServedMinerProcess with the forward
// pass replaced by a constant answer of the right shape: what is left is
// the miner's fixed cost per request (transport, decode, body hash,
// signature check, encoding, batching, response signature), reported as
// µs/req of miner CPU. With F the raw forward pass's CPU per request
// (256 / BenchmarkForwardRaw's rows/cpu-s), served/raw cannot exceed
// F / (F + µs/req), whatever the model.
func BenchmarkServedOverhead(b *testing.B) {
	for _, bm := range benchModels(b) {
		for _, n := range []int{1, 32, 256} {
			b.Run(fmt.Sprintf("model=%s/batch=%d", bm.name, n), func(b *testing.B) {
				classes := bm.m.Header.Architecture.Classes
				flat := make([]float64, 256*classes)
				for i := range flat {
					flat[i] = 1 / float64(classes)
				}
				benchMinerProcess(b, bm, n, func(_ context.Context, rows [][]float64) ([][]float64, error) {
					out := make([][]float64, len(rows))
					for r := range out {
						out[r] = flat[r*classes : (r+1)*classes : (r+1)*classes]
					}
					return out, nil
				})
			})
		}
	}
}

// benchMinerProcess serves bm (or predict, if not nil) to a caller process
// sending b.N signed n-row requests, and reports the miner's CPU per row
// and per request.
func benchMinerProcess(b *testing.B, bm benchModel, n int, predict PredictFunc) {
	vk := secp256k1.GenPrivKey()
	caller := client.NewPrivKeySigner(vk)
	h := startServer(b, Config{BatchWindow: 500 * time.Microsecond}, func(d *Deps) {
		d.Model = bm.m
		d.Predict = predict
		d.Permits = mapPermits{caller.Address(): {UID: 1, Stake: 100}}
	})
	body, err := client.MarshalBody(bm.request(n))
	if err != nil {
		b.Fatal(err)
	}
	bodyFile := filepath.Join(b.TempDir(), "body")
	if err := os.WriteFile(bodyFile, body, 0o600); err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^$")
	cmd.Env = append(os.Environ(), "ASSAY_BENCH_CALLER="+strings.Join([]string{
		h.conn.Target(), hex.EncodeToString(vk.Key), h.miner.Address(), bodyFile, strconv.Itoa(b.N)}, ","))
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	expect := func(want string) []string {
		for lines.Scan() {
			if f := strings.Fields(lines.Text()); len(f) > 0 && f[0] == want {
				return f[1:]
			}
		}
		b.Fatalf("caller process: no %q line", want)
		return nil
	}
	expect("ready")
	b.ResetTimer()
	cpu0 := cpuTime()
	fmt.Fprintln(stdin, "go")
	pcts := expect("done")
	b.StopTimer()
	reportRates(b, n, cpu0)
	if len(pcts) == 2 {
		p50, _ := strconv.Atoi(pcts[0])
		p99, _ := strconv.Atoi(pcts[1])
		b.ReportMetric(float64(p50), "p50_µs")
		b.ReportMetric(float64(p99), "p99_µs")
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		b.Fatalf("caller process: %v", err)
	}
}

// TestMain turns the test binary into BenchmarkServedMinerProcess's caller
// process when ASSAY_BENCH_CALLER=target,privkey-hex,miner,body-file,count
// is set, into TestUnsignedFloodRSS's miner process when
// ASSAY_FLOOD_MINER=model-file is; otherwise it runs the tests as usual.
func TestMain(m *testing.M) {
	if path := os.Getenv("ASSAY_FLOOD_MINER"); path != "" {
		if err := floodMiner(path); err != nil {
			fmt.Fprintln(os.Stderr, "flood miner:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if env := os.Getenv("ASSAY_BENCH_CALLER"); env != "" {
		if err := benchCaller(env); err != nil {
			fmt.Fprintln(os.Stderr, "bench caller:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// benchCaller signs count requests, then sends them from 16 goroutines once
// a "go" line arrives on stdin, and prints the p50/p99 latency.
func benchCaller(env string) error {
	f := strings.Split(env, ",")
	key, _ := hex.DecodeString(f[1])
	body, err := os.ReadFile(f[3])
	if err != nil {
		return err
	}
	count, _ := strconv.Atoi(f[4])
	signer := client.NewPrivKeySigner(&secp256k1.PrivKey{Key: key})
	mds := make([]metadata.MD, count)
	nonce := time.Now().UnixNano()
	for i := range mds {
		if mds[i], _, err = client.SignEncoded(signer, body, f[2], nonce+int64(i)); err != nil {
			return err
		}
	}
	conn, err := grpc.NewClient(f[0], grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.Connect()
	fmt.Println("ready")
	in := bufio.NewScanner(os.Stdin)
	if !in.Scan() {
		return errors.New("no go line")
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var lat latencies
	var failed atomic.Pointer[error]
	for range 16 {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(count) {
					return
				}
				t0 := time.Now()
				ctx := metadata.NewOutgoingContext(context.Background(), mds[i])
				if err := conn.Invoke(ctx, synapsev1.Axon_Infer_FullMethodName, client.EncodedRequest(body),
					new(synapsev1.InferResponse), grpc.ForceCodecV2(client.RawCodec{})); err != nil {
					failed.CompareAndSwap(nil, &err)
					return
				}
				lat.add(time.Since(t0))
			}
		})
	}
	wg.Wait()
	if e := failed.Load(); e != nil {
		return *e
	}
	slices.Sort(lat.d)
	fmt.Println("done", lat.d[len(lat.d)/2].Microseconds(), lat.d[len(lat.d)*99/100].Microseconds())
	return nil
}
