package miner

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/rs/zerolog"

	"github.com/assay-network/assay/miner/model"
)

// Listeners are the miner's bound ports, handed to Server.Serve.
type Listeners struct {
	Axon    net.Listener
	Metrics net.Listener // nil when Config.MetricsAddr is empty
}

// Close releases both ports.
func (l *Listeners) Close() error {
	err := l.Axon.Close()
	if l.Metrics != nil {
		err = errors.Join(err, l.Metrics.Close())
	}
	return err
}

// Listen binds the axon's gRPC address and, if set, the metrics address.
func Listen(cfg Config) (*Listeners, error) {
	if cfg.ListenAddr == "" {
		return nil, errors.New("miner: no listen address")
	}
	axon, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return nil, fmt.Errorf("miner: listen %s: %w", cfg.ListenAddr, err)
	}
	l := &Listeners{Axon: axon}
	if cfg.MetricsAddr != "" {
		if l.Metrics, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			axon.Close()
			return nil, fmt.Errorf("miner: listen %s (metrics): %w", cfg.MetricsAddr, err)
		}
	}
	return l, nil
}

// Start binds the miner's ports, then joins the subnet (Join: register if
// needed, publish the axon). The order is the point: a second start on a
// port another miner already holds must fail before it touches the chain,
// or it would redirect validators away from the miner that is serving
// there and then exit. On a Join error the ports are released.
func Start(ctx context.Context, c Chain, m *model.Model, cfg Config, a Announce, log zerolog.Logger) (uint32, *Listeners, error) {
	l, err := Listen(cfg)
	if err != nil {
		return 0, nil, err
	}
	uid, err := Join(ctx, c, m, a, log)
	if err != nil {
		l.Close()
		return 0, nil, err
	}
	return uid, l, nil
}
