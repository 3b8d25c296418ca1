package validator

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/miner/model"
	"github.com/assay-network/assay/validator/challenge"
	"github.com/assay-network/assay/validator/scoring"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// smallModel is the file size under which every row of a round is
// replayed by default (DESIGN §12: --replay-fraction defaults to 1.0 for
// models under 1 MiB); larger models replay largeModelShare of the rows.
const (
	smallModel      = 1 << 20
	largeModelShare = 0.25
)

// replayShare is the share of a round's rows replayed for a model file of
// size bytes.
func (v *Validator) replayShare(size int64) float64 {
	switch {
	case v.cfg.ReplayFraction > 0:
		return v.cfg.ReplayFraction
	case size < smallModel:
		return 1
	}
	return largeModelShare
}

// buildModel decodes a fetched (hash-checked) model file and checks it fits
// the subnet's task: made for its task hash, with its features and classes.
// A file that does not is kept as unfit: its hash will never replay.
func (v *Validator) buildModel(hash string, file []byte) *storedModel {
	sm := &storedModel{hash: hash, size: int64(len(file))}
	m, err := model.Decode(file)
	if err == nil {
		err = v.fits(m)
	}
	if err == nil {
		sm.pred, err = model.NewPredictor(m, model.PredictorOptions{})
	}
	if err != nil {
		sm.unfit = fmt.Errorf("model %s does not fit the task: %w", hash, err)
		return sm
	}
	sm.enc = m.Header.Encoder.Compile()
	return sm
}

func (v *Validator) fits(m *model.Model) error {
	if err := m.CheckTask(v.task.Task, v.task.TaskHash); err != nil {
		return err
	}
	h := &m.Header
	if got, want := len(h.Schema.Features), len(v.task.Schema.Features); got != want {
		return fmt.Errorf("model: schema has %d features, the task %d", got, want)
	}
	if h.Architecture.Classes != v.spec.Classes {
		return fmt.Errorf("model: architecture %s has %d classes, the task %d", h.Architecture, h.Architecture.Classes, v.spec.Classes)
	}
	return nil
}

// prefetch starts fetching the model of every target whose model is not
// stored yet (a copy's hash is its publisher's: it is fetched from
// whichever target comes first). It returns at once.
func (v *Validator) prefetch(ctx context.Context, d *client.Dendrite, targets []*subnettypes.Neuron) {
	now := v.deps.Clock()
	for _, n := range targets {
		if n.Axon.ModelHash == "" {
			continue
		}
		_, _, _ = v.models.get(ctx, n.Axon.ModelHash, n.Hotkey, now, v.fetcher(d, n), func(f []byte) *storedModel { return v.buildModel(n.Axon.ModelHash, f) })
	}
}

// fetcher downloads n's model with a signed GetModel, at most the cache's
// size, within FetchTimeout, checked against the axon's on-chain hash.
func (v *Validator) fetcher(d *client.Dendrite, n *subnettypes.Neuron) func(context.Context) ([]byte, error) {
	hotkey, endpoint, hash := n.Hotkey, n.Axon.Endpoint, n.Axon.ModelHash
	return func(ctx context.Context) ([]byte, error) {
		conn, err := v.conns.Get(endpoint)
		if err != nil {
			return nil, err
		}
		return d.FetchModel(ctx, client.Axon{Hotkey: hotkey, ModelHash: hash, Conn: conn}, v.models.capBytes, v.cfg.FetchTimeout)
	}
}

// awaitModel returns o's stored model, waiting for its fetch until
// deadline; an error says why it cannot be replayed (unverifiable).
func (v *Validator) awaitModel(hash, hotkey string, deadline time.Time) (*storedModel, error) {
	sm, wait, err := v.models.get(context.Background(), hash, hotkey, v.deps.Clock(), nil, nil)
	if sm == nil && err == nil && wait != nil {
		t := time.NewTimer(time.Until(deadline))
		select {
		case <-wait:
		case <-t.C:
		}
		t.Stop()
		sm, _, err = v.models.get(context.Background(), hash, hotkey, v.deps.Clock(), nil, nil)
	}
	switch {
	case err != nil:
		return nil, fmt.Errorf("GetModel: %w", err)
	case sm == nil:
		return nil, fmt.Errorf("model %s not fetched yet (fetching in the background; replayed once in)", hash)
	case sm.unfit != nil:
		return nil, sm.unfit
	}
	return sm, nil
}

// replayRound re-runs a seeded share of the round's rows through each
// answered UID's published model and marks mismatch (> 2% of the replayed
// rows differ) or unverifiable (no model to replay). The seed is drawn
// here, after every answer arrived, so no miner could know which rows
// would be checked. Forward passes run on every core.
func (v *Validator) replayRound(ctx context.Context, obs []Observation, ch *challenge.Challenge, deadline time.Time) {
	if v.skipReplay {
		return
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	seed := binary.LittleEndian.Uint64(b[:])
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i := range obs {
		o := &obs[i]
		if o.Reason != "" {
			continue // failed, trivial or a copy: nothing to verify
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sm, err := v.awaitModel(o.hash, o.Hotkey, deadline)
			if err != nil {
				o.zero(reasonUnverifiable, err)
				return
			}
			sem <- struct{}{}
			defer func() { <-sem }()
			v.replayOne(ctx, sm, o, ch, scoring.ReplaySample(seed, uint64(o.UID), ch.Len(), v.replayShare(sm.size)))
		}()
	}
	wg.Wait()
}

// replayOne compares o's answers on rows with sm's forward pass.
func (v *Validator) replayOne(ctx context.Context, sm *storedModel, o *Observation, ch *challenge.Challenge, rows []int) {
	w := sm.enc.Width()
	flat := make([]float64, len(rows)*w)
	in := make([][]float64, len(rows))
	for k, r := range rows {
		in[k] = flat[k*w : (k+1)*w : (k+1)*w]
		if err := sm.enc.Encode(ch.Rows[r], in[k]); err != nil {
			o.zero(reasonUnverifiable, fmt.Errorf("model %s cannot encode challenge row %d: %w", sm.hash, r, err))
			return
		}
	}
	start := time.Now()
	want, err := sm.pred.Predict(ctx, in)
	v.m.replayDuration.Observe(time.Since(start).Seconds())
	if err != nil {
		o.zero(reasonUnverifiable, fmt.Errorf("replaying model %s: %w", sm.hash, err))
		return
	}
	bad, first := 0, -1
	for k, r := range rows {
		if !scoring.RowMatches(o.probs[r], want[k]) {
			if bad++; first < 0 {
				first = r
			}
		}
	}
	v.m.replayedRows.Add(float64(len(rows)))
	if scoring.Mismatched(bad, len(rows)) {
		o.zero(reasonMismatch, fmt.Errorf("%d of %d replayed rows differ from model %s's own output (first: row %d, answered %v, the model gives %v)",
			bad, len(rows), sm.hash, first, o.probs[first], want[indexOf(rows, first)]))
	}
}

func indexOf(rows []int, r int) int {
	for k, x := range rows {
		if x == r {
			return k
		}
	}
	return 0
}
