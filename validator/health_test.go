package validator

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestMetricsListenerServesHealthz: /healthz is 503 while the chain is
// down (no metagraph yet) and ok with the synced block after, and /metrics
// serves the validator's registry, from the start of Run.
func TestMetricsListenerServesHealthz(t *testing.T) {
	self := newKey()
	fc := &fakeChain{mg: newMetagraph(self.Address(), nil, nil, true), down: 1}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := lis.Addr().String()
	lis.Close()
	v := newValidator(t, fc, self, Config{SyncInterval: 50 * time.Millisecond, MetricsAddr: addr})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- v.Run(ctx) }()

	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	waitFor := func(code int, body string) {
		t.Helper()
		var gotCode int
		var got string
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if gotCode, got = get("/healthz"); gotCode == code && got == body {
				return
			}
		}
		t.Fatalf("/healthz: %d %q, want %d %q", gotCode, got, code, body)
	}
	waitFor(http.StatusServiceUnavailable, "no metagraph yet: waiting for the chain\n")
	waitFor(http.StatusOK, "ok netuid=3 block=5\n")
	if code, body := get("/metrics"); code != http.StatusOK || !strings.Contains(body, "assay_validator_metagraph_block 5") {
		t.Errorf("/metrics: %d\n%s", code, body)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if code, _ := get("/healthz"); code != 0 {
		t.Error("metrics listener still open after Run returned")
	}
}

// TestRunRefusesABusyMetricsAddress: a taken --metrics address fails Run at
// once, not after the chain comes up.
func TestRunRefusesABusyMetricsAddress(t *testing.T) {
	self := newKey()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	fc := &fakeChain{mg: newMetagraph(self.Address(), nil, nil, true), down: 1 << 30}
	v := newValidator(t, fc, self, Config{MetricsAddr: busy.Addr().String()})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := v.Run(ctx); err == nil || !strings.Contains(err.Error(), "metrics listen") {
		t.Fatalf("Run on a busy metrics address: %v", err)
	}
}
