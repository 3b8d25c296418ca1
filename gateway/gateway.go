package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/dataset"
)

// Gateway serves the HTTP API. Build it with New; Handler is the API,
// Close releases the miner connections.
type Gateway struct {
	cfg      Config
	deps     Deps
	m        *metrics
	dendrite *client.Dendrite
	conns    *client.ConnPool
	views    map[uint16]*subnetView // the served subnets; fixed at New
}

// New checks the configuration; nothing is dialled until a request.
func New(cfg Config, deps Deps) (*Gateway, error) {
	cfg.setDefaults()
	if err := deps.check(); err != nil {
		return nil, err
	}
	if len(cfg.Netuids) == 0 {
		return nil, errors.New("gateway: no subnet to serve (Netuids is empty)")
	}
	if deps.Dial == nil {
		deps.Dial = func(endpoint string) (grpc.ClientConnInterface, func() error, error) {
			c, err := grpc.NewClient(endpoint, grpc.WithTransportCredentials(insecure.NewCredentials()))
			if err != nil {
				return nil, nil, err
			}
			return c, c.Close, nil
		}
	}
	m, err := newMetrics(deps.Registry)
	if err != nil {
		return nil, err
	}
	g := &Gateway{cfg: cfg, deps: deps, m: m, dendrite: client.NewDendrite(deps.Signer, deps.Clock),
		conns: client.NewConnPool(deps.Dial), views: make(map[uint16]*subnetView, len(cfg.Netuids))}
	for _, n := range cfg.Netuids {
		if n == 0 {
			return nil, errors.New("gateway: netuid 0 is reserved")
		}
		g.views[n] = &subnetView{netuid: n, g: g}
	}
	return g, nil
}

// Close closes the miner connections.
func (g *Gateway) Close() { g.conns.CloseAll() }

// InferResult is the answer to an infer request.
type InferResult struct {
	Netuid      uint16       `json:"netuid"`
	TaskHash    string       `json:"task_hash"`
	Block       int64        `json:"block"`
	Classes     []string     `json:"classes"`
	Predictions []Prediction `json:"predictions"`
	Receipts    []*Receipt   `json:"receipts"`
	Routing     []attempt    `json:"routing"`
	Skipped     []Skipped    `json:"skipped,omitempty"`
}

// served returns the view of a served subnet, or a 404.
func (g *Gateway) served(netuid uint16) (*subnetView, error) {
	v := g.views[netuid]
	if v == nil {
		return nil, &InputError{Status: http.StatusNotFound, Code: "unknown_netuid", Field: "netuid",
			Msg: fmt.Sprintf("netuid %d is not served by this gateway (it serves %v)", netuid, g.cfg.Netuids)}
	}
	return v, nil
}

// view returns a served subnet's snapshot and task; a subnet missing on
// chain is a 404 naming the netuid.
func (g *Gateway) view(ctx context.Context, netuid uint16) (*subnetView, *snapshot, *taskInfo, error) {
	v, err := g.served(netuid)
	if err != nil {
		return nil, nil, nil, err
	}
	snap, mg, err := v.current(ctx)
	if err != nil {
		if status.Code(err) == codes.NotFound {
			return nil, nil, nil, &InputError{Status: http.StatusNotFound, Code: "unknown_netuid", Field: "netuid",
				Msg: fmt.Sprintf("netuid %d: no such subnet on chain", netuid)}
		}
		return nil, nil, nil, fmt.Errorf("%w: reading netuid %d's metagraph: %v", errChain, netuid, err)
	}
	v.taskMu.Lock()
	t := v.task
	v.taskMu.Unlock()
	if t == nil {
		if mg == nil { // the snapshot was cached; the task needs the subnet once
			if mg, err = g.deps.Chain.Metagraph(ctx, netuid); err != nil {
				return nil, nil, nil, fmt.Errorf("%w: reading netuid %d: %v", errChain, netuid, err)
			}
		}
		if t, err = v.taskOf(ctx, &mg.Subnet); err != nil {
			return nil, nil, nil, fmt.Errorf("%w: %v", errTask, err)
		}
	}
	return v, snap, t, nil
}

// errChain (502) and errTask (500) are the gateway's own failures.
var (
	errChain = errors.New("chain unavailable")
	errTask  = errors.New("task unavailable")
)

// Infer answers raw rows on netuid (the HTTP handler's core; benchmarks
// call it directly).
func (g *Gateway) Infer(ctx context.Context, netuid uint16, body []byte) (*InferResult, error) {
	_, snap, t, err := g.view(ctx, netuid)
	if err != nil {
		return nil, err
	}
	rows, err := DecodeRows(body, &t.schema)
	if err != nil {
		return nil, err
	}
	return g.inferRows(ctx, netuid, snap, t, rows)
}

func (g *Gateway) inferRows(ctx context.Context, netuid uint16, snap *snapshot, t *taskInfo, rows [][]float64) (*InferResult, error) {
	req := client.NewInferRequest(netuid, rows)
	body, err := client.MarshalBody(req)
	if err != nil {
		return nil, err
	}
	answers, trace, err := g.route(ctx, snap.ranked, body, req.Rows, g.cfg.Redundancy, t)
	res := &InferResult{Netuid: netuid, TaskHash: t.hash, Block: snap.block, Classes: t.schema.Classes, Routing: trace, Skipped: snap.skipped}
	if err != nil {
		return res, err
	}
	res.Predictions = combine(answers, len(rows), t.schema.Classes, g.cfg.Redundancy >= 3)
	res.Receipts = make([]*Receipt, len(answers))
	for i, a := range answers {
		if res.Receipts[i], err = g.newReceipt(netuid, snap.block, t.hash, req, a); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// TaskResult is GET /v1/subnets/{netuid}/task.
type TaskResult struct {
	Netuid   uint16          `json:"netuid"`
	Name     string          `json:"name"`
	TaskType string          `json:"task_type"`
	TaskHash string          `json:"task_hash"`
	Spec     json.RawMessage `json:"spec"`
	Schema   *dataset.Schema `json:"schema"`
	MaxRows  int             `json:"max_rows"`
	// MaxLatencyMS is the task's deadline; HedgeAfterMS when the next miner is asked too.
	MaxLatencyMS int64 `json:"max_latency_ms"`
	HedgeAfterMS int64 `json:"hedge_after_ms"`
	Redundancy   int   `json:"redundancy"`
}

// Task describes a served subnet's task.
func (g *Gateway) Task(ctx context.Context, netuid uint16) (*TaskResult, error) {
	_, _, t, err := g.view(ctx, netuid)
	if err != nil {
		return nil, err
	}
	return &TaskResult{Netuid: netuid, Name: t.spec.Name, TaskType: t.spec.TaskType, TaskHash: t.hash, Spec: t.canonical,
		Schema: &t.schema, MaxRows: MaxRows, MaxLatencyMS: t.maxLat.Milliseconds(), HedgeAfterMS: t.target.Milliseconds(),
		Redundancy: g.cfg.Redundancy}, nil
}

// SubnetSummary is one entry of GET /v1/subnets.
type SubnetSummary struct {
	Netuid   uint16 `json:"netuid"`
	Name     string `json:"name"`
	TaskHash string `json:"task_hash"`
	Served   bool   `json:"served"` // by this gateway
}

// Subnets lists the chain's subnets, marking the ones served here.
func (g *Gateway) Subnets(ctx context.Context) ([]SubnetSummary, error) {
	sns, err := g.deps.Chain.Subnets(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: listing subnets: %v", errChain, err)
	}
	out := make([]SubnetSummary, 0, len(sns))
	for _, s := range sns {
		n := uint16(s.Netuid)
		out = append(out, SubnetSummary{Netuid: n, Name: s.Name, TaskHash: s.TaskHash, Served: g.views[n] != nil})
	}
	slices.SortFunc(out, func(a, b SubnetSummary) int { return int(a.Netuid) - int(b.Netuid) })
	return out, nil
}
