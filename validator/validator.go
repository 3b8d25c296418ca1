// Package validator is the validator daemon (DESIGN §8): it syncs the
// subnet's metagraph from the chain, samples challenges from the task's
// held-out data with counterfactual twins mixed in, queries every serving
// miner through the signed synapse client, scores quality, bias and latency
// (validator/scoring), keeps a moving average per UID, and once per tempo
// turns the averages into weights it commits and then reveals (or sets).
// State is persisted atomically (validator/state) so a restart loses
// neither scores nor a pending commit. See README.md.
package validator

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/daemon"
	"github.com/assay-network/assay/dataset"
	synapsev1 "github.com/assay-network/assay/synapse/v1"
	"github.com/assay-network/assay/validator/challenge"
	"github.com/assay-network/assay/validator/scoring"
	"github.com/assay-network/assay/validator/state"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// Validator runs the loop. Build it with New, then call Run (or Sync and
// RunRound step by step, as tests and benchmarks do).
type Validator struct {
	cfg  Config
	deps Deps
	m    *metrics
	log  zerolog.Logger

	mu    sync.Mutex // guards st and mg
	st    *state.State
	mg    *subnettypes.QueryMetagraphResponse
	saveM sync.Mutex // serialises state writes

	// Set up from the first metagraph (the subnet's task).
	setup    sync.Once
	setupErr error
	sampler  *challenge.Sampler // used by the round goroutine only
	spec     scoring.Spec
	// temperature is the task's reward.temperature: the softmax that
	// turns scores into weights (DESIGN §12).
	temperature float64
	req         func(*challenge.Challenge) *synapsev1.InferRequest

	// task is the subnet's dataset (the task type, hash and schema a
	// replayed model must fit); copyEpsilon is its reward.copy_epsilon.
	task        *dataset.Dataset
	copyEpsilon float64
	models      *modelStore
	pubs        publishers

	conns *client.ConnPool
	wr    weightRetry

	skipReplay bool // BenchmarkRound256's baseline: the round without replay
}

// New loads the state file and checks the dependencies; nothing runs yet.
func New(cfg Config, deps Deps) (*Validator, error) {
	cfg.setDefaults()
	if deps.Chain == nil || deps.Signer == nil {
		return nil, errors.New("validator: Chain and Signer are required")
	}
	if cfg.StatePath == "" {
		return nil, errors.New("validator: StatePath is required")
	}
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if deps.Registry == nil {
		reg := prometheus.NewRegistry()
		deps.Registry, deps.Gatherer = reg, reg
	}
	if deps.Clock == nil {
		deps.Clock = time.Now
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
	if cfg.Seed == 0 {
		var b [8]byte
		_, _ = rand.Read(b[:])
		cfg.Seed = binary.LittleEndian.Uint64(b[:]) | 1
	}
	m, err := newMetrics(deps.Registry)
	if err != nil {
		return nil, err
	}
	hotkey := deps.Signer.Address()
	st, err := state.Load(cfg.StatePath, cfg.Netuid, hotkey)
	if err != nil {
		return nil, err
	}
	v := &Validator{cfg: cfg, deps: deps, m: m, st: st, conns: client.NewConnPool(deps.Dial),
		models: newModelStore(int64(cfg.ModelCacheMB) << 20), pubs: publishers{known: map[string]subnettypes.ModelPublisher{}}}
	v.log = deps.Log.With().Uint16("netuid", cfg.Netuid).Str("hotkey", hotkey).Logger()
	for _, s := range st.Scores {
		v.publish(s)
	}
	if len(st.Pending) > 0 {
		v.log.Info().Int("pending_commits", len(st.Pending)).Str("state", cfg.StatePath).Msg("resuming with pending weight commits")
	}
	return v, nil
}

// State returns a copy of the current state.
func (v *Validator) State() *state.State {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.st.Clone()
}

// Run syncs, queries and sets weights until ctx ends. A chain that is down
// is retried with backoff; Run returns only on cancel or a setup error
// (e.g. the subnet's dataset is missing). /metrics and /healthz are served
// from the start, so a probe sees a validator still waiting for its chain.
func (v *Validator) Run(ctx context.Context) error {
	defer v.conns.CloseAll()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g, gctx := errgroup.WithContext(ctx)
	if v.cfg.MetricsAddr != "" {
		lis, err := net.Listen("tcp", v.cfg.MetricsAddr)
		if err != nil {
			return fmt.Errorf("validator: metrics listen %s: %w", v.cfg.MetricsAddr, err)
		}
		g.Go(func() error { return daemon.ServeHTTP(gctx, lis, v.deps.Gatherer, v.Health) })
	}
	if err := v.firstSync(gctx); err != nil || gctx.Err() != nil {
		cancel()
		if werr := g.Wait(); err == nil {
			err = werr
		}
		return err
	}
	g.Go(func() error { v.syncLoop(gctx); return nil })
	g.Go(func() error { v.roundLoop(gctx); return nil })
	v.log.Info().Dur("round_interval", v.cfg.RoundInterval).Int("batch", v.cfg.BatchSize).Int("pairs", v.cfg.Pairs).Msg("validator running")
	err := g.Wait()
	v.log.Info().Msg("validator stopped")
	return err
}

// firstSync waits, without giving up, for the first metagraph: it fixes
// the task. It returns nil on cancel, or the setup error.
func (v *Validator) firstSync(ctx context.Context) error {
	var b daemon.Backoff
	for {
		err := v.Sync(ctx)
		if err == nil {
			return nil
		}
		if v.setupErr != nil {
			return v.setupErr
		}
		if ctx.Err() != nil {
			return nil
		}
		d := b.Next()
		v.log.Warn().Err(err).Dur("retry_in", d).Msg("chain unreachable; retrying")
		if !daemon.Sleep(ctx, d) {
			return nil
		}
	}
}

// Health is the validator's /healthz: ok with the block of the last
// metagraph once one is synced, an error before.
func (v *Validator) Health() (string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.mg == nil {
		return "", errors.New("no metagraph yet: waiting for the chain")
	}
	return fmt.Sprintf("ok netuid=%d block=%d", v.cfg.Netuid, v.mg.Block), nil
}

// syncLoop polls the metagraph; on every new block it reconciles the scores
// and runs the weight step. Failures back off up to 30 s and never stop it.
func (v *Validator) syncLoop(ctx context.Context) {
	var b daemon.Backoff
	wait := v.cfg.SyncInterval
	for daemon.Sleep(ctx, wait) {
		if err := v.Sync(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			wait = b.Next()
			v.m.errors.WithLabelValues("metagraph").Inc()
			v.log.Warn().Err(err).Dur("retry_in", wait).Msg("metagraph sync failed; keeping the last one")
			continue
		}
		b.Reset()
		wait = v.cfg.SyncInterval
	}
}

// Sync loads the metagraph once. If the block is new it reconciles the
// per-UID scores and runs the weight step (commit, reveal or set).
func (v *Validator) Sync(ctx context.Context) error {
	qctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	mg, err := v.deps.Chain.Metagraph(qctx, v.cfg.Netuid)
	cancel()
	if err != nil {
		return err
	}
	v.setup.Do(func() { v.setupErr = v.setupTask(ctx, &mg.Subnet) })
	if v.setupErr != nil {
		return v.setupErr
	}
	v.mu.Lock()
	newBlock := v.mg == nil || mg.Block != v.mg.Block
	v.mg = mg
	reset := v.reconcile(mg)
	v.mu.Unlock()
	v.m.block.Set(float64(mg.Block))
	if reset {
		v.save()
	}
	if newBlock {
		v.weightsStep(ctx, mg)
	}
	return nil
}

// reconcile drops the scores of UIDs whose neuron changed (re-registered:
// another hotkey or registration block) or is gone. Caller holds mu.
func (v *Validator) reconcile(mg *subnettypes.QueryMetagraphResponse) bool {
	byUID := make(map[uint32]*subnettypes.Neuron, len(mg.Neurons))
	for i := range mg.Neurons {
		byUID[mg.Neurons[i].Uid] = &mg.Neurons[i]
	}
	kept := v.st.Scores[:0]
	changed := false
	for _, s := range v.st.Scores {
		n := byUID[s.UID]
		if n != nil && n.Hotkey == s.Hotkey && n.RegisteredAt == s.RegisteredAt {
			kept = append(kept, s)
			continue
		}
		changed = true
		ev := v.log.Info().Uint32("uid", s.UID).Str("old_hotkey", s.Hotkey)
		if n != nil {
			ev = ev.Str("new_hotkey", n.Hotkey).Int64("registered_at", n.RegisteredAt)
		}
		ev.Msg("uid re-registered or gone; score reset")
		v.unpublish(s.UID)
	}
	v.st.Scores = kept
	return changed
}

// save writes a snapshot of the state; a failure is logged and counted
// (the next save retries with newer data).
func (v *Validator) save() {
	v.saveM.Lock()
	defer v.saveM.Unlock()
	v.mu.Lock()
	snap := v.st.Clone()
	v.mu.Unlock()
	if err := state.Save(v.cfg.StatePath, snap); err != nil {
		v.m.errors.WithLabelValues("state").Inc()
		v.log.Error().Err(err).Str("state", v.cfg.StatePath).Msg("saving state failed")
	}
}

// mustSave is save for the commit path: the caller must know whether the
// salt is on disk before broadcasting the commit.
func (v *Validator) mustSave() error {
	v.saveM.Lock()
	defer v.saveM.Unlock()
	v.mu.Lock()
	snap := v.st.Clone()
	v.mu.Unlock()
	return state.Save(v.cfg.StatePath, snap)
}

func (v *Validator) publish(s state.UIDScore) {
	u := strconv.FormatUint(uint64(s.UID), 10)
	v.m.score.WithLabelValues(u).Set(s.Score)
	v.m.quality.WithLabelValues(u).Set(s.Quality)
	v.m.bias.WithLabelValues(u).Set(s.Bias)
}

func (v *Validator) unpublish(uid uint32) {
	u := strconv.FormatUint(uint64(uid), 10)
	for _, g := range []*prometheus.GaugeVec{v.m.score, v.m.quality, v.m.bias, v.m.flip, v.m.dp, v.m.eo} {
		g.DeleteLabelValues(u)
	}
}
