package app_test

import (
	"encoding/hex"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/app"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// simGas is every tx's gas limit: far above what any of them uses, so no tx
// fails for gas and the gas a tx used is the thing compared.
const simGas = 10_000_000

// reveal is what a hotkey committed to and will reveal once its window opens.
type reveal struct {
	hot           int
	netuid        uint32
	uids, weights []uint32
	salt          []byte
	versionKey    uint64
}

// world makes random but mostly valid blocks, in the SDK's simulation style:
// each action reads the committed state of app 0 (who is registered, who
// holds a permit, which commits are open) and signs a real tx with a
// genesis key. Some txs still fail (rate limits, races inside a block); the
// test counts successes per message type so it cannot pass on failures.
type world struct {
	t        *testing.T
	r        *rand.Rand
	a        *app.App
	g        twinGenesis
	taskSpec string
	reveals  map[string]reveal // by commit hash (hex)
	subnets  int               // subnet registrations attempted
}

func newWorld(t *testing.T, seed int64, a *app.App, g twinGenesis) *world {
	t.Helper()
	spec, err := os.ReadFile(filepath.Join("..", "scripts", "tasks", "german-credit.json"))
	if err != nil {
		t.Fatal(err)
	}
	return &world{t: t, r: rand.New(rand.NewSource(seed)), a: a, g: g, taskSpec: string(spec), reveals: map[string]reveal{}}
}

// snapshot is the committed state the next block's actions are drawn from.
type snapshot struct {
	ctx     sdk.Context
	height  int64 // of the block being built
	subnets []subnettypes.Subnet
	neurons map[uint16][]subnettypes.Neuron
	stakes  []collections.Triple[sdk.AccAddress, uint16, sdk.AccAddress] // (coldkey, netuid, hotkey)
}

func (w *world) snapshot(next int64) snapshot {
	ctx := w.a.NewUncachedContext(false, cmtproto.Header{ChainID: twinChainID, Height: next - 1})
	k := w.a.SubnetKeeper
	s := snapshot{ctx: ctx, height: next, neurons: map[uint16][]subnettypes.Neuron{}}
	must(w.t, k.Subnets.Walk(ctx, nil, func(netuid uint16, sn subnettypes.Subnet) (bool, error) {
		s.subnets = append(s.subnets, sn)
		ns, err := k.SubnetNeurons(ctx, netuid)
		s.neurons[netuid] = ns
		return false, err
	}))
	must(w.t, k.StakeByColdkey.Walk(ctx, nil, func(key collections.Triple[sdk.AccAddress, uint16, sdk.AccAddress]) (bool, error) {
		s.stakes = append(s.stakes, key)
		return false, nil
	}))
	return s
}

// signed is one message and the genesis account that signs it.
type signed struct {
	msg    sdk.Msg
	signer simAccount
}

// block draws up to maxTxs actions for height next, each signer at most
// once (sequences are read from state, not tracked across a block). Due
// reveals go first so their hotkeys are free to sign them.
func (w *world) block(next int64, maxTxs int) []signed {
	if next == 1 {
		return nil // genesis state is committed with block 1: nothing to read yet
	}
	s := w.snapshot(next)
	used := map[string]bool{}
	var out []signed
	add := func(m sdk.Msg, by simAccount) {
		if m != nil && !used[by.addr.String()] {
			used[by.addr.String()] = true
			out = append(out, signed{m, by})
		}
	}
	for _, m := range w.dueReveals(s) {
		add(m.msg, m.signer)
	}
	for n := w.r.Intn(maxTxs + 1); n > 0; n-- {
		m, by := w.action(s)
		if m != nil {
			add(m, by)
		}
	}
	return out
}

// action picks one kind of action by weight and builds it; nil when the
// state offers nothing for it (no subnet yet, no permit yet).
func (w *world) action(s snapshot) (sdk.Msg, simAccount) {
	switch p := w.r.Intn(100); {
	case p < 4:
		return w.registerSubnet(s)
	case p < 6:
		return w.dissolveSubnet(s)
	case p < 30:
		return w.registerNeuron(s)
	case p < 45:
		return w.addStake(s)
	case p < 53:
		return w.removeStake(s)
	case p < 58:
		return w.setTake(s)
	case p < 62:
		return w.serveAxon(s)
	case p < 80:
		return w.setWeights(s)
	default:
		return w.commitWeights(s)
	}
}

func (w *world) cold() simAccount { return w.g.cold[w.r.Intn(len(w.g.cold))] }

func (w *world) hotIndex(addr string) int {
	for i, h := range w.g.hots {
		if h.addr.String() == addr {
			return i
		}
	}
	w.t.Fatalf("hotkey %s is not a genesis key", addr)
	return -1
}

func (w *world) coldByAddr(addr string) simAccount {
	for _, c := range w.g.cold {
		if c.addr.String() == addr {
			return c
		}
	}
	w.t.Fatalf("coldkey %s is not a genesis key", addr)
	return simAccount{}
}

// registerSubnet asks for short tempos and few UIDs so epochs run and
// registrations prune within a few hundred blocks; subnets alternate
// between plain weights and commit-reveal.
func (w *world) registerSubnet(s snapshot) (sdk.Msg, simAccount) {
	if len(s.subnets) >= 5 {
		return nil, simAccount{}
	}
	params, err := w.a.SubnetKeeper.GetParams(s.ctx)
	must(w.t, err)
	hp := params.DefaultHyperparams
	hp.Tempo = 3 + uint64(w.r.Intn(6))
	hp.MaxUids = 3 + uint32(w.r.Intn(4))
	hp.MaxValidators = 2
	hp.ImmunityPeriod = 2 + uint64(w.r.Intn(8))
	hp.WeightsRateLimit = 1 + uint64(w.r.Intn(2))
	hp.ServingRateLimit = 1
	hp.CommitReveal = w.subnets%2 == 0
	w.subnets++
	by := w.cold()
	return &subnettypes.MsgRegisterSubnet{Owner: by.addr.String(), Name: fmt.Sprintf("sim-%d", w.subnets), TaskSpec: w.taskSpec, Hyperparams: &hp}, by
}

func (w *world) dissolveSubnet(s snapshot) (sdk.Msg, simAccount) {
	if len(s.subnets) < 3 {
		return nil, simAccount{}
	}
	sn := s.subnets[w.r.Intn(len(s.subnets))]
	return &subnettypes.MsgDissolveSubnet{Owner: sn.Owner, Netuid: sn.Netuid}, w.coldByAddr(sn.Owner)
}

func (w *world) registerNeuron(s snapshot) (sdk.Msg, simAccount) {
	if len(s.subnets) == 0 {
		return nil, simAccount{}
	}
	sn := s.subnets[w.r.Intn(len(s.subnets))]
	cold, hot := w.cold(), w.g.hots[w.r.Intn(len(w.g.hots))]
	sig, err := hot.priv.Sign(subnettypes.RegistrationAuthorization(twinChainID, uint16(sn.Netuid), cold.addr.String(), hot.addr.String()))
	must(w.t, err)
	return &subnettypes.MsgRegisterNeuron{
		Coldkey: cold.addr.String(), Netuid: sn.Netuid, Hotkey: hot.addr.String(),
		HotkeyPubkey: hot.priv.PubKey().Bytes(), HotkeySignature: sig, MaxCost: math.NewInt(1_000_000_000),
	}, cold
}

// neuron picks a random registered neuron, optionally only those matching keep.
func (w *world) neuron(s snapshot, keep func(subnettypes.Subnet, subnettypes.Neuron) bool) (subnettypes.Subnet, subnettypes.Neuron, bool) {
	type pick struct {
		sn subnettypes.Subnet
		n  subnettypes.Neuron
	}
	var picks []pick
	for _, sn := range s.subnets {
		for _, n := range s.neurons[uint16(sn.Netuid)] {
			if keep == nil || keep(sn, n) {
				picks = append(picks, pick{sn, n})
			}
		}
	}
	if len(picks) == 0 {
		return subnettypes.Subnet{}, subnettypes.Neuron{}, false
	}
	p := picks[w.r.Intn(len(picks))]
	return p.sn, p.n, true
}

func (w *world) addStake(s snapshot) (sdk.Msg, simAccount) {
	sn, n, ok := w.neuron(s, nil)
	if !ok {
		return nil, simAccount{}
	}
	by := w.cold()
	amount := math.NewInt(1_000_000 * (1 + w.r.Int63n(20)))
	return &subnettypes.MsgAddStake{Coldkey: by.addr.String(), Netuid: sn.Netuid, Hotkey: n.Hotkey, Amount: amount}, by
}

func (w *world) removeStake(s snapshot) (sdk.Msg, simAccount) {
	if len(s.stakes) == 0 {
		return nil, simAccount{}
	}
	pos := s.stakes[w.r.Intn(len(s.stakes))]
	_, value, err := w.a.SubnetKeeper.StakeOf(s.ctx, pos.K2(), pos.K3(), pos.K1())
	must(w.t, err)
	if !value.IsPositive() {
		return nil, simAccount{}
	}
	amount := value
	if w.r.Intn(2) == 0 {
		amount = value.QuoRaw(2).AddRaw(1)
	}
	by := w.coldByAddr(pos.K1().String())
	return &subnettypes.MsgRemoveStake{Coldkey: by.addr.String(), Netuid: uint32(pos.K2()), Hotkey: pos.K3().String(), Amount: amount}, by
}

func (w *world) setTake(s snapshot) (sdk.Msg, simAccount) {
	_, n, ok := w.neuron(s, nil)
	if !ok {
		return nil, simAccount{}
	}
	by := w.coldByAddr(n.Coldkey)
	return &subnettypes.MsgSetTake{Coldkey: by.addr.String(), Hotkey: n.Hotkey, Take: math.LegacyNewDecWithPrec(w.r.Int63n(19), 2)}, by
}

func (w *world) serveAxon(s snapshot) (sdk.Msg, simAccount) {
	sn, n, ok := w.neuron(s, nil)
	if !ok {
		return nil, simAccount{}
	}
	hash := make([]byte, 32)
	w.r.Read(hash)
	return &subnettypes.MsgServeAxon{Hotkey: n.Hotkey, Netuid: sn.Netuid, Endpoint: fmt.Sprintf("127.0.0.1:%d", 10000+w.r.Intn(50000)),
		Protocol: "grpc", ModelHash: hex.EncodeToString(hash), Version: "sim"}, w.g.hots[w.hotIndex(n.Hotkey)]
}

// weightVector is a random non-empty subset of the subnet's UIDs with
// random non-zero weights.
func (w *world) weightVector(s snapshot, netuid uint32) (uids, weights []uint32) {
	ns := s.neurons[uint16(netuid)]
	for _, i := range w.r.Perm(len(ns))[:1+w.r.Intn(len(ns))] {
		uids = append(uids, ns[i].Uid)
		weights = append(weights, 1+uint32(w.r.Intn(subnettypes.MaxWeightValue)))
	}
	return uids, weights
}

func permitted(commitReveal bool) func(subnettypes.Subnet, subnettypes.Neuron) bool {
	return func(sn subnettypes.Subnet, n subnettypes.Neuron) bool {
		return n.ValidatorPermit && sn.Hyperparams.CommitReveal == commitReveal
	}
}

func (w *world) setWeights(s snapshot) (sdk.Msg, simAccount) {
	sn, n, ok := w.neuron(s, permitted(false))
	if !ok {
		return nil, simAccount{}
	}
	uids, weights := w.weightVector(s, sn.Netuid)
	return &subnettypes.MsgSetWeights{Hotkey: n.Hotkey, Netuid: sn.Netuid, Uids: uids, Weights: weights, VersionKey: sn.Hyperparams.WeightsVersion},
		w.g.hots[w.hotIndex(n.Hotkey)]
}

func (w *world) commitWeights(s snapshot) (sdk.Msg, simAccount) {
	sn, n, ok := w.neuron(s, permitted(true))
	if !ok {
		return nil, simAccount{}
	}
	hot := w.hotIndex(n.Hotkey)
	rv := reveal{hot: hot, netuid: sn.Netuid, salt: make([]byte, 16), versionKey: sn.Hyperparams.WeightsVersion}
	rv.uids, rv.weights = w.weightVector(s, sn.Netuid)
	w.r.Read(rv.salt)
	hash := subnettypes.WeightsCommitHash(uint16(sn.Netuid), w.g.hots[hot].addr, rv.uids, rv.weights, rv.salt, rv.versionKey)
	w.reveals[hex.EncodeToString(hash)] = rv
	return &subnettypes.MsgCommitWeights{Hotkey: n.Hotkey, Netuid: sn.Netuid, Hash: hash}, w.g.hots[hot]
}

// dueReveals reveals every open commit whose window includes the block
// being built, in the store's (deterministic) order.
func (w *world) dueReveals(s snapshot) []signed {
	var out []signed
	must(w.t, w.a.SubnetKeeper.Commits.Walk(s.ctx, nil, func(_ collections.Pair[uint16, sdk.AccAddress], cs subnettypes.WeightCommits) (bool, error) {
		for _, c := range cs.Commits {
			rv, ok := w.reveals[hex.EncodeToString(c.Hash)]
			if !ok || s.height < c.RevealFrom || s.height > c.RevealUntil {
				continue
			}
			hot := w.g.hots[rv.hot]
			out = append(out, signed{&subnettypes.MsgRevealWeights{Hotkey: hot.addr.String(), Netuid: rv.netuid,
				Uids: rv.uids, Weights: rv.weights, Salt: rv.salt, VersionKey: rv.versionKey}, hot})
		}
		return false, nil
	}))
	return out
}

// encode signs each message as its own tx with the signer's current
// account sequence and returns the tx bytes a proposer would include.
func (w *world) encode(next int64, msgs []signed) [][]byte {
	ctx := w.a.NewUncachedContext(false, cmtproto.Header{ChainID: twinChainID, Height: next - 1})
	cfg := w.a.TxConfig()
	txs := make([][]byte, 0, len(msgs))
	for _, m := range msgs {
		acc := w.a.AccountKeeper.GetAccount(ctx, m.signer.addr)
		if acc == nil {
			w.t.Fatalf("signer %s has no account", m.signer.addr)
		}
		tx, err := simtestutil.GenSignedMockTx(w.r, cfg, []sdk.Msg{m.msg}, sdk.NewCoins(), simGas, twinChainID,
			[]uint64{acc.GetAccountNumber()}, []uint64{acc.GetSequence()}, m.signer.priv)
		must(w.t, err)
		bz, err := cfg.TxEncoder()(tx)
		must(w.t, err)
		txs = append(txs, bz)
	}
	return txs
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
