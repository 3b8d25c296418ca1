package validator

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/assay-network/assay/miner/model"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// benchMinersEnv makes this test binary a miner process for
// BenchmarkRound256: it serves that many miners on loopback, prints one
// "endpoint hotkey model_hash" line for each, and exits when its stdin
// closes. With the miners in another process, getrusage in the benchmark
// counts the validator's CPU alone.
const benchMinersEnv = "ASSAY_BENCH_MINERS"

func TestMain(m *testing.M) {
	if n := os.Getenv(benchMinersEnv); n != "" {
		if err := serveBenchMiners(n); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// serveBenchMiners serves n miners sharing one forward pass, each with its
// own model file (a variant of the fixture: its own hash, the same
// answers), so the validator fetches and replays n models.
func serveBenchMiners(arg string) error {
	n, err := strconv.Atoi(arg)
	if err != nil {
		return fmt.Errorf("%s=%q: %w", benchMinersEnv, arg, err)
	}
	if err := loadFixture(); err != nil {
		return err
	}
	p, err := model.NewPredictor(fixModel, model.PredictorOptions{})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for i := range n {
		file, err := variant(fixModel, uint64(1000+i)).Bytes()
		if err != nil {
			return err
		}
		srv, key, err := newServingMiner(fixModel, file, p.Predict)
		if err != nil {
			return err
		}
		lis, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		go func() { _ = srv.Serve(ctx, lis, nil) }()
		fmt.Printf("%s %s %s\n", lis.Addr(), key.Address(), model.HashBytes(file))
	}
	_, _ = io.Copy(io.Discard, os.Stdin)
	return nil
}

// benchMiners starts n miners in a child process until b ends.
func benchMiners(b *testing.B, n int) ([]subnettypes.AxonInfo, []string) {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), benchMinersEnv+"="+strconv.Itoa(n))
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = in.Close(); _ = cmd.Wait() })
	axons := make([]subnettypes.AxonInfo, 0, n)
	hotkeys := make([]string, 0, n)
	sc := bufio.NewScanner(out)
	for len(axons) < n && sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 {
			b.Fatalf("miner process printed %q", sc.Text())
		}
		axons = append(axons, subnettypes.AxonInfo{Endpoint: f[0], ModelHash: f[2]})
		hotkeys = append(hotkeys, f[1])
	}
	if len(axons) < n {
		b.Fatalf("miner process started %d miners of %d: %v", len(axons), n, sc.Err())
	}
	return axons, hotkeys
}
