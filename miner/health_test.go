package miner

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// TestMetricsListenerServesHealthz: the metrics listener answers /healthz
// with the subnet and model while the axon serves, and /metrics from the
// server's registry.
func TestMetricsListenerServesHealthz(t *testing.T) {
	_, m := fixture(t)
	h := newKey()
	srv, err := New(Config{Netuid: testNetuid}, Deps{Model: m, Signer: h, Permits: mapPermits{}, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Health(); err == nil {
		t.Error("healthy before serving")
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mlis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, lis, mlis) }()

	base := "http://" + mlis.Addr().String()
	want := "ok netuid=3 model_hash=" + srv.deps.ModelHash + "\n"
	var body string
	for deadline := time.Now().Add(10 * time.Second); body != want; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("/healthz %q, want %q", body, want)
		}
		if resp, err := http.Get(base + "/healthz"); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body = string(b)
		}
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), "assay_miner_queue_depth") {
		t.Errorf("/metrics lacks the miner's metrics:\n%s", b)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Serve did not return after cancel")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("metrics listener still open after Serve returned")
	}
}
