package miner

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/assay-network/assay/client"
	synapsev1 "github.com/assay-network/assay/synapse/v1"
)

// drainRig is a miner whose forward pass waits on a gate, served with its
// /healthz listener, and a context that starts the drain when cancelled.
type drainRig struct {
	srv       *Server
	gate      *gatedPredict
	validator *client.PrivKeySigner
	conn      *grpc.ClientConn
	healthz   string
	stop      context.CancelFunc
	done      chan error
}

func newDrainRig(t *testing.T, cfg Config) *drainRig {
	t.Helper()
	_, m := fixture(t)
	r := &drainRig{
		gate:      &gatedPredict{classes: len(m.Header.Schema.Classes), gate: make(chan struct{}), entered: make(chan struct{}, 8)},
		validator: newKey(), done: make(chan error, 1),
	}
	reg := prometheus.NewRegistry()
	cfg.Netuid = testNetuid
	srv, err := New(cfg, Deps{Model: m, Signer: newKey(), Registry: reg, Gatherer: reg, Log: zerolog.Nop(),
		Permits: mapPermits{r.validator.Address(): {UID: 1, Stake: 100}}, Predict: r.gate.predict})
	if err != nil {
		t.Fatal(err)
	}
	r.srv = srv
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mlis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.healthz = "http://" + mlis.Addr().String() + "/healthz"
	var ctx context.Context
	ctx, r.stop = context.WithCancel(context.Background())
	go func() { r.done <- srv.Serve(ctx, lis, mlis) }()
	if r.conn, err = grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials())); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		r.conn.Close()
		r.stop()
		select {
		case <-r.gate.gate:
		default:
			close(r.gate.gate)
		}
	})
	return r
}

// infer sends one signed request and returns its outcome on the channel.
func (r *drainRig) infer(t *testing.T, nonce int64) <-chan error {
	t.Helper()
	req := request(t, 0, 1)
	md, _, err := client.SignRequest(r.validator, req, r.srv.deps.Signer.Address(), nonce)
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err := synapsev1.NewAxonClient(r.conn).Infer(metadata.NewOutgoingContext(ctx, md), req)
		errc <- err
	}()
	return errc
}

// waitHealthz polls /healthz until it answers code, and returns the body.
func (r *drainRig) waitHealthz(t *testing.T, code int) string {
	t.Helper()
	last := "no answer"
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		resp, err := http.Get(r.healthz)
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == code {
			return string(b)
		}
		last = resp.Status + " " + string(b)
	}
	t.Fatalf("/healthz never answered %d; last: %s", code, last)
	return ""
}

// TestDrainFinishesInFlightAndSays503: on shutdown (SIGINT/SIGTERM cancel
// Serve's context in `assay-miner serve`) a request already running is
// answered, /healthz answers 503 for the whole drain so a load balancer
// stops sending, and Serve returns once the request is done. The grace a
// request gets is 10 s unless configured.
func TestDrainFinishesInFlightAndSays503(t *testing.T) {
	var defaults Config
	defaults.setDefaults()
	if got := defaults.ShutdownGrace; got != 10*time.Second {
		t.Fatalf("default shutdown grace %v, want 10s (miner README)", got)
	}
	r := newDrainRig(t, Config{Workers: 1, BatchWindow: -1})
	if body := r.waitHealthz(t, http.StatusOK); !strings.HasPrefix(body, "ok netuid=3") {
		t.Fatalf("/healthz while serving: %q", body)
	}
	inFlight := r.infer(t, time.Now().UnixNano())
	<-r.gate.entered

	r.stop()
	if body := r.waitHealthz(t, http.StatusServiceUnavailable); !strings.Contains(body, "not serving") {
		t.Fatalf("/healthz while draining: %q", body)
	}
	select {
	case err := <-r.done:
		t.Fatalf("Serve returned (%v) while a request was still in flight", err)
	case <-time.After(200 * time.Millisecond):
	}
	close(r.gate.gate)
	if err := <-inFlight; err != nil {
		t.Fatalf("the in-flight request was not answered during the drain: %v", err)
	}
	select {
	case err := <-r.done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after the last request finished")
	}
}

// TestDrainGivesUpAfterTheGrace: a request still running when the grace
// ends is cut off, so a stuck model cannot hold a shutdown forever.
func TestDrainGivesUpAfterTheGrace(t *testing.T) {
	const grace = 300 * time.Millisecond
	r := newDrainRig(t, Config{Workers: 1, BatchWindow: -1, ShutdownGrace: grace})
	r.waitHealthz(t, http.StatusOK)
	stuck := r.infer(t, time.Now().UnixNano())
	<-r.gate.entered

	start := time.Now()
	r.stop()
	select {
	case err := <-r.done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Serve still draining long after the grace")
	}
	if took := time.Since(start); took < grace {
		t.Fatalf("Serve returned after %v, before the %v grace", took, grace)
	}
	if err := <-stuck; err == nil {
		t.Fatal("a request still running after the grace was answered as if nothing happened")
	}
}
