package validator

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/assay-network/assay/validator/scoring"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// publishers remembers the chain's first publisher of each model hash
// (x/subnet, `q subnet model`): once recorded it never changes while the
// subnet lives, so each hash is asked for once. A hash the chain has no
// record of (or that could not be asked) is asked again next round.
type publishers struct {
	mu    sync.Mutex
	known map[string]subnettypes.ModelPublisher
}

// knownPublishers is what the cache already holds for targets' hashes,
// without asking the chain.
func (p *publishers) knownPublishers(targets []*subnettypes.Neuron) map[string]subnettypes.ModelPublisher {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]subnettypes.ModelPublisher{}
	for _, n := range targets {
		if pub, ok := p.known[n.Axon.ModelHash]; ok {
			out[n.Axon.ModelHash] = pub
		}
	}
	return out
}

// lookupPublishers returns the first publisher of each hash served by
// targets that the chain knows, asking the chain for the hashes not known
// yet until deadline (the round's: a slow chain cannot hold the round).
// A hash not asked in time, or whose query failed, is treated as one
// without a record this round (no copy judged on it) and asked next round.
func (v *Validator) lookupPublishers(ctx context.Context, targets []*subnettypes.Neuron, deadline time.Time) map[string]subnettypes.ModelPublisher {
	p := &v.pubs
	out := map[string]subnettypes.ModelPublisher{}
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	var failed int
	var lastErr error
	for _, n := range targets {
		h := n.Axon.ModelHash
		if _, done := out[h]; done || h == "" {
			continue
		}
		p.mu.Lock()
		pub, ok := p.known[h]
		p.mu.Unlock()
		if !ok {
			if ctx.Err() != nil {
				failed++
				continue
			}
			var err error
			if pub, ok, err = v.deps.Chain.ModelPublisher(ctx, v.cfg.Netuid, h); err != nil {
				failed, lastErr = failed+1, err
			}
			if !ok {
				continue
			}
			p.mu.Lock()
			p.known[h] = pub
			p.mu.Unlock()
		}
		out[h] = pub
	}
	if failed > 0 {
		if lastErr == nil {
			lastErr = ctx.Err()
		}
		v.m.errors.WithLabelValues("publisher").Inc()
		v.log.Warn().Err(lastErr).Int("hashes", failed).Msg("cannot look up the first publisher of some model hashes; no copy judged on them this round")
	}
	return out
}

// markCopies zeroes, among the answers that earn (reason ""), every UID
// serving a hash that another UID published first (DESIGN §12: only the
// first publisher is scored for a hash).
func markCopies(obs []Observation, pubs map[string]subnettypes.ModelPublisher) {
	for i := range obs {
		o := &obs[i]
		pub, ok := pubs[o.hash]
		if o.Reason != "" || !ok || (pub.Uid == o.UID && pub.Hotkey == o.Hotkey) {
			continue
		}
		o.zero(copyOf(pub.Uid), fmt.Errorf("model %s was first published by uid %d (hotkey %s) at block %d", o.hash, pub.Uid, pub.Hotkey, pub.Block))
	}
}

// markNearCopies zeroes, among the answers still earning after replay,
// every one whose model was published after another's and answers like it
// (scoring.NearCopy with the task's copy_epsilon). Answers are compared
// with every earlier-published model that answered this round, earliest
// first; a hash without a chain record is not judged.
func markNearCopies(obs []Observation, pubs map[string]subnettypes.ModelPublisher, epsilon float64) {
	var order []int
	for i := range obs {
		if _, ok := pubs[obs[i].hash]; ok && obs[i].Reason == "" {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int {
		pa, pb := pubs[obs[a].hash], pubs[obs[b].hash]
		if pa.Block != pb.Block {
			return int(pa.Block - pb.Block)
		}
		return int(pa.Uid) - int(pb.Uid)
	})
	// Judged against the answers as they were before this pass: a model is
	// compared with every earlier one, even one itself found a near-copy.
	quality := make([]float64, len(obs))
	for _, i := range order {
		quality[i] = obs[i].Result.Quality
	}
	for k, j := range order {
		for _, i := range order[:k] {
			if obs[i].hash == obs[j].hash {
				continue
			}
			agree := scoring.Agreement(obs[j].pred, obs[i].pred)
			if scoring.NearCopy(agree, quality[j], quality[i], epsilon) {
				pub := pubs[obs[i].hash]
				obs[j].zero(copyOf(pub.Uid), fmt.Errorf("model %s (published at block %d) answers like model %s of uid %d (published at block %d) on %.1f%% of the rows, quality %.4f vs %.4f (copy_epsilon %g)",
					obs[j].hash, pubs[obs[j].hash].Block, obs[i].hash, pub.Uid, pub.Block, 100*agree, quality[j], quality[i], epsilon))
				break
			}
		}
	}
}
