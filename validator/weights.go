package validator

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"
	"github.com/rs/zerolog"

	"github.com/assay-network/assay/validator/scoring"
	"github.com/assay-network/assay/validator/state"
	"github.com/assay-network/assay/weightcommit"
	"github.com/assay-network/assay/x/subnet/epoch"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// weightRetry spaces out retries of failed weight txs (in blocks).
type weightRetry struct {
	failures int
	nextAt   int64
	noPermit int64 // epoch in which "no permit" was last logged
}

func (r *weightRetry) fail(h int64) int64 {
	r.failures++
	r.nextAt = h + int64(min(1<<min(r.failures-1, 4), 16))
	return r.nextAt
}

func (r *weightRetry) ok() { r.failures, r.nextAt = 0, 0 }

// weightsStep runs on every new block: reveal due commits, then, once per
// epoch, commit (or set) new weights.
func (v *Validator) weightsStep(ctx context.Context, mg *subnettypes.QueryMetagraphResponse) {
	h := mg.Block
	hp := mg.Subnet.Hyperparams
	v.revealDue(ctx, mg)
	if h < v.wr.nextAt || ctx.Err() != nil {
		return
	}
	e := epoch.Index(h, uint16(v.cfg.Netuid), hp.Tempo)
	v.mu.Lock()
	done := e <= v.st.LastWeightsEpoch || commitInFlight(v.st.Pending, e)
	v.mu.Unlock()
	if done {
		return
	}
	self := findNeuron(mg, v.deps.Signer.Address())
	if self == nil || !self.ValidatorPermit {
		if v.wr.noPermit != e {
			v.wr.noPermit = e
			v.log.Warn().Bool("registered", self != nil).Msg("no validator permit (stake the hotkey above min_validator_stake); not setting weights")
		}
		return
	}
	uids, weights, err := v.weightVector(mg)
	if err != nil {
		if v.wr.noPermit != e {
			v.wr.noPermit = e
			v.log.Info().Err(err).Msg("no weights to set yet")
		}
		return
	}
	version := max(v.cfg.VersionKey, hp.WeightsVersion)
	l := v.log.With().Uint32("uid", self.Uid).Int64("block", h).Int64("epoch", e).Logger()
	if !hp.CommitReveal {
		height, err := v.deps.Chain.SetWeights(ctx, v.cfg.Netuid, uids, weights, version)
		if err != nil {
			v.txFailed(ctx, l, "set", h, err)
			return
		}
		v.m.weightTxs.WithLabelValues("set", "ok").Inc()
		v.wr.ok()
		v.mu.Lock()
		v.st.LastWeightsEpoch = max(e, epoch.Index(height, uint16(v.cfg.Netuid), hp.Tempo))
		v.mu.Unlock()
		v.save()
		l.Info().Int64("height", height).Uints32("uids", uids).Uints32("weights", weights).Msg("weights set")
		return
	}
	v.commit(ctx, l, mg, e, uids, weights, version)
}

// commit persists the salt and what it hides, then broadcasts the hash: a
// crash after the broadcast still finds the salt on disk.
func (v *Validator) commit(ctx context.Context, l zerolog.Logger, mg *subnettypes.QueryMetagraphResponse, e int64, uids, weights []uint32, version uint64) {
	h := mg.Block
	hp := mg.Subnet.Hyperparams
	hot, err := accAddress(v.deps.Signer.Address())
	if err != nil {
		v.log.Error().Err(err).Msg("hotkey address")
		return
	}
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	hash := subnettypes.WeightsCommitHash(v.cfg.Netuid, hot, uids, weights, salt, version)
	c := state.Commit{Record: weightcommit.Record{Hash: hex.EncodeToString(hash), UIDs: uids, Weights: weights, Salt: hex.EncodeToString(salt), VersionKey: version}, Epoch: e}
	v.mu.Lock()
	v.st.Pending = append(v.st.Pending, c)
	v.mu.Unlock()
	if err := v.mustSave(); err != nil {
		v.dropPending(c.Hash)
		v.m.errors.WithLabelValues("state").Inc()
		l.Error().Err(err).Msg("cannot persist the commit salt; not committing")
		return
	}
	height, err := v.deps.Chain.CommitWeights(ctx, v.cfg.Netuid, hash)
	if err != nil {
		if refused(err) {
			v.dropPending(c.Hash) // never on chain: nothing to reveal
			v.save()
		} // otherwise it may still land: the reveal step asks the chain,
		// and no other commit is sent this epoch meanwhile (commitInFlight)
		v.txFailed(ctx, l, "commit", h, err)
		return
	}
	from, until := epoch.RevealWindow(height, uint16(v.cfg.Netuid), hp.Tempo, hp.RevealPeriod)
	v.mu.Lock()
	for i := range v.st.Pending {
		if v.st.Pending[i].Hash == c.Hash {
			v.st.Pending[i].Block, v.st.Pending[i].RevealFrom, v.st.Pending[i].RevealUntil = height, from, until
		}
	}
	// Once per epoch counts the epoch the tx landed in, not the one it was sent in.
	v.st.LastWeightsEpoch = max(e, epoch.Index(height, uint16(v.cfg.Netuid), hp.Tempo))
	v.mu.Unlock()
	v.save()
	v.m.weightTxs.WithLabelValues("commit", "ok").Inc()
	v.wr.ok()
	l.Info().Int64("height", height).Str("hash", c.Hash).Int64("reveal_from", from).Int64("reveal_until", until).
		Uints32("uids", uids).Uints32("weights", weights).Msg("weights committed")
}

// revealDue reveals every pending commit whose window is open, drops the
// expired ones, and learns the window of commits whose tx outcome is
// unknown (a crash or timeout right after broadcasting) from the chain,
// matching them by hash; one the chain never shows is dropped only once
// unknownCommitDeadline has passed.
func (v *Validator) revealDue(ctx context.Context, mg *subnettypes.QueryMetagraphResponse) {
	h := mg.Block
	hp := mg.Subnet.Hyperparams
	v.mu.Lock()
	pending := v.st.Clone().Pending
	v.mu.Unlock()
	if len(pending) == 0 {
		return
	}
	var onChain []subnettypes.WeightCommit
	var queried bool
	for _, p := range pending {
		l := v.log.With().Str("hash", p.Hash).Int64("block", h).Logger()
		if p.Block == 0 {
			if !queried {
				qctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				var err error
				onChain, err = v.deps.Chain.Commits(qctx, v.cfg.Netuid, v.deps.Signer.Address())
				cancel()
				if err != nil {
					v.m.errors.WithLabelValues("weights").Inc()
					l.Warn().Err(err).Msg("cannot look up commits; retrying next block")
					return
				}
				queried = true
			}
			i := slices.IndexFunc(onChain, func(c subnettypes.WeightCommit) bool { return hex.EncodeToString(c.Hash) == p.Hash })
			if i < 0 {
				// Not in a block yet, but the tx may be waiting in a mempool
				// (its sender was killed or timed out): keep it while it could
				// still land and be revealed.
				if until := unknownCommitDeadline(p, v.cfg.Netuid, hp.Tempo, hp.RevealPeriod); h > until {
					v.dropPending(p.Hash)
					v.save()
					v.m.weightTxs.WithLabelValues("commit", "lost").Inc()
					l.Warn().Int64("epoch", p.Epoch).Int64("deadline", until).Msg("pending commit never reached the chain; dropping it")
				} else {
					l.Debug().Int64("deadline", until).Msg("pending commit not on chain yet; keeping it")
				}
				continue
			}
			p.Block, p.RevealFrom, p.RevealUntil = onChain[i].Block, onChain[i].RevealFrom, onChain[i].RevealUntil
			v.mu.Lock()
			for j := range v.st.Pending {
				if v.st.Pending[j].Hash == p.Hash {
					v.st.Pending[j] = p
				}
			}
			v.st.LastWeightsEpoch = max(v.st.LastWeightsEpoch, p.Epoch, epoch.Index(p.Block, v.cfg.Netuid, hp.Tempo))
			v.mu.Unlock()
			v.save()
			l.Info().Int64("commit_block", p.Block).Int64("reveal_from", p.RevealFrom).Msg("pending commit found on chain")
		}
		switch {
		case h > p.RevealUntil:
			v.dropPending(p.Hash)
			v.save()
			v.m.weightTxs.WithLabelValues("reveal", "expired").Inc()
			l.Warn().Int64("reveal_until", p.RevealUntil).Msg("commit expired before it could be revealed; dropped")
		case h >= p.RevealFrom:
			salt, _ := hex.DecodeString(p.Salt)
			height, err := v.deps.Chain.RevealWeights(ctx, v.cfg.Netuid, p.UIDs, p.Weights, salt, p.VersionKey)
			if err != nil {
				switch txCode(err) {
				case subnettypes.ErrRevealMismatch.ABCICode(), subnettypes.ErrRevealExpired.ABCICode():
					v.dropPending(p.Hash) // the chain no longer holds it
					v.save()
				}
				v.m.weightTxs.WithLabelValues("reveal", "error").Inc()
				v.m.errors.WithLabelValues("weights").Inc()
				l.Warn().Err(err).Msg("reveal failed; retrying next block")
				continue
			}
			v.dropPending(p.Hash)
			v.save()
			v.m.weightTxs.WithLabelValues("reveal", "ok").Inc()
			l.Info().Int64("height", height).Uints32("uids", p.UIDs).Uints32("weights", p.Weights).Msg("weights revealed")
		}
	}
}

// unknownCommitDeadline is the last block at which a commit made in epoch
// p.Epoch, whose tx outcome is unknown, is still waited for: the end of
// the reveal window it would have had landing in that epoch. Landing later
// still, it could not be revealed before the validator's next commits.
func unknownCommitDeadline(p state.Commit, netuid uint16, tempo, revealPeriod uint64) int64 {
	_, until := epoch.RevealWindow(epoch.Start(p.Epoch, netuid, tempo), netuid, tempo, revealPeriod)
	return until
}

// commitInFlight reports whether a commit of epoch e or later was sent but
// not yet seen on chain: e's weights are on their way, and a second commit
// would race the first one's account sequence.
func commitInFlight(pending []state.Commit, e int64) bool {
	return slices.ContainsFunc(pending, func(c state.Commit) bool { return c.Block == 0 && c.Epoch >= e })
}

func (v *Validator) dropPending(hash string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.st.Pending = slices.DeleteFunc(v.st.Pending, func(c state.Commit) bool { return c.Hash == hash })
}

func (v *Validator) txFailed(ctx context.Context, l zerolog.Logger, kind string, h int64, err error) {
	if ctx.Err() != nil {
		l.Info().Err(err).Msgf("%s weights interrupted by shutdown", kind)
		return
	}
	v.m.weightTxs.WithLabelValues(kind, "error").Inc()
	v.m.errors.WithLabelValues("weights").Inc()
	next := v.wr.fail(h)
	l.Warn().Err(err).Uint32("code", txCode(err)).Int64("retry_at", next).Msgf("%s weights failed; will retry", kind)
}

// weightVector turns the EMA scores of the metagraph's current neurons into
// uint16 weights by a softmax at the task's temperature (DESIGN §12; a
// score of 0 gets 0) under the subnet's max_weight_limit and
// min_allowed_weights; only non-zero entries are sent, in UID order. A UID
// that failed every query since the previous epoch began (scoring.Silent),
// or whose answers failed replay since then (mismatch, DESIGN §12), counts
// 0, whatever its EMA.
func (v *Validator) weightVector(mg *subnettypes.QueryMetagraphResponse) ([]uint32, []uint32, error) {
	hp := mg.Subnet.Hyperparams
	e := epoch.Index(mg.Block, v.cfg.Netuid, hp.Tempo)
	scores := make([]float64, len(mg.Neurons))
	var silent, mismatched []uint32
	v.mu.Lock()
	for i, n := range mg.Neurons {
		s := v.st.Score(n.Uid)
		switch {
		case s == nil || s.Hotkey != n.Hotkey || s.RegisteredAt != n.RegisteredAt:
		case s.MismatchEpoch != nil && *s.MismatchEpoch >= e-1:
			mismatched = append(mismatched, n.Uid)
		case scoring.Silent(s.AnsweredEpoch, s.FailedEpoch, e):
			if s.Score > 0 {
				silent = append(silent, n.Uid)
			}
		default:
			scores[i] = s.Score
		}
	}
	v.mu.Unlock()
	if len(silent) > 0 {
		v.log.Info().Int64("epoch", e).Uints32("uids", silent).Msg("no answer from these uids since the last epoch began: weight 0")
	}
	if len(mismatched) > 0 {
		v.log.Info().Int64("epoch", e).Uints32("uids", mismatched).Msg("answers not from the published model since the last epoch began (mismatch): weight 0")
	}
	limit := uint16(min(hp.MaxWeightLimit, scoring.MaxWeight))
	w, err := scoring.SoftmaxWeights(scores, v.temperature, limit, int(hp.MinAllowedWeights))
	if err != nil {
		return nil, nil, err
	}
	var uids, weights []uint32
	for i, x := range w {
		if x > 0 {
			uids = append(uids, mg.Neurons[i].Uid)
			weights = append(weights, uint32(x))
		}
	}
	if len(uids) == 0 {
		return nil, nil, fmt.Errorf("validator: all weights round to 0")
	}
	return uids, weights, nil
}

func findNeuron(mg *subnettypes.QueryMetagraphResponse, hotkey string) *subnettypes.Neuron {
	for i := range mg.Neurons {
		if mg.Neurons[i].Hotkey == hotkey {
			return &mg.Neurons[i]
		}
	}
	return nil
}

func accAddress(bech string) (sdk.AccAddress, error) {
	_, bz, err := bech32.DecodeAndConvert(bech)
	return bz, err
}
