package daemon

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestServeHTTPHealthzAndMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "assay_test_probes_total", Help: "test"})
	reg.MustRegister(c)
	c.Add(3)
	var healthy atomic.Bool
	health := func() (string, error) {
		if !healthy.Load() {
			return "", errors.New("no metagraph yet")
		}
		return "ok netuid=1 block=7", nil
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + lis.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ServeHTTP(ctx, lis, reg, health) }()

	if code, body := get(t, base+"/healthz"); code != http.StatusServiceUnavailable || body != "no metagraph yet\n" {
		t.Errorf("unhealthy /healthz: %d %q", code, body)
	}
	healthy.Store(true)
	if code, body := get(t, base+"/healthz"); code != http.StatusOK || body != "ok netuid=1 block=7\n" {
		t.Errorf("healthy /healthz: %d %q", code, body)
	}
	code, body := get(t, base+"/metrics")
	if code != http.StatusOK || !strings.Contains(body, "assay_test_probes_total 3") {
		t.Errorf("/metrics: %d, lacks the given registry's counter:\n%s", code, body)
	}
	if strings.Contains(body, "go_goroutines") {
		t.Error("/metrics serves the global registry's Go collector, not only the given registry")
	}
	if code, _ := get(t, base+"/"); code != http.StatusNotFound {
		t.Errorf("/: %d, want 404", code)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("ServeHTTP after cancel: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ServeHTTP did not return after cancel")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("still answering after ServeHTTP returned")
	}
}

func TestHandlerWithoutHealthOrGatherer(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = ServeHTTP(ctx, lis, nil, nil) }()
	base := "http://" + lis.Addr().String()
	if code, body := get(t, base+"/healthz"); code != http.StatusOK || body != "ok\n" {
		t.Errorf("/healthz without a Health: %d %q", code, body)
	}
	if code, _ := get(t, base+"/metrics"); code != http.StatusNotFound {
		t.Errorf("/metrics without a gatherer: %d, want 404", code)
	}
}

func TestNewRegistryIsPrivate(t *testing.T) {
	a, b := NewRegistry(), NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "assay_test_total", Help: "test"})
	a.MustRegister(c)
	if err := b.Register(prometheus.NewCounter(prometheus.CounterOpts{Name: "assay_test_total", Help: "test"})); err != nil {
		t.Errorf("registries share state: %v", err)
	}
	mfs, err := a.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var goroutines bool
	for _, mf := range mfs {
		goroutines = goroutines || mf.GetName() == "go_goroutines"
	}
	if !goroutines {
		t.Error("no Go runtime collector")
	}
}

// TestServeGrace: with a grace, a request in flight when ctx ends still
// gets its answer; without one, the connection is cut at once.
func TestServeGrace(t *testing.T) {
	for _, tc := range []struct {
		grace    time.Duration
		answered bool
	}{{2 * time.Second, true}, {0, false}} {
		lis, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		entered, release := make(chan struct{}), make(chan struct{})
		h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			close(entered)
			<-release
			io.WriteString(w, "done")
		})
		ctx, cancel := context.WithCancel(t.Context())
		served := make(chan error, 1)
		go func() { served <- Serve(ctx, lis, h, tc.grace) }()
		got := make(chan error, 1)
		go func() {
			resp, err := http.Get("http://" + lis.Addr().String() + "/")
			if err == nil {
				resp.Body.Close()
			}
			got <- err
		}()
		<-entered
		cancel()
		if tc.grace > 0 {
			// Shutdown waits for the handler: release it once Serve has
			// stopped accepting
			waitClosed(t, lis.Addr().String())
			close(release)
			err = <-served
		} else {
			// Close does not wait: Serve returns with the connection cut
			select {
			case err = <-served:
			case <-time.After(10 * time.Second):
				t.Fatal("Serve without grace waited for the handler")
			}
			close(release)
		}
		if err != nil {
			t.Fatalf("grace %s: Serve returned %v", tc.grace, err)
		}
		if err := <-got; (err == nil) != tc.answered {
			t.Fatalf("grace %s: request error %v, want answered=%v", tc.grace, err, tc.answered)
		}
	}
}

// waitClosed waits until nothing accepts on addr: both ways of stopping
// close the listener first.
func waitClosed(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatalf("%s still accepts after ctx ended", addr)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
