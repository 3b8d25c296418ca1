package keeper_test

import (
	"encoding/hex"
	"testing"

	"cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/subnet/types"
)

// takeEvents returns the typed events emitted since the last call and
// starts a fresh event manager, so each step sees only its own events.
func (f *fixture) takeEvents() []proto.Message {
	f.t.Helper()
	var out []proto.Message
	for _, ev := range f.ctx.EventManager().Events() {
		msg, err := sdk.ParseTypedEvent(abci.Event(ev))
		if err != nil {
			continue // untyped events (bank's coin_spent and the like)
		}
		out = append(out, msg)
	}
	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
	return out
}

// onlyEvent returns the one event of type T among evs and fails if there is
// not exactly one.
func onlyEvent[T proto.Message](t *testing.T, evs []proto.Message) T {
	t.Helper()
	var found []T
	for _, e := range evs {
		if m, ok := e.(T); ok {
			found = append(found, m)
		}
	}
	var zero T
	require.Len(t, found, 1, "events of type %T in %v", zero, evs)
	return found[0]
}

// TestEveryTypedEventCarriesItsFields walks one subnet through its life and
// checks that each x/subnet event an indexer relies on (x/subnet README,
// Events) is emitted once, with the values the state change produced.
func TestEveryTypedEventCarriesItsFields(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1_000_000 * assay)
	hp := crHP()
	hp.MaxUids, hp.MaxValidators, hp.ImmunityPeriod = 2, 2, 0
	netuid := f.registerSubnet(owner, hp)
	f.takeEvents()

	hp.Tempo = 19
	_, err := f.msgs.UpdateHyperparams(f.ctx, &types.MsgUpdateHyperparams{Owner: owner.String(), Netuid: netuid, Hyperparams: *hp})
	require.NoError(t, err)
	upd := onlyEvent[*types.EventHyperparamsUpdated](t, f.takeEvents())
	require.Equal(t, netuid, upd.Netuid)
	require.Equal(t, owner.String(), upd.Owner)

	val, miner := newAccount(), newAccount()
	res := f.registerNeuron(netuid, owner, val)
	reg := onlyEvent[*types.EventNeuronRegistered](t, f.takeEvents())
	require.Equal(t, types.EventNeuronRegistered{Netuid: netuid, Uid: res.Uid, Hotkey: val.String(), Coldkey: owner.String(), Burned: res.Burned}, *reg)
	f.registerNeuron(netuid, owner, miner)
	f.takeEvents()

	const modelHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	f.serve(uint16(netuid), miner, modelHash)
	axon := onlyEvent[*types.EventAxonServed](t, f.takeEvents())
	require.Equal(t, types.EventAxonServed{Netuid: netuid, Uid: 1, Hotkey: miner.String(), Endpoint: "10.0.0.1:9000", ModelHash: modelHash}, *axon)

	delegator := f.funded(1_000 * assay)
	added := f.stake(netuid, delegator, val, 100*assay)
	evs := f.takeEvents()
	stakeAdded := onlyEvent[*types.EventStakeAdded](t, evs)
	require.Equal(t, types.EventStakeAdded{Netuid: netuid, Hotkey: val.String(), Coldkey: delegator.String(),
		Amount: math.NewInt(100 * assay).String(), Shares: added.Shares}, *stakeAdded)
	permits := onlyEvent[*types.EventPermitsUpdated](t, evs)
	require.Equal(t, types.EventPermitsUpdated{Netuid: netuid, Permits: 1}, *permits, "the staked hotkey gains the subnet's only permit")

	take := math.LegacyNewDecWithPrec(9, 2)
	_, err = f.msgs.SetTake(f.ctx, &types.MsgSetTake{Coldkey: owner.String(), Hotkey: val.String(), Take: take})
	require.NoError(t, err)
	takeSet := onlyEvent[*types.EventTakeSet](t, f.takeEvents())
	require.Equal(t, val.String(), takeSet.Hotkey)
	require.True(t, math.LegacyMustNewDecFromStr(takeSet.Take).Equal(take), "take %s", takeSet.Take)

	f.advance(1)
	uids, weights := []uint32{1}, []uint32{65535}
	cr, err := f.commit(netuid, val, uids, weights, testSalt, 0)
	require.NoError(t, err)
	committed := onlyEvent[*types.EventWeightsCommitted](t, f.takeEvents())
	require.Equal(t, types.EventWeightsCommitted{Netuid: netuid, Hotkey: val.String(),
		Hash:       hex.EncodeToString(types.WeightsCommitHash(uint16(netuid), val.addr, uids, weights, testSalt, 0)),
		RevealFrom: cr.RevealFrom, RevealUntil: cr.RevealUntil}, *committed)
	require.Less(t, f.ctx.BlockHeight(), committed.RevealFrom, "a reveal opens after the commit's block")

	removed, err := f.msgs.RemoveStake(f.ctx, &types.MsgRemoveStake{Coldkey: delegator.String(), Netuid: netuid, Hotkey: val.String(), Amount: math.NewInt(40 * assay)})
	require.NoError(t, err)
	stakeRemoved := onlyEvent[*types.EventStakeRemoved](t, f.takeEvents())
	require.Equal(t, types.EventStakeRemoved{Netuid: netuid, Hotkey: val.String(), Coldkey: delegator.String(),
		Amount: math.NewInt(40 * assay).String(), Shares: removed.SharesBurned}, *stakeRemoved)

	// The subnet is full (max_uids 2, no immunity): both UIDs earned nothing,
	// so the older registration, the staked validator at UID 0, is replaced
	// and its delegator's remaining 60 ASSAY come back at once.
	newcomer := newAccount()
	before := f.balance(delegator.addr)
	rr := f.registerNeuron(netuid, owner, newcomer)
	require.Equal(t, val.String(), rr.PrunedHotkey)
	evs = f.takeEvents()
	pruned := onlyEvent[*types.EventNeuronPruned](t, evs)
	require.Equal(t, types.EventNeuronPruned{Netuid: netuid, Uid: 0, Hotkey: val.String(), ReplacedBy: newcomer.String()}, *pruned)
	refunded := onlyEvent[*types.EventStakeRefunded](t, evs)
	refund := f.balance(delegator.addr).Sub(before)
	require.Equal(t, types.EventStakeRefunded{Netuid: netuid, Hotkey: val.String(), Coldkey: delegator.String(), Amount: refund.String()}, *refunded)
	require.Equal(t, math.NewInt(60*assay).String(), refund.String())
	require.Equal(t, newcomer.String(), onlyEvent[*types.EventNeuronRegistered](t, evs).Hotkey)

	p := types.DefaultParams()
	p.MaxSubnets = 7
	_, err = f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.k.Authority(), Params: p})
	require.NoError(t, err)
	require.Equal(t, f.k.Authority(), onlyEvent[*types.EventParamsUpdated](t, f.takeEvents()).Authority)

	dr, err := f.msgs.DissolveSubnet(f.ctx, &types.MsgDissolveSubnet{Owner: owner.String(), Netuid: netuid})
	require.NoError(t, err)
	dissolved := onlyEvent[*types.EventSubnetDissolved](t, f.takeEvents())
	require.Equal(t, types.EventSubnetDissolved{Netuid: netuid, Owner: owner.String(), Refunded: dr.Refunded, NeuronsRemoved: 2}, *dissolved)
}
