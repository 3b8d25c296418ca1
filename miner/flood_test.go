package miner

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/miner/model"
	synapsev1 "github.com/assay-network/assay/synapse/v1"
)

// An unsigned flood costs the miner no memory per request: 5,000 unsigned
// requests with 4 MiB bodies, 20 in flight, are refused from their headers
// (Server.tap), so the bodies are never buffered, hashed or decoded. The
// miner runs in its own process (this test binary, see TestMain) so its
// peak RSS (VmHWM) is its own. Before the tap, gRPC received each body
// whole before the handler refused it, and ~2,300 such requests took the
// miner from 68 to 197 MB.
func TestUnsignedFloodRSS(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: sends 5,000 4 MiB requests to a child process (~1-5 s)")
	}
	if raceEnabled {
		t.Skip("the race detector's shadow memory alone takes the miner past the bound (148 MB at start)")
	}
	const (
		requests = 5000
		inFlight = 20
		limitMB  = 100
	)
	_, m := fixture(t)
	modelPath := filepath.Join(t.TempDir(), "m.amdl")
	if _, err := m.Save(modelPath); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^$")
	cmd.Env = append(os.Environ(), "ASSAY_FLOOD_MINER="+modelPath)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("miner process: %v", err)
			}
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			t.Error("miner process did not stop")
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening ")
	if err != nil || !ok {
		t.Fatalf("miner process: %q, %v", line, err)
	}
	rss0 := procStatusKB(t, cmd.Process.Pid, "VmRSS")

	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	values := (4<<20 - 64) / 8
	body, err := client.MarshalBody(&synapsev1.InferRequest{Netuid: testNetuid, Rows: 1, Cols: uint32(values), Values: make([]float64, values)})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	var next atomic.Int64
	var wrong atomic.Pointer[error]
	var wg sync.WaitGroup
	for range inFlight {
		wg.Go(func() {
			for next.Add(1) <= requests && wrong.Load() == nil {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				err := conn.Invoke(ctx, synapsev1.Axon_Infer_FullMethodName, client.EncodedRequest(body),
					new(synapsev1.InferResponse), grpc.ForceCodecV2(client.RawCodec{}))
				cancel()
				if status.Code(err) != codes.Unauthenticated {
					err = fmt.Errorf("want Unauthenticated, got %w", err)
					wrong.CompareAndSwap(nil, &err)
				}
			}
		})
	}
	wg.Wait()
	if e := wrong.Load(); e != nil {
		t.Fatal(*e)
	}
	elapsed := time.Since(start)
	peak, rss := procStatusKB(t, cmd.Process.Pid, "VmHWM"), procStatusKB(t, cmd.Process.Pid, "VmRSS")
	t.Logf("%d unsigned %d-byte requests, %d in flight, in %v: miner RSS %.1f MB before, %.1f MB after, peak %.1f MB",
		requests, len(body), inFlight, elapsed.Round(time.Millisecond), float64(rss0)/1024, float64(rss)/1024, float64(peak)/1024)
	if peak >= limitMB*1024 {
		t.Errorf("miner peak RSS %.1f MB, want < %d MB", float64(peak)/1024, limitMB)
	}
}

// procStatusKB reads a kB field of /proc/pid/status.
func procStatusKB(t testing.TB, pid int, field string) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for l := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			if err != nil {
				t.Fatalf("%s: %q", field, l)
			}
			return kb
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}

// floodMiner is TestUnsignedFloodRSS's miner process: it serves the model
// at modelPath on a loopback port (printed as "listening ADDR") with the
// default Config, permitting nobody, until its stdin closes.
func floodMiner(modelPath string) error {
	m, _, err := model.Load(modelPath)
	if err != nil {
		return err
	}
	srv, err := New(Config{Netuid: testNetuid}, Deps{Model: m, Signer: newKey(), Permits: mapPermits{}, Log: zerolog.Nop()})
	if err != nil {
		return err
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, lis, nil) }()
	fmt.Println("listening", lis.Addr())
	if _, err := io.Copy(io.Discard, os.Stdin); err != nil {
		cancel()
		return errors.Join(err, <-done)
	}
	cancel()
	return <-done
}
