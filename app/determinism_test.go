package app_test

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

const (
	defaultSeed   = 17
	replayBlocks  = 600
	maxTxsInBlock = 14
	simColdkeys   = 6
	simHotkeys    = 24
)

// seed is ASSAY_SEED, or defaultSeed; the test logs it so a failure can be
// replayed exactly.
func seed(t *testing.T) int64 {
	t.Helper()
	s := os.Getenv("ASSAY_SEED")
	if s == "" {
		return defaultSeed
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("ASSAY_SEED=%q: want an integer", s)
	}
	return v
}

// TestDeterminism replays the same random blocks of real signed txs on two
// fresh app instances (issue 17): subnet registrations and dissolves, neuron
// registrations with pruning, stake added and removed (through the
// unbonding queue), takes, axons, plain weights, commits and reveals, and
// the epochs they feed. After every block the two apps must agree on the
// app hash, on every tx result and on every tx's gas; and every kind of
// action must have succeeded at least once, so the blocks really exercised
// the state machine.
//
// That the comparison catches nondeterminism is shown by
// TestDeterminismCatchesDivergence, and was checked once by hand against
// the real modules (not committed): x/subnet's EndBlock setting LastLockBlock
// once per key while ranging over an 8-key Go map made this test fail at
// height 2 with "app hash ... vs ...".
func TestDeterminism(t *testing.T) {
	sd := seed(t)
	t.Logf("ASSAY_SEED=%d (set it to replay another history)", sd)
	began := time.Now()
	g := newTwinGenesis(t, sd, simColdkeys, simHotkeys)
	tw := newTwin(t, g, nil)
	w := newWorld(t, sd, tw.apps[0], g)
	tally := newTally()
	for range replayBlocks {
		next := tw.height + 1
		msgs := w.block(next, maxTxsInBlock)
		res, err := tw.step(w.encode(next, msgs))
		if err != nil {
			t.Fatalf("seed %d: %v", sd, err)
		}
		tally.add(msgs, res)
	}
	t.Logf("%d blocks, %d txs (%d ok) in %s; app hash at %d: %X", tw.height, tally.txs, tally.okTotal(),
		time.Since(began).Round(time.Millisecond), tw.height, tw.apps[0].LastCommitID().Hash)
	t.Logf("ok per message: %s", tally.summary(tally.ok))
	t.Logf("failed per message and error: %s", tally.summary(tally.failed))
	t.Logf("epochs run %d (paid %d), neurons pruned %d", tally.epochs, tally.paidEpochs, tally.pruned)

	for _, m := range []sdk.Msg{
		&subnettypes.MsgRegisterSubnet{}, &subnettypes.MsgDissolveSubnet{}, &subnettypes.MsgRegisterNeuron{},
		&subnettypes.MsgAddStake{}, &subnettypes.MsgRemoveStake{}, &subnettypes.MsgSetTake{}, &subnettypes.MsgServeAxon{},
		&subnettypes.MsgSetWeights{}, &subnettypes.MsgCommitWeights{}, &subnettypes.MsgRevealWeights{},
	} {
		if tally.ok[sdk.MsgTypeURL(m)] == 0 {
			t.Errorf("no %s succeeded in %d blocks: the replay did not exercise it", sdk.MsgTypeURL(m), tw.height)
		}
	}
	if tally.pruned == 0 {
		t.Error("no registration pruned a neuron")
	}
	if tally.paidEpochs == 0 {
		t.Error("no epoch paid out")
	}
	// The replay also ends in a sound state, not only an agreed one.
	ctx := tw.apps[0].NewUncachedContext(false, cmtproto.Header{ChainID: twinChainID, Height: tw.height})
	if r, err := tw.apps[0].EmissionKeeper.SupplyInvariant(ctx); err != nil || r.Check() != nil {
		t.Errorf("supply invariant after the replay: %v %v", err, r.Check())
	}
	if err := tw.apps[0].SubnetKeeper.CheckStakeViews(ctx); err != nil {
		t.Errorf("stake views after the replay: %v", err)
	}
}

// tally counts tx outcomes by message type and the block events that show
// epochs ran.
type tally struct {
	txs                        int
	ok, failed                 map[string]int
	epochs, paidEpochs, pruned int
}

func newTally() *tally { return &tally{ok: map[string]int{}, failed: map[string]int{}} }

func (c *tally) add(msgs []signed, res *abci.ResponseFinalizeBlock) {
	for i, r := range res.TxResults {
		c.txs++
		url := sdk.MsgTypeURL(msgs[i].msg)
		if r.Code == 0 {
			c.ok[url]++
		} else {
			c.failed[url+" "+r.Codespace+"/"+strconv.Itoa(int(r.Code))]++
		}
		for _, e := range r.Events {
			if e.Type == "assay.subnet.v1.EventNeuronPruned" {
				c.pruned++
			}
		}
	}
	for _, e := range res.Events {
		if e.Type != "assay.emission.v1.EventEpoch" {
			continue
		}
		c.epochs++
		for _, a := range e.Attributes {
			if a.Key == "paid" && a.Value == "true" {
				c.paidEpochs++
			}
		}
	}
}

func (c *tally) okTotal() int {
	n := 0
	for _, v := range c.ok {
		n += v
	}
	return n
}

func (c *tally) summary(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString("\n  " + strings.TrimPrefix(k, "/assay.subnet.v1.") + ": " + strconv.Itoa(m[k]))
	}
	return b.String()
}
