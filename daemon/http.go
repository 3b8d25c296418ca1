package daemon

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Health says whether a daemon is doing its job: a one-line status when it
// is (/healthz answers 200 with it), an error saying why not when it is not
// (503 with the error). It is called on every probe, from the HTTP
// server's goroutines.
type Health func() (string, error)

// Handler serves /metrics from g (none if g is nil) and /healthz from
// health (always "ok" if health is nil). Other paths are 404.
func Handler(g prometheus.Gatherer, health Health) http.Handler {
	mux := http.NewServeMux()
	if g != nil {
		mux.Handle("/metrics", promhttp.HandlerFor(g, promhttp.HandlerOpts{}))
	}
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		status := "ok"
		if health != nil {
			var err error
			if status, err = health(); err != nil {
				http.Error(w, err.Error(), http.StatusServiceUnavailable)
				return
			}
		}
		fmt.Fprintln(w, status)
	})
	return mux
}

// ServeHTTP serves Handler(g, health) on lis until ctx ends, then closes
// the server (and lis) at once: probes need no grace.
func ServeHTTP(ctx context.Context, lis net.Listener, g prometheus.Gatherer, health Health) error {
	return Serve(ctx, lis, Handler(g, health), 0)
}

// Serve serves h on lis until ctx ends, then stops the server: with a
// grace above 0 it stops accepting and gives requests in flight up to
// grace to finish (the explorer's pages, the gateway's queries), else it
// closes every connection at once. It returns nil after ctx ends, or the
// error that stopped the server before.
func Serve(ctx context.Context, lis net.Listener, h http.Handler, grace time.Duration) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(lis) }()
	select {
	case err := <-done:
		return err // Serve never returns nil; ErrServerClosed only after Close
	case <-ctx.Done():
		if grace > 0 {
			sctx, cancel := context.WithTimeout(context.Background(), grace)
			defer cancel()
			_ = srv.Shutdown(sctx)
		} else {
			_ = srv.Close()
		}
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}
