package gateway

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/assay-network/assay/dataset"
	"github.com/assay-network/assay/task"
	"github.com/assay-network/assay/task/check"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// snapshot is one block's view of a subnet: its miners ranked for routing.
type snapshot struct {
	block   int64
	fetched time.Time
	ranked  []Miner // best first
	skipped []Skipped
}

// Miner is one routable UID.
type Miner struct {
	UID       uint32
	Hotkey    string
	Endpoint  string
	ModelHash string
	Incentive string // the last epoch's incentive, decimal
}

// Skipped is a UID left out of routing, and why.
type Skipped struct {
	UID    uint32 `json:"uid"`
	Reason string `json:"reason"`
}

// taskInfo is a subnet's task: fixed for the subnet's life, loaded once.
type taskInfo struct {
	spec      task.Spec
	canonical []byte
	hash      string
	schema    dataset.Schema
	target    time.Duration // hedge after this long: the task's latency target
	maxLat    time.Duration // one miner's deadline
}

// subnetView caches a served subnet's metagraph (refreshed at most every
// Config.SyncInterval, about once a block) and its task.
type subnetView struct {
	netuid uint16
	g      *Gateway

	mu   sync.Mutex // guards snap; held across a refresh so callers share one query
	snap *snapshot

	taskMu   sync.Mutex
	task     *taskInfo
	taskErr  error
	taskWhen time.Time // of taskErr
}

// current returns the snapshot, refreshing it when it is older than the
// sync interval. A failed refresh keeps serving the last snapshot for up to
// StaleAfter; after that the error comes back.
func (v *subnetView) current(ctx context.Context) (*snapshot, *subnettypes.QueryMetagraphResponse, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	now := v.g.deps.Clock()
	if v.snap != nil && now.Sub(v.snap.fetched) < v.g.cfg.SyncInterval {
		return v.snap, nil, nil
	}
	qctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	mg, err := v.g.deps.Chain.Metagraph(qctx, v.netuid)
	cancel()
	if err != nil {
		if v.snap != nil && now.Sub(v.snap.fetched) < v.g.cfg.StaleAfter {
			return v.snap, nil, nil
		}
		return nil, nil, err
	}
	if v.snap != nil && v.snap.block == mg.Block {
		v.snap.fetched = now
		return v.snap, mg, nil
	}
	v.snap = v.g.rank(v.netuid, mg, now)
	return v.snap, mg, nil
}

// rank orders a metagraph's serving miners by incentive, highest first
// (ties by UID), leaving out the gateway's own hotkey, UIDs without an
// axon or model hash, and those the Skipper names.
func (g *Gateway) rank(netuid uint16, mg *subnettypes.QueryMetagraphResponse, now time.Time) *snapshot {
	s := &snapshot{block: mg.Block, fetched: now}
	self := g.deps.Signer.Address()
	idx := make([]int, 0, len(mg.Neurons))
	for i := range mg.Neurons {
		n := &mg.Neurons[i]
		switch {
		case n.Hotkey == self:
			continue
		case n.Axon == nil || n.Axon.Endpoint == "" || n.Axon.ModelHash == "":
			continue
		}
		if g.deps.Skipper != nil {
			if r := g.deps.Skipper.Skip(netuid, n.Uid, n.Hotkey); r != "" {
				s.skipped = append(s.skipped, Skipped{UID: n.Uid, Reason: r})
				continue
			}
		}
		idx = append(idx, i)
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		na, nb := &mg.Neurons[a], &mg.Neurons[b]
		if c := nb.Incentive.BigInt().Cmp(na.Incentive.BigInt()); c != 0 {
			return c
		}
		return int(na.Uid) - int(nb.Uid)
	})
	for _, i := range idx {
		n := &mg.Neurons[i]
		s.ranked = append(s.ranked, Miner{UID: n.Uid, Hotkey: n.Hotkey, Endpoint: n.Axon.Endpoint,
			ModelHash: n.Axon.ModelHash, Incentive: n.Incentive.String()})
	}
	return s
}

// taskOf loads the subnet's task from its spec on chain (DESIGN §11): the
// data is fetched into the content-addressed cache once, for the schema.
// A failure is remembered for 10 s, then tried again (a mirror may be back).
func (v *subnetView) taskOf(ctx context.Context, sn *subnettypes.Subnet) (*taskInfo, error) {
	v.taskMu.Lock()
	defer v.taskMu.Unlock()
	now := v.g.deps.Clock()
	if v.task != nil || (v.taskErr != nil && now.Sub(v.taskWhen) < 10*time.Second) {
		return v.task, v.taskErr
	}
	v.task, v.taskErr = v.g.loadTask(ctx, sn)
	v.taskWhen = now
	return v.task, v.taskErr
}

func (g *Gateway) loadTask(ctx context.Context, sn *subnettypes.Subnet) (*taskInfo, error) {
	spec, err := sn.Task()
	if err != nil {
		return nil, fmt.Errorf("netuid %d task: %w", sn.Netuid, err)
	}
	d, _, err := check.Load(ctx, spec, check.Options{DataDir: g.cfg.DataDir, Caches: g.cfg.DataCaches})
	if err != nil {
		return nil, fmt.Errorf("netuid %d task %s: %w", sn.Netuid, spec.Name, err)
	}
	canonical, err := spec.Canonical()
	if err != nil {
		return nil, err
	}
	maxLat := time.Duration(spec.MaxLatencyMS) * time.Millisecond
	if maxLat <= 0 {
		maxLat = 2 * time.Second
	}
	target := g.cfg.HedgeAfter
	if target <= 0 {
		target = maxLat / 4 // the validator's default latency target (DESIGN §8)
	}
	return &taskInfo{spec: spec, canonical: canonical, hash: sn.TaskHash, schema: d.Schema, target: target, maxLat: maxLat}, nil
}
