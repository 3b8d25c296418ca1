package gateway

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/assay-network/assay/daemon"
)

// Serve serves the API on lis until ctx ends, then shuts down, giving
// requests in flight up to 10 s.
func (g *Gateway) Serve(ctx context.Context, lis net.Listener) error {
	return daemon.Serve(ctx, lis, g.Handler(), 10*time.Second)
}

// Health is the gateway's /healthz: ok with each served subnet's block
// and routable miners, or why not (the chain unreadable, no miner).
func (g *Gateway) Health() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	msg := "ok"
	for _, n := range g.cfg.Netuids {
		snap, _, err := g.views[n].current(ctx)
		if err != nil {
			return "", fmt.Errorf("netuid %d: %w", n, err)
		}
		if len(snap.ranked) == 0 {
			return "", fmt.Errorf("netuid %d: no miner to route to at block %d", n, snap.block)
		}
		msg += fmt.Sprintf(" netuid=%d block=%d miners=%d", n, snap.block, len(snap.ranked))
	}
	return msg, nil
}
