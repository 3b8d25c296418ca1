package upgrade

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	grpctypes "github.com/cosmos/cosmos-sdk/types/grpc"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/cosmos/gogoproto/proto"
	"google.golang.org/grpc/metadata"

	"github.com/assay-network/assay/app"
	"github.com/assay-network/assay/client"
	emissiontypes "github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/subnet/client/cli"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// world is what the test puts on chain and then checks survives.
type world struct {
	chain  *client.Chain
	kr     keyring.Keyring
	cdc    codec.Codec
	netuid uint16
	keys   []string // every funded key, for balances
}

// funded are the keys `assayd testnet init` funds (its DefaultKeys).
var funded = []string{"alice", "bob", "owner", "miner1", "miner2", "miner3", "validator1", "validator2"}

func dial(t *testing.T, ctx context.Context, n *node) *world {
	t.Helper()
	app.SetAddressConfig() // assay1... addresses, as assayd has them
	cdc, _ := client.Codec()
	kr, err := keyring.New(sdk.KeyringServiceName(), keyring.BackendTest, n.home, nil, cdc)
	if err != nil {
		t.Fatal(err)
	}
	// gRPC starts listening after the node's RPC answers.
	var ch *client.Chain
	waitFor(t, ctx, "gRPC at "+n.grpcAddr(), 30*time.Second, func() (bool, string) {
		if ch, err = client.Dial(ctx, n.grpcAddr(), kr, client.ChainOptions{}); err != nil {
			return false, err.Error()
		}
		return true, ""
	})
	t.Cleanup(func() { ch.Close() })
	return &world{chain: ch, kr: kr, cdc: cdc, keys: funded}
}

func (w *world) addr(t *testing.T, key string) string {
	t.Helper()
	a, err := w.chain.KeyAddress(key)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// populate registers the german-credit subnet (owner), three neurons paid by
// alice (miner1, miner2, validator1), alice's stake on validator1 and bob's
// on miner1, then takes part of alice's stake out (an unbonding entry).
func (w *world) populate(t *testing.T, ctx context.Context, root string) {
	t.Helper()
	spec, err := cli.ReadTaskFile(filepath.Join(root, "scripts", "tasks", "german-credit.json"))
	if err != nil {
		t.Fatal(err)
	}
	canonical, err := spec.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	w.broadcast(t, ctx, "owner", &subnettypes.MsgRegisterSubnet{Owner: w.addr(t, "owner"), Name: "german-credit", TaskSpec: string(canonical)})
	r, err := subnettypes.NewQueryClient(w.chain.Conn()).Subnets(ctx, &subnettypes.QuerySubnetsRequest{})
	if err != nil || len(r.Subnets) != 1 {
		t.Fatalf("subnets after registering one: %v %v", r, err)
	}
	w.netuid = uint16(r.Subnets[0].Netuid)

	cold := w.addr(t, "alice")
	var msgs []sdk.Msg
	for _, hot := range []string{"miner1", "miner2", "validator1"} {
		msgs = append(msgs, w.registerMsg(t, cold, hot))
	}
	msgs = append(msgs, &subnettypes.MsgAddStake{Coldkey: cold, Netuid: uint32(w.netuid), Hotkey: w.addr(t, "validator1"), Amount: sdkmath.NewInt(200_000_000)})
	w.broadcast(t, ctx, "alice", msgs...)
	w.broadcast(t, ctx, "bob", &subnettypes.MsgAddStake{Coldkey: w.addr(t, "bob"), Netuid: uint32(w.netuid), Hotkey: w.addr(t, "miner1"), Amount: sdkmath.NewInt(50_000_000)})
	w.broadcast(t, ctx, "alice", &subnettypes.MsgRemoveStake{Coldkey: cold, Netuid: uint32(w.netuid), Hotkey: w.addr(t, "validator1"), Amount: sdkmath.NewInt(20_000_000)})
}

func (w *world) broadcast(t *testing.T, ctx context.Context, key string, msgs ...sdk.Msg) {
	t.Helper()
	if _, err := w.chain.Broadcast(ctx, key, msgs...); err != nil {
		t.Fatalf("%s: %v", key, err)
	}
}

// registerMsg is a MsgRegisterNeuron paid by cold with hot's signed consent.
func (w *world) registerMsg(t *testing.T, cold, hotKey string) sdk.Msg {
	t.Helper()
	hot := w.addr(t, hotKey)
	sig, pk, err := w.kr.Sign(hotKey, subnettypes.RegistrationAuthorization(w.chain.ChainID(), w.netuid, cold, hot), signing.SignMode_SIGN_MODE_DIRECT)
	if err != nil {
		t.Fatal(err)
	}
	return &subnettypes.MsgRegisterNeuron{Coldkey: cold, Netuid: uint32(w.netuid), Hotkey: hot, HotkeyPubkey: pk.Bytes(),
		HotkeySignature: sig, MaxCost: sdkmath.NewInt(1_000_000_000)}
}

// atHeight pins a query to the state after block h (0: the latest).
func atHeight(ctx context.Context, h int64) context.Context {
	if h == 0 {
		return ctx
	}
	return metadata.AppendToOutgoingContext(ctx, grpctypes.GRPCBlockHeightHeader, strconv.FormatInt(h, 10))
}

// waitGRPC waits until the node's gRPC answers again (after a restart).
func (w *world) waitGRPC(t *testing.T, ctx context.Context) {
	t.Helper()
	waitFor(t, ctx, "gRPC after the restart", 30*time.Second, func() (bool, string) {
		_, err := subnettypes.NewQueryClient(w.chain.Conn()).Params(ctx, &subnettypes.QueryParamsRequest{})
		if err != nil {
			return false, err.Error()
		}
		return true, ""
	})
}

// snapshot is the chain state the test compares, each query's JSON by name.
type snapshot map[string]string

// snapshot reads subnets, metagraph, every stake position, unbondings,
// balances, the subnet's emission pool, history and schedule, and the
// supply check, at height h.
func (w *world) snapshot(t *testing.T, ctx context.Context, h int64) snapshot {
	t.Helper()
	ctx = atHeight(ctx, h)
	sq, eq := subnettypes.NewQueryClient(w.chain.Conn()), emissiontypes.NewQueryClient(w.chain.Conn())
	// CometBFT reports a block a moment before the app serves queries at it.
	waitFor(t, ctx, fmt.Sprintf("queries at height %d", h), 10*time.Second, func() (bool, string) {
		if _, err := sq.Params(ctx, &subnettypes.QueryParamsRequest{}); err != nil {
			return false, err.Error()
		}
		return true, ""
	})
	bq := banktypes.NewQueryClient(w.chain.Conn())
	s := snapshot{}
	put := func(name string, m proto.Message, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("height %d: %s: %v", h, name, err)
		}
		b, err := w.cdc.MarshalJSON(m)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s[name] = string(b)
	}
	nu := uint32(w.netuid)
	r1, err := sq.Subnets(ctx, &subnettypes.QuerySubnetsRequest{})
	put("subnets", r1, err)
	r2, err := sq.Metagraph(ctx, &subnettypes.QueryMetagraphRequest{Netuid: nu})
	if err == nil {
		r2.Block = 0 // the height asked, not state
	}
	put("metagraph", r2, err)
	r3, err := eq.Subnet(ctx, &emissiontypes.QuerySubnetRequest{Netuid: nu})
	put("emission subnet", r3, err)
	r4, err := eq.History(ctx, &emissiontypes.QueryHistoryRequest{Netuid: nu})
	put("history", r4, err)
	r5, err := eq.Schedule(ctx, &emissiontypes.QueryScheduleRequest{})
	put("schedule", r5, err)
	r6, err := eq.Supply(ctx, &emissiontypes.QuerySupplyRequest{})
	put("supply", r6, err)
	r7, err := eq.Params(ctx, &emissiontypes.QueryParamsRequest{})
	put("emission params", r7, err)
	for _, k := range w.keys {
		a := w.addr(t, k)
		r, err := sq.StakeByAddress(ctx, &subnettypes.QueryStakeByAddressRequest{Address: a})
		put("stake "+k, r, err)
		u, err := sq.Unbondings(ctx, &subnettypes.QueryUnbondingsRequest{Address: a})
		put("unbondings "+k, u, err)
		b, err := bq.AllBalances(ctx, &banktypes.QueryAllBalancesRequest{Address: a})
		put("balances "+k, b, err)
	}
	return s
}

// supply is the supply check at height h (0: latest).
func (w *world) supply(t *testing.T, ctx context.Context, h int64) *emissiontypes.QuerySupplyResponse {
	t.Helper()
	r, err := emissiontypes.NewQueryClient(w.chain.Conn()).Supply(atHeight(ctx, h), &emissiontypes.QuerySupplyRequest{})
	if err != nil {
		t.Fatalf("supply at %d: %v", h, err)
	}
	return r
}

func (w *world) history(t *testing.T, ctx context.Context) []emissiontypes.EpochRecord {
	t.Helper()
	r, err := emissiontypes.NewQueryClient(w.chain.Conn()).History(ctx, &emissiontypes.QueryHistoryRequest{Netuid: uint32(w.netuid)})
	if err != nil {
		t.Fatalf("history: %v", err)
	}
	return r.Epochs
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
