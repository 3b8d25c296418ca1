package gateway

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// Serve serves the API on lis until ctx ends, then shuts down, giving
// requests in flight up to 10 s.
func (g *Gateway) Serve(ctx context.Context, lis net.Listener) error {
	srv := &http.Server{Handler: g.Handler(), ReadHeaderTimeout: 5 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(lis) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}
