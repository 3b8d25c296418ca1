package keeper

import (
	"encoding/json"
	"strconv"

	abci "github.com/cometbft/cometbft/abci/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/gogoproto/proto"

	"github.com/assay-network/assay/x/emission/types"
)

// An epoch emits hundreds of payout events. sdk.TypedEventToEvent builds
// each through reflection and a JSON round trip, which cost more than the
// rest of a payout, so the events are built here exactly as it builds them
// (attributes sorted by name, values as proto JSON with defaults: int64 as
// a quoted string, uint32 and bool bare); TestPayoutEventMatchesTypedEvent
// and TestEpochEventMatchesTypedEvent hold the two equal.

var (
	payoutEventType = proto.MessageName(&types.EventPayout{})
	epochEventType  = proto.MessageName(&types.EventEpoch{})
)

// emitPayouts emits one EventPayout per payout, in order, in one append.
func emitPayouts(ctx sdk.Context, netuid uint16, ps []payout) {
	ctx.EventManager().EmitEvents(payoutEvents(netuid, ctx.BlockHeight(), ps))
}

// payoutEvents builds the events of ps. Their attributes share one backing
// array, and the amounts and UIDs are formatted into one string that the
// values slice, so an event costs no allocation of its own; an address is
// quoted once for a run of payouts to it (a UID's miner reward and take go
// to one coldkey, and an operator's coldkey is paid for each of its UIDs).
func payoutEvents(netuid uint16, block int64, ps []payout) sdk.Events {
	blockAttr := `"` + strconv.FormatInt(block, 10) + `"`
	netuidAttr := strconv.FormatUint(uint64(netuid), 10)
	// numbers: each payout's quoted amount then its UID, ends[2i] and
	// ends[2i+1] their ends
	numbers := make([]byte, 0, 32*len(ps))
	ends := make([]int, 2*len(ps))
	for i, p := range ps {
		numbers = append(numbers, '"')
		numbers = strconv.AppendUint(numbers, p.amount, 10)
		numbers = append(numbers, '"')
		ends[2*i] = len(numbers)
		numbers = strconv.AppendUint(numbers, uint64(p.uid), 10)
		ends[2*i+1] = len(numbers)
	}
	text := string(numbers)
	attrs := make([]abci.EventAttribute, 6*len(ps))
	events := make(sdk.Events, len(ps))
	var lastAddress, quoted string
	start := 0
	for i, p := range ps {
		if i == 0 || p.address != lastAddress {
			lastAddress, quoted = p.address, jsonString(p.address)
		}
		a := attrs[6*i : 6*i+6 : 6*i+6]
		a[0] = abci.EventAttribute{Key: "address", Value: quoted}
		a[1] = abci.EventAttribute{Key: "amount", Value: text[start:ends[2*i]]}
		a[2] = abci.EventAttribute{Key: "block", Value: blockAttr}
		a[3] = abci.EventAttribute{Key: "netuid", Value: netuidAttr}
		a[4] = abci.EventAttribute{Key: "role", Value: quotedRole(p.role)}
		a[5] = abci.EventAttribute{Key: "uid", Value: text[ends[2*i]:ends[2*i+1]]}
		start = ends[2*i+1]
		events[i] = sdk.Event{Type: payoutEventType, Attributes: a}
	}
	return events
}

// quotedRole is jsonString(role), constant for the four roles.
func quotedRole(role string) string {
	switch role {
	case types.RoleOwner:
		return `"` + types.RoleOwner + `"`
	case types.RoleMiner:
		return `"` + types.RoleMiner + `"`
	case types.RoleValidatorTake:
		return `"` + types.RoleValidatorTake + `"`
	case types.RoleStakePool:
		return `"` + types.RoleStakePool + `"`
	}
	return jsonString(role)
}

// emitEpoch emits the epoch's summary event.
func emitEpoch(ctx sdk.Context, rec types.EpochRecord, deferred bool) {
	ctx.EventManager().EmitEvent(epochEvent(&types.EventEpoch{
		Netuid: rec.Netuid, Block: rec.Block, Paid: rec.Paid, Pool: rec.Pool.String(), OwnerCut: rec.OwnerCut.String(),
		MinersTotal: rec.MinersTotal.String(), ValidatorsTotal: rec.ValidatorsTotal.String(), Carried: rec.Carried.String(),
		Deferred: deferred,
	}))
}

// epochEvent is sdk.TypedEventToEvent(e) built directly.
func epochEvent(e *types.EventEpoch) sdk.Event {
	return sdk.Event{Type: epochEventType, Attributes: []abci.EventAttribute{
		{Key: "block", Value: `"` + strconv.FormatInt(e.Block, 10) + `"`},
		{Key: "carried", Value: jsonString(e.Carried)},
		{Key: "deferred", Value: strconv.FormatBool(e.Deferred)},
		{Key: "miners_total", Value: jsonString(e.MinersTotal)},
		{Key: "netuid", Value: strconv.FormatUint(uint64(e.Netuid), 10)},
		{Key: "owner_cut", Value: jsonString(e.OwnerCut)},
		{Key: "paid", Value: strconv.FormatBool(e.Paid)},
		{Key: "pool", Value: jsonString(e.Pool)},
		{Key: "validators_total", Value: jsonString(e.ValidatorsTotal)},
	}}
}

// jsonString quotes s as encoding/json does; addresses, roles and amounts
// need no escaping, so they skip the encoder.
func jsonString(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_') {
			b, _ := json.Marshal(s) // a Go string always marshals
			return string(b)
		}
	}
	return `"` + s + `"`
}
