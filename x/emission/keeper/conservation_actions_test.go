package keeper_test

import (
	"errors"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// attempt runs one message as a transaction. A failure must be one of the
// errors the action expects (a random actor often lacks a permit or
// ownership); anything else fails the run, since a message that always
// failed would otherwise leave the run green.
func (r *randomRun) attempt(kind string, fn func(ctx sdk.Context) error, expected ...error) bool {
	r.t.Helper()
	cctx, write := r.ctx.CacheContext()
	err := fn(cctx)
	if err == nil {
		write()
		r.counts[kind]++
		return true
	}
	for _, e := range expected {
		if errors.Is(err, e) {
			return false
		}
	}
	r.t.Fatalf("block %d: %s failed for a reason the action does not expect: %v", r.ctx.BlockHeight(), kind, err)
	return false
}

// Errors any action on a random (netuid, hotkey) may meet.
var notThere = []error{subnettypes.ErrSubnetNotFound, subnettypes.ErrNeuronNotFound}

func expect(extra ...error) []error { return append(append([]error(nil), notThere...), extra...) }

// actions runs n random actions, weighted towards the frequent ones.
func (r *randomRun) actions(n int) {
	for range n {
		switch a := r.pick(100); {
		case a < 4 && len(r.live) < 4:
			r.registerSubnet()
		case len(r.live) == 0:
		case a < 24:
			r.registerNeuron()
		case a < 44:
			r.addStake()
		case a < 56:
			r.removeStake()
		case a < 60:
			r.setTake()
		case a < 75:
			r.setWeights()
		case a < 85:
			r.commitWeights()
		case a < 93:
			r.revealWeights()
		case a < 97:
			r.updateHyperparams()
		case r.pick(8) == 0:
			r.dissolve()
		}
	}
}

func (r *randomRun) randomHP() subnettypes.Hyperparams {
	hp := quickHP(uint64(3 + r.pick(6)))
	hp.MaxUids = uint32(4 + r.pick(3))
	hp.MaxValidators = uint32(2 + r.pick(2))
	hp.ImmunityPeriod = uint64(r.pick(4))
	hp.CommitReveal = r.pick(2) == 0
	hp.RevealPeriod = 1
	return hp
}

func (r *randomRun) registerSubnet() {
	hp := r.randomHP()
	o := r.owners[r.pick(len(r.owners))]
	var netuid uint32
	if r.attempt("subnet", func(ctx sdk.Context) error {
		res, err := r.subMsg.RegisterSubnet(ctx, &subnettypes.MsgRegisterSubnet{Owner: o.String(), Name: "s", TaskSpec: task(), Hyperparams: &hp})
		if err == nil {
			netuid = res.Netuid
		}
		return err
	}, subnettypes.ErrSubnetLimit) {
		if r.everUsed[netuid] {
			r.counts["netuid reused"]++
		}
		r.everUsed[netuid] = true
		r.live = append(r.live, netuid)
	}
}

func (r *randomRun) target() (uint32, account, account) {
	return r.live[r.pick(len(r.live))], r.colds[r.pick(len(r.colds))], r.hots[r.pick(len(r.hots))]
}

func (r *randomRun) registerNeuron() {
	netuid, c, h := r.target()
	sig, err := h.priv.Sign(subnettypes.RegistrationAuthorization(chainID, uint16(netuid), c.String(), h.String()))
	if err != nil {
		r.t.Fatal(err)
	}
	var res *subnettypes.MsgRegisterNeuronResponse
	if r.attempt("neuron", func(ctx sdk.Context) error {
		var err error
		res, err = r.subMsg.RegisterNeuron(ctx, &subnettypes.MsgRegisterNeuron{Coldkey: c.String(), Netuid: netuid, Hotkey: h.String(),
			HotkeyPubkey: h.priv.PubKey().Bytes(), HotkeySignature: sig, MaxCost: math.NewInt(1 << 40)})
		return err
	}, expect(subnettypes.ErrHotkeyRegistered, subnettypes.ErrAllImmune)...) {
		burned, ok := math.NewIntFromString(res.Burned)
		if !ok {
			r.t.Fatalf("registration burned %q", res.Burned)
		}
		r.regBurned = r.regBurned.Add(burned)
		if res.PrunedHotkey != "" {
			r.counts["prune"]++
		}
	}
}

func (r *randomRun) addStake() {
	netuid, c, h := r.target()
	amt := math.NewInt(int64(1 + r.pick(50_000_000)))
	r.attempt("stake", func(ctx sdk.Context) error {
		_, err := r.subMsg.AddStake(ctx, &subnettypes.MsgAddStake{Coldkey: c.String(), Netuid: netuid, Hotkey: h.String(), Amount: amt})
		return err
	}, expect(subnettypes.ErrStakeTooSmall)...)
}

func (r *randomRun) removeStake() {
	netuid, c, h := r.target()
	amt := math.NewInt(int64(1 + r.pick(30_000_000)))
	r.attempt("unstake", func(ctx sdk.Context) error {
		_, err := r.subMsg.RemoveStake(ctx, &subnettypes.MsgRemoveStake{Coldkey: c.String(), Netuid: netuid, Hotkey: h.String(), Amount: amt})
		return err
	}, expect(subnettypes.ErrInsufficientStake, subnettypes.ErrStakeTooSmall)...)
}

func (r *randomRun) setTake() {
	_, c, h := r.target()
	take := math.LegacyNewDecWithPrec(int64(r.pick(19)), 2) // 0%..18% (max_take)
	r.attempt("take", func(ctx sdk.Context) error {
		_, err := r.subMsg.SetTake(ctx, &subnettypes.MsgSetTake{Coldkey: c.String(), Hotkey: h.String(), Take: take})
		return err
	}, expect(subnettypes.ErrNotHotkeyOwner, subnettypes.ErrTakeRateLimit)...)
}

func (r *randomRun) randomWeights() ([]uint32, []uint32) {
	uids := []uint32{uint32(r.pick(6)), uint32(r.pick(6))}
	if uids[0] == uids[1] {
		uids = uids[:1]
	}
	ws := make([]uint32, len(uids))
	for i := range ws {
		ws[i] = uint32(1 + r.pick(65535))
	}
	return uids, ws
}

// Errors of any weights message from a random hotkey.
var weightsRefusals = expect(subnettypes.ErrNoValidatorPermit, subnettypes.ErrUnknownUID, subnettypes.ErrWeightsRateLimit)

func (r *randomRun) setWeights() {
	netuid, _, h := r.target()
	uids, ws := r.randomWeights()
	r.attempt("weights", func(ctx sdk.Context) error {
		_, err := r.subMsg.SetWeights(ctx, &subnettypes.MsgSetWeights{Hotkey: h.String(), Netuid: netuid, Uids: uids, Weights: ws})
		return err
	}, append(weightsRefusals, subnettypes.ErrCommitRevealEnabled)...)
}

func (r *randomRun) commitWeights() {
	netuid, _, h := r.target()
	uids, ws := r.randomWeights()
	salt := []byte("salt-" + h.String()[:12])
	var res *subnettypes.MsgCommitWeightsResponse
	if r.attempt("commit", func(ctx sdk.Context) error {
		var err error
		hash := subnettypes.WeightsCommitHash(uint16(netuid), h.addr, uids, ws, salt, 0)
		res, err = r.subMsg.CommitWeights(ctx, &subnettypes.MsgCommitWeights{Hotkey: h.String(), Netuid: netuid, Hash: hash})
		return err
	}, append(weightsRefusals, subnettypes.ErrCommitRevealDisabled, subnettypes.ErrCommitRateLimit, subnettypes.ErrTooManyCommits)...) {
		r.pending = append(r.pending, pendingCommit{netuid: netuid, hot: h, uids: uids, ws: ws, salt: salt, from: res.RevealFrom, until: res.RevealUntil})
	}
}

// revealWeights reveals a commit whose window is open. It may still be
// refused: the hotkey was pruned or lost its permit, the subnet was
// dissolved (and the netuid perhaps reused) or turned commit-reveal off,
// which drops its commits.
func (r *randomRun) revealWeights() {
	h := r.ctx.BlockHeight()
	keep := r.pending[:0]
	var open []pendingCommit
	for _, c := range r.pending {
		switch {
		case c.until < h:
		case c.from <= h:
			open = append(open, c)
		default:
			keep = append(keep, c)
		}
	}
	r.pending = keep
	for _, c := range open {
		r.attempt("reveal", func(ctx sdk.Context) error {
			_, err := r.subMsg.RevealWeights(ctx, &subnettypes.MsgRevealWeights{Hotkey: c.hot.String(), Netuid: c.netuid,
				Uids: c.uids, Weights: c.ws, Salt: c.salt})
			return err
		}, append(weightsRefusals, subnettypes.ErrCommitRevealDisabled, subnettypes.ErrRevealMismatch)...)
	}
}

func (r *randomRun) updateHyperparams() {
	netuid := r.live[r.pick(len(r.live))]
	r.attempt("hyperparams", func(ctx sdk.Context) error {
		s, err := r.sk.GetSubnet(ctx, uint16(netuid))
		if err != nil {
			return err
		}
		hp := s.Hyperparams
		hp.Tempo = uint64(3 + r.pick(6))
		if r.pick(4) == 0 {
			hp.CommitReveal = !hp.CommitReveal
		}
		_, err = r.subMsg.UpdateHyperparams(ctx, &subnettypes.MsgUpdateHyperparams{Owner: s.Owner, Netuid: netuid, Hyperparams: hp})
		return err
	})
}

func (r *randomRun) dissolve() {
	i := r.pick(len(r.live))
	netuid := r.live[i]
	if r.attempt("dissolve", func(ctx sdk.Context) error {
		s, err := r.sk.GetSubnet(ctx, uint16(netuid))
		if err != nil {
			return err
		}
		_, err = r.subMsg.DissolveSubnet(ctx, &subnettypes.MsgDissolveSubnet{Owner: s.Owner, Netuid: netuid})
		return err
	}) {
		r.live = append(r.live[:i], r.live[i+1:]...)
	}
}
