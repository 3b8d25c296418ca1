package miner

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"

	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// MetagraphSource is the one chain query the permit cache needs (client.Chain has it).
type MetagraphSource interface {
	Metagraph(ctx context.Context, netuid uint32) (*subnettypes.QueryMetagraphResponse, error)
}

// MetagraphPermits is a PermitChecker over a metagraph cache refreshed from
// the chain. Until x/subnet exposes validator permits, a caller is permitted
// if it is registered on the subnet and StakeOf(neuron) ≥ MinStake; StakeOf
// is the seam where the chain's stake (or permit) field plugs in. With
// StakeOf nil every registered neuron has stake 0, so only MinStake 0 admits
// anyone.
type MetagraphPermits struct {
	Source   MetagraphSource
	Netuid   uint32
	MinStake uint64
	StakeOf  func(*subnettypes.Neuron) uint64
	Every    time.Duration // refresh interval (default 12s)
	Log      zerolog.Logger

	mu      sync.RWMutex
	byKey   map[string]*subnettypes.Neuron
	block   int64
	loadErr error
}

// Refresh loads the metagraph once.
func (p *MetagraphPermits) Refresh(ctx context.Context) error {
	mg, err := p.Source.Metagraph(ctx, p.Netuid)
	p.mu.Lock()
	defer p.mu.Unlock()
	if err != nil {
		p.loadErr = err
		return err
	}
	m := make(map[string]*subnettypes.Neuron, len(mg.Neurons))
	for i := range mg.Neurons {
		m[mg.Neurons[i].Hotkey] = &mg.Neurons[i]
	}
	p.byKey, p.block, p.loadErr = m, mg.Block, nil
	return nil
}

// Run refreshes until ctx ends; a failed refresh keeps the last metagraph
// (a node restart should not lock validators out).
func (p *MetagraphPermits) Run(ctx context.Context) {
	every := p.Every
	if every <= 0 {
		every = 12 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := p.Refresh(ctx); err != nil && ctx.Err() == nil {
				p.Log.Warn().Err(err).Msg("metagraph refresh failed; keeping the last one")
			}
		}
	}
}

// Permit implements PermitChecker.
func (p *MetagraphPermits) Permit(_ context.Context, hotkey string) (Permit, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.byKey == nil {
		return Permit{}, fmt.Errorf("metagraph not loaded yet: %v", p.loadErr)
	}
	n, ok := p.byKey[hotkey]
	if !ok {
		return Permit{}, fmt.Errorf("%w: not registered on netuid %d (metagraph at block %d)", ErrNoPermit, p.Netuid, p.block)
	}
	var stake uint64
	if p.StakeOf != nil {
		stake = p.StakeOf(n)
	}
	if stake < p.MinStake {
		return Permit{}, fmt.Errorf("%w: uid %d has stake %d, below the minimum %d", ErrNoPermit, n.Uid, stake, p.MinStake)
	}
	return Permit{UID: n.Uid, Stake: stake}, nil
}
