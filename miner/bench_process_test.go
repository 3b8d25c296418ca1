package miner

import (
	"bufio"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/assay-network/assay/client"
	synapsev1 "github.com/assay-network/assay/synapse/v1"
)

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
