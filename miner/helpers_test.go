package miner

import (
	"context"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/rs/zerolog"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/dataset"
	"github.com/assay-network/assay/miner/model"
	synapsev1 "github.com/assay-network/assay/synapse/v1"
	"github.com/assay-network/assay/task"
)

const (
	cpsPath    = "../dataset/testdata/cps1985-wages/data.csv"
	testNetuid = 3
)

var (
	fixtureOnce sync.Once
	fixtureData *dataset.Dataset
	fixtureMdl  *model.Model
	fixtureErr  error
)

// fixture trains one small model for the built-in cps1985-wages task per
// test binary (hermetic, ~0.1s).
func fixture(t testing.TB) (*dataset.Dataset, *model.Model) {
	t.Helper()
	fixtureOnce.Do(func() {
		var s task.Spec
		if s, fixtureErr = task.Parse(builtinTaskFile(t, "cps1985-wages")); fixtureErr != nil {
			return
		}
		fixtureData, fixtureErr = dataset.LoadTask(s, map[string]string{task.RoleData: cpsPath})
		if fixtureErr != nil {
			return
		}
		fixtureMdl, fixtureErr = model.Train(context.Background(), fixtureData, model.TrainConfig{
			Hidden: []int{16}, Epochs: 3, BatchSize: 16, LearnRate: 1e-2, Seed: 1,
		})
	})
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	return fixtureData, fixtureMdl
}

// mapPermits is a PermitChecker over a fixed table.
type mapPermits map[string]Permit

func (m mapPermits) Permit(_ context.Context, hotkey string) (Permit, error) {
	p, ok := m[hotkey]
	if !ok {
		return Permit{}, fmt.Errorf("%w: not registered", ErrNoPermit)
	}
	return p, nil
}

type harness struct {
	srv       *Server
	conn      *grpc.ClientConn
	miner     *client.PrivKeySigner
	validator *client.PrivKeySigner
	axon      client.Axon
	reg       *prometheus.Registry
	done      chan error
}

func newKey() *client.PrivKeySigner { return client.NewPrivKeySigner(secp256k1.GenPrivKey()) }

// startServer serves on loopback with a real gRPC server; the validator key
// holds a permit with stake 100.
func startServer(t testing.TB, cfg Config, mutate func(*Deps)) *harness {
	t.Helper()
	_, m := fixture(t)
	h := &harness{miner: newKey(), validator: newKey(), reg: prometheus.NewRegistry(), done: make(chan error, 1)}
	cfg.Netuid = testNetuid
	deps := Deps{
		Model: m, Signer: h.miner, Registry: h.reg, Gatherer: h.reg, Log: zerolog.Nop(),
		Permits: mapPermits{h.validator.Address(): {UID: 1, Stake: 100}},
	}
	if mutate != nil {
		mutate(&deps)
	}
	srv, err := New(cfg, deps)
	if err != nil {
		t.Fatal(err)
	}
	h.srv = srv
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { h.done <- srv.Serve(ctx, lis, nil) }()
	h.conn, err = grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallSendMsgSize(64<<20)))
	if err != nil {
		t.Fatal(err)
	}
	h.axon = client.Axon{Hotkey: h.miner.Address(), ModelHash: srv.deps.ModelHash, Conn: h.conn}
	t.Cleanup(func() {
		h.conn.Close()
		cancel()
		select {
		case err := <-h.done:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("Serve did not return after cancel")
		}
	})
	return h
}

// request builds a request from validation rows [from, from+n).
func request(t testing.TB, from, n int) *synapsev1.InferRequest {
	d, _ := fixture(t)
	rows := make([][]float64, n)
	for i := range rows {
		rows[i] = d.Row(d.Validation[(from+i)%len(d.Validation)])
	}
	return client.NewInferRequest(testNetuid, rows) // copies the rows
}

// value reads a counter or gauge (the testutil package needs a module we do not carry).
func value(t testing.TB, m prometheus.Metric) float64 {
	t.Helper()
	var d dto.Metric
	if err := m.Write(&d); err != nil {
		t.Fatal(err)
	}
	switch {
	case d.Counter != nil:
		return d.Counter.GetValue()
	case d.Gauge != nil:
		return d.Gauge.GetValue()
	case d.Histogram != nil:
		return float64(d.Histogram.GetSampleCount())
	}
	t.Fatalf("unsupported metric %v", &d)
	return 0
}
