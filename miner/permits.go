package miner

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/rs/zerolog"

	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// MetagraphSource is the one chain query the permit cache needs (client.Chain has it).
type MetagraphSource interface {
	Metagraph(ctx context.Context, netuid uint16) (*subnettypes.QueryMetagraphResponse, error)
}

// MetagraphPermits is a PermitChecker over a metagraph cache refreshed from
// the chain. A caller is permitted when it is registered on the subnet and
// its Neuron has validator_permit set (x/subnet computes permits from
// stake: the top max_validators by stake above min_validator_stake); its
// Neuron's stake orders callers when the miner is saturated. MinStake is an
// optional extra floor the miner operator may add on top of the chain's
// permit (0: none).
type MetagraphPermits struct {
	Source   MetagraphSource
	Netuid   uint16
	MinStake uint64
	Every    time.Duration // refresh interval (default 12s)
	Log      zerolog.Logger

	mu      sync.RWMutex
	byKey   map[string]neuronPermit
	block   int64
	loadErr error
}

// neuronPermit is the part of a Neuron the permit check reads.
type neuronPermit struct {
	uid    uint32
	stake  uint64
	permit bool
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
	m := make(map[string]neuronPermit, len(mg.Neurons))
	for i := range mg.Neurons {
		n := &mg.Neurons[i]
		m[n.Hotkey] = neuronPermit{uid: n.Uid, stake: stakeUint64(n), permit: n.ValidatorPermit}
	}
	p.byKey, p.block, p.loadErr = m, mg.Block, nil
	return nil
}

// stakeUint64 is the neuron's stake in uassay, saturating at MaxUint64
// (only an ordering key and a floor, so saturation is harmless).
func stakeUint64(n *subnettypes.Neuron) uint64 {
	s := n.Stake
	switch {
	case s.IsNil() || !s.IsPositive():
		return 0
	case s.IsUint64():
		return s.Uint64()
	default:
		return math.MaxUint64
	}
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
	if !n.permit {
		return Permit{}, fmt.Errorf("%w: uid %d (stake %d uassay) has no validator_permit on netuid %d (metagraph at block %d)",
			ErrNoPermit, n.uid, n.stake, p.Netuid, p.block)
	}
	if n.stake < p.MinStake {
		return Permit{}, fmt.Errorf("%w: uid %d has stake %d uassay, below this miner's --min-stake %d", ErrNoPermit, n.uid, n.stake, p.MinStake)
	}
	return Permit{UID: n.uid, Stake: n.stake}, nil
}
