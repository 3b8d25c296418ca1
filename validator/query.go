package validator

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/connectivity"
	"google.golang.org/grpc/status"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/daemon"
	synapsev1 "github.com/assay-network/assay/synapse/v1"
	"github.com/assay-network/assay/validator/challenge"
	"github.com/assay-network/assay/validator/scoring"
	"github.com/assay-network/assay/validator/state"
	"github.com/assay-network/assay/x/subnet/epoch"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// Observation is one miner's result in one round.
type Observation struct {
	UID          uint32
	Hotkey       string
	RegisteredAt int64
	Latency      time.Duration
	Result       scoring.Result // zero on failure
	// Reason is why it scored 0 ("" if answered well): a failure
	// (timeout, bad_signature, unreachable…), or one of DESIGN §12's
	// reasons; Why maps it to §12's set.
	Reason string
	Err    error

	hash  string      // the axon's on-chain model hash
	probs [][]float64 // the answer, one row per challenge row
	pred  []int       // its predicted classes
}

// roundLoop runs a query round every RoundInterval.
func (v *Validator) roundLoop(ctx context.Context) {
	for {
		if _, err := v.RunRound(ctx); err != nil && ctx.Err() == nil {
			v.m.errors.WithLabelValues("round").Inc()
			v.log.Warn().Err(err).Msg("query round failed")
		}
		if !daemon.Sleep(ctx, v.cfg.RoundInterval) {
			return
		}
	}
}

// RunRound samples one challenge, queries every serving miner of the last
// synced metagraph concurrently, scores the answers, folds them into the
// moving averages and saves the state. It needs a prior Sync.
func (v *Validator) RunRound(ctx context.Context) ([]Observation, error) {
	v.mu.Lock()
	mg := v.mg
	v.mu.Unlock()
	if mg == nil {
		return nil, errors.New("validator: no metagraph synced yet")
	}
	start := time.Now()
	ch, err := v.sampler.Next(v.cfg.BatchSize, v.cfg.Pairs)
	if err != nil {
		return nil, err
	}
	req := client.NewInferRequest(v.cfg.Netuid, ch.Rows)
	self := v.deps.Signer.Address()
	var targets []*subnettypes.Neuron
	for i := range mg.Neurons {
		n := &mg.Neurons[i]
		if n.Axon != nil && n.Axon.Endpoint != "" && n.Hotkey != self {
			targets = append(targets, n)
		}
	}
	obs := make([]Observation, len(targets))
	dendrite := client.NewDendrite(v.deps.Signer, v.deps.Clock)
	// While the miners answer: the download of every model not stored yet
	// (from a hash's known first publisher, not its copies), then who
	// published each new hash first. The downloads do not wait for the
	// chain: a slow chain must not leave honest models unfetched.
	deadline := start.Add(v.cfg.QueryTimeout)
	var pubs map[string]subnettypes.ModelPublisher
	prep := make(chan struct{})
	go func() {
		defer close(prep)
		v.prefetch(ctx, dendrite, originals(targets, v.pubs.knownPublishers(targets)))
		pubs = v.lookupPublishers(ctx, targets, deadline)
	}()
	sem := make(chan struct{}, v.cfg.Concurrency)
	var wg sync.WaitGroup
	for i, n := range targets {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			obs[i] = v.queryOne(ctx, dendrite, n, req, ch)
		}()
	}
	wg.Wait()
	<-prep
	if ctx.Err() != nil {
		return nil, ctx.Err() // a cancelled round scores nobody
	}
	// DESIGN §12, in order: exact copies earn nothing and are not
	// replayed; the rest are replayed; what survives is judged for
	// near-copies.
	markCopies(obs, pubs)
	v.replayRound(ctx, obs, ch, deadline)
	markNearCopies(obs, pubs, v.copyEpsilon)
	v.apply(obs, epoch.Index(mg.Block, v.cfg.Netuid, mg.Subnet.Hyperparams.Tempo))
	v.m.rounds.Inc()
	v.m.roundDuration.Observe(time.Since(start).Seconds())
	v.save()
	return obs, nil
}

// originals are the targets that are not exact copies: the first
// publishers of their hashes, and those whose hash has no record.
func originals(targets []*subnettypes.Neuron, pubs map[string]subnettypes.ModelPublisher) []*subnettypes.Neuron {
	var out []*subnettypes.Neuron
	for _, n := range targets {
		if p, ok := pubs[n.Axon.ModelHash]; !ok || (p.Uid == n.Uid && p.Hotkey == n.Hotkey) {
			out = append(out, n)
		}
	}
	return out
}

// queryOne asks one miner and scores the answer; every failure scores 0
// with a reason.
func (v *Validator) queryOne(ctx context.Context, d *client.Dendrite, n *subnettypes.Neuron, req *synapsev1.InferRequest, ch *challenge.Challenge) Observation {
	o := Observation{UID: n.Uid, Hotkey: n.Hotkey, RegisteredAt: n.RegisteredAt, hash: n.Axon.ModelHash}
	fail := func(reason string, err error) Observation {
		o.Reason, o.Err = reason, err
		return o
	}
	if n.Axon.ModelHash == "" {
		return fail("no_model_hash", errors.New("axon announces no model hash"))
	}
	conn, err := v.conns.Get(n.Axon.Endpoint)
	if err != nil {
		return fail("unreachable", err)
	}
	// Connection setup is not the miner's answer time: wait for it apart.
	if err := ready(ctx, conn, v.cfg.QueryTimeout); err != nil {
		return fail("unreachable", err)
	}
	start := time.Now()
	resp, err := d.Infer(ctx, client.Axon{Hotkey: n.Hotkey, ModelHash: n.Axon.ModelHash, Conn: conn}, req, v.cfg.QueryTimeout)
	o.Latency = time.Since(start)
	v.m.queryLatency.Observe(o.Latency.Seconds())
	if err != nil {
		return fail(classify(err), err)
	}
	rows, err := client.ResponseRows(resp) // shape already checked by the dendrite
	if err != nil {
		return fail("bad_output", err)
	}
	pred, err := scoring.CheckOutputs(rows, ch.Len(), v.spec.Classes)
	if err != nil {
		return fail("bad_output", err)
	}
	if o.Result, err = scoring.Evaluate(v.spec, ch.Batch, pred, o.Latency); err != nil {
		return fail("bad_output", err)
	}
	o.probs, o.pred = rows, pred
	if o.Result.Skill == 0 {
		// An answer, scored as one, but worth nothing (DESIGN §12).
		o.Reason, o.Err = reasonTrivial, fmt.Errorf("quality %.4f is not above this round's baseline %.4f (the constant answer's)", o.Result.Quality, o.Result.Baseline)
	}
	return o
}

// classify names why a query failed (a metric label and a log field).
func classify(err error) string {
	switch {
	case errors.Is(err, client.ErrBadSignature):
		return "bad_signature"
	case errors.Is(err, context.DeadlineExceeded), status.Code(err) == codes.DeadlineExceeded:
		return "timeout"
	}
	if s, ok := status.FromError(err); ok && s.Code() != codes.Unknown {
		switch s.Code() {
		case codes.Unavailable:
			return "unreachable"
		case codes.Canceled:
			return "cancelled"
		}
		return "refused"
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "serves model"):
		return "wrong_model"
	case strings.Contains(msg, "rows for"), strings.Contains(msg, "model hash"):
		return "bad_output"
	}
	return "error"
}

// apply folds a round run in epoch e into the moving averages. An
// observation for a UID that was re-registered while the round ran is
// dropped.
func (v *Validator) apply(obs []Observation, e int64) {
	v.mu.Lock()
	defer v.mu.Unlock()
	current := make(map[uint32]*subnettypes.Neuron, len(v.mg.Neurons))
	for i := range v.mg.Neurons {
		current[v.mg.Neurons[i].Uid] = &v.mg.Neurons[i]
	}
	v.st.Round++
	for _, o := range obs {
		n := current[o.UID]
		if n == nil || n.Hotkey != o.Hotkey || n.RegisteredAt != o.RegisteredAt {
			continue
		}
		s := v.st.Upsert(o.UID)
		first := s.Rounds == 0 || s.Hotkey != o.Hotkey || s.RegisteredAt != o.RegisteredAt
		if first {
			*s = stateEntry(o)
		}
		a := v.cfg.Alpha
		answered := o.Reason == "" || o.Reason == reasonTrivial
		s.Score = scoring.EMA(s.Score, o.Result.Score, a, first)
		s.Quality = scoring.EMA(s.Quality, o.Result.Quality, a, first)
		if answered {
			// A failed answer says nothing about bias: it is already 0 by score.
			s.Bias = scoring.EMA(s.Bias, o.Result.Bias, a, first)
			s.AnsweredEpoch = e
		} else {
			s.FailedEpoch = e // scoring.Silent: no weight for an epoch of failures
		}
		if o.Reason == reasonMismatch {
			s.MismatchEpoch = &e // weight 0 for the epoch (DESIGN §12)
		}
		s.Rounds++
		why := o.Why()
		s.LastError, s.Reason = "", why
		u := strconv.FormatUint(uint64(o.UID), 10)
		l := v.log.With().Uint32("uid", o.UID).Str("miner", o.Hotkey).Logger()
		if o.Reason != "" {
			s.LastError = o.Reason + ": " + o.Err.Error()
			v.m.queryFailures.WithLabelValues(reasonLabel(o.Reason)).Inc()
			v.m.zeroScores.WithLabelValues(reasonLabel(why)).Inc()
			l.Warn().Str("reason", why).Str("failure", o.Reason).Err(o.Err).Dur("latency", o.Latency).Float64("ema", s.Score).Msg("miner scored 0")
		}
		if answered {
			v.m.flip.WithLabelValues(u).Set(o.Result.FlipRate)
			v.m.dp.WithLabelValues(u).Set(o.Result.DPGap)
			v.m.eo.WithLabelValues(u).Set(o.Result.EOGap)
			l.Debug().Float64("quality", o.Result.Quality).Float64("skill", o.Result.Skill).Float64("bias", o.Result.Bias).Float64("flip_rate", o.Result.FlipRate).
				Float64("dp_gap", o.Result.DPGap).Float64("eo_gap", o.Result.EOGap).Float64("latency_factor", o.Result.LatencyFactor).
				Float64("score", o.Result.Score).Float64("ema", s.Score).Dur("latency", o.Latency).Msg("miner scored")
		}
		v.publish(*s)
	}
}

func stateEntry(o Observation) state.UIDScore {
	return state.UIDScore{UID: o.UID, Hotkey: o.Hotkey, RegisteredAt: o.RegisteredAt}
}

// ready waits up to timeout for a *grpc.ClientConn to connect (other
// connection types are taken as ready).
func ready(ctx context.Context, c grpc.ClientConnInterface, timeout time.Duration) error {
	cc, ok := c.(*grpc.ClientConn)
	if !ok {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		s := cc.GetState()
		switch s {
		case connectivity.Ready:
			return nil
		case connectivity.Idle:
			cc.Connect()
		}
		if !cc.WaitForStateChange(ctx, s) {
			return fmt.Errorf("connecting to %s: %s after %v", cc.Target(), s, timeout)
		}
	}
}
