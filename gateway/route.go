package gateway

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/assay-network/assay/client"
	synapsev1 "github.com/assay-network/assay/synapse/v1"
)

// answer is one miner's verified response.
type answer struct {
	rank    int // position in the snapshot's ranking (0: best)
	miner   Miner
	resp    *synapsev1.InferResponse
	latency time.Duration
}

// attempt is one miner asked, for the response's routing trace.
type attempt struct {
	UID     uint32 `json:"uid"`
	Hedged  bool   `json:"hedged,omitempty"` // asked because an earlier one was slow
	Error   string `json:"error,omitempty"`
	Latency string `json:"latency,omitempty"`
}

// errNoMiner is 503: nobody answered.
var errNoMiner = errors.New("no miner answered")

// route asks the ranked miners for k answers to one encoded request
// (DESIGN issue 20's routing): the best k first; a failure asks the next
// one at once; when no answer has come within the task's latency target
// the next one is asked too (hedging), again every target period. It ends
// with k answers, or when every miner has been tried, or at the deadline.
// Answers come back best-ranked first.
func (g *Gateway) route(ctx context.Context, ranked []Miner, body []byte, rows uint32, k int, t *taskInfo) ([]answer, []attempt, error) {
	deadline := g.cfg.Deadline
	if deadline <= 0 {
		deadline = 2 * t.maxLat
	}
	ctx, cancel := context.WithTimeout(ctx, deadline)
	defer cancel() // stops the miners still working once k answered

	type result struct {
		i   int
		a   answer
		err error
	}
	results := make(chan result, len(ranked))
	var trace []attempt
	next, pending := 0, 0
	launch := func(hedged bool) bool {
		if next >= len(ranked) {
			return false
		}
		i := next
		next++
		pending++
		trace = append(trace, attempt{UID: ranked[i].UID, Hedged: hedged})
		ti := len(trace) - 1
		go func() {
			a, err := g.ask(ctx, ranked[i], body, rows, uint32(len(t.schema.Classes)), t.maxLat)
			a.rank = i
			results <- result{i: ti, a: a, err: err}
		}()
		return true
	}
	for range min(k, len(ranked)) {
		launch(false)
	}
	hedge := time.NewTimer(t.target)
	defer hedge.Stop()
	var got []answer
	var lastErr error
	for pending > 0 && len(got) < k {
		select {
		case r := <-results:
			pending--
			if r.err != nil {
				trace[r.i].Error = r.err.Error()
				lastErr = r.err
				launch(false)
				continue
			}
			trace[r.i].Latency = r.a.latency.Round(time.Microsecond).String()
			got = append(got, r.a)
		case <-hedge.C:
			launch(true)
			hedge.Reset(t.target)
		case <-ctx.Done():
			lastErr = fmt.Errorf("deadline %v: %w", deadline, ctx.Err())
			pending = 0
		}
	}
	if len(got) == 0 {
		if lastErr == nil {
			lastErr = errors.New("no miner is serving")
		}
		return nil, trace, fmt.Errorf("%w: %d asked: %v", errNoMiner, len(trace), lastErr)
	}
	slices.SortFunc(got, func(a, b answer) int { return a.rank - b.rank })
	return got, trace, nil
}

// ask is one signed synapse call through the validator's dendrite, which
// checks the miner's signature and that it serves its announced model; an
// answer with another class count or a non-finite probability is a failure.
func (g *Gateway) ask(ctx context.Context, m Miner, body []byte, rows, classes uint32, timeout time.Duration) (answer, error) {
	conn, err := g.conns.Get(m.Endpoint)
	if err != nil {
		return answer{}, fmt.Errorf("uid %d: %w", m.UID, err)
	}
	start := g.deps.Clock()
	resp, err := g.dendrite.InferEncoded(ctx, client.Axon{Hotkey: m.Hotkey, ModelHash: m.ModelHash, Conn: conn}, body, rows, timeout)
	lat := g.deps.Clock().Sub(start)
	g.m.minerLatency.Observe(lat.Seconds())
	if err != nil {
		g.m.minerErrors.Inc()
		return answer{}, fmt.Errorf("uid %d: %w", m.UID, err)
	}
	if resp.Classes != classes {
		g.m.minerErrors.Inc()
		return answer{}, fmt.Errorf("uid %d: answered %d classes, the task has %d", m.UID, resp.Classes, classes)
	}
	for _, p := range resp.Probabilities {
		if math.IsNaN(p) || math.IsInf(p, 0) {
			g.m.minerErrors.Inc()
			return answer{}, fmt.Errorf("uid %d: answered a non-finite probability", m.UID)
		}
	}
	return answer{miner: m, resp: resp, latency: lat}, nil
}
