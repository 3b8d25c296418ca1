// Package gateway_test drives assay-gateway end to end: a real in-process
// chain, real miners on loopback, real HTTP requests (issue 20).
package gateway_test

import (
	"context"
	"encoding/json"
	"net"
	"path/filepath"
	"testing"
	"time"

	"cosmossdk.io/log/v2"
	"cosmossdk.io/math"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	pruningtypes "github.com/cosmos/cosmos-sdk/store/v2/pruning/types"
	"github.com/cosmos/cosmos-sdk/testutil/network"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/assay-network/assay/app"
	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/cmd/assayd/cmd/testnet"
	"github.com/assay-network/assay/miner"
	"github.com/assay-network/assay/miner/model"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// The chain side, as tests/e2e sets it up (its helpers live in that
// package's test files, so the few needed here are restated).

type chain struct {
	t   *testing.T
	net *network.Network
	val *network.Validator
}

func newChain(t *testing.T) *chain {
	t.Helper()
	app.SetAddressConfig()
	tmp := app.New(log.NewNopLogger(), dbm.NewMemDB(), nil, true, simtestutil.NewAppOptionsWithFlagHome(t.TempDir()))
	enc := moduletestutil.TestEncodingConfig{
		InterfaceRegistry: tmp.InterfaceRegistry(), Codec: tmp.AppCodec(), TxConfig: tmp.TxConfig(), Amino: tmp.LegacyAmino(),
	}
	genesis := tmp.DefaultGenesis()
	sgs := subnettypes.DefaultGenesis()
	sgs.Params = testnet.SubnetParams()
	genesis[subnettypes.ModuleName] = enc.Codec.MustMarshalJSON(sgs)
	cfg := network.DefaultConfig(func() network.TestFixture {
		return network.TestFixture{GenesisState: genesis, EncodingConfig: enc}
	})
	cfg.NumValidators = 1
	cfg.BondDenom = app.BondDenom
	cfg.MinGasPrices = "0" + app.BondDenom
	cfg.TimeoutCommit = 500 * time.Millisecond
	cfg.AppConstructor = func(val network.ValidatorI) servertypes.Application {
		return app.New(val.GetCtx().Logger, dbm.NewMemDB(), nil, true, simtestutil.NewAppOptionsWithFlagHome(val.GetCtx().Config.RootDir),
			baseapp.SetPruning(pruningtypes.NewPruningOptionsFromString(val.GetAppConfig().Pruning)),
			baseapp.SetMinGasPrices(val.GetAppConfig().MinGasPrices),
			baseapp.SetChainID(cfg.ChainID),
		)
	}
	n, err := network.New(t, t.TempDir(), cfg)
	require.NoError(t, err)
	t.Cleanup(n.Cleanup)
	_, err = n.WaitForHeight(1)
	require.NoError(t, err)
	return &chain{t: t, net: n, val: n.Validators[0]}
}

func (c *chain) keyring() keyring.Keyring { return c.val.ClientCtx.Keyring }

func (c *chain) addr(name string) sdk.AccAddress {
	rec, err := c.keyring().Key(name)
	require.NoError(c.t, err)
	a, err := rec.GetAddress()
	require.NoError(c.t, err)
	return a
}

// broadcast signs msgs with key from, waits for the block and requires success.
func (c *chain) broadcast(from string, msgs ...sdk.Msg) {
	c.t.Helper()
	ctx := c.val.ClientCtx.WithFromName(from).WithFromAddress(c.addr(from)).WithBroadcastMode("sync").WithSkipConfirmation(true)
	txf := tx.Factory{}.WithChainID(c.net.Config.ChainID).WithKeybase(ctx.Keyring).WithTxConfig(ctx.TxConfig).
		WithAccountRetriever(ctx.AccountRetriever).WithGas(1_000_000).WithSignMode(signing.SignMode_SIGN_MODE_DIRECT)
	txf, err := txf.Prepare(ctx)
	require.NoError(c.t, err)
	b, err := txf.BuildUnsignedTx(msgs...)
	require.NoError(c.t, err)
	require.NoError(c.t, tx.Sign(c.t.Context(), txf, from, b, true))
	bz, err := ctx.TxConfig.TxEncoder()(b.GetTx())
	require.NoError(c.t, err)
	res, err := ctx.BroadcastTx(bz)
	require.NoError(c.t, err)
	require.Zero(c.t, res.Code, res.RawLog)
	deadline := time.Now().Add(30 * time.Second)
	for {
		r, err := authtx.QueryTx(c.val.ClientCtx, res.TxHash)
		if err == nil {
			require.Zero(c.t, r.Code, r.RawLog)
			return
		}
		require.True(c.t, time.Now().Before(deadline), "tx %s not in a block after 30 s", res.TxHash)
		time.Sleep(100 * time.Millisecond)
	}
}

// fundedKeys creates keys and funds them in one tx.
func (c *chain) fundedKeys(amount int64, names ...string) {
	c.t.Helper()
	msgs := make([]sdk.Msg, len(names))
	for i, n := range names {
		rec, _, err := c.keyring().NewMnemonic(n, keyring.English, sdk.FullFundraiserPath, keyring.DefaultBIP39Passphrase, hd.Secp256k1)
		require.NoError(c.t, err)
		a, err := rec.GetAddress()
		require.NoError(c.t, err)
		msgs[i] = banktypes.NewMsgSend(c.val.Address, a, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, amount)))
	}
	c.broadcast(c.val.Moniker, msgs...)
}

// registerNeurons registers the hotkeys on netuid in one tx (UIDs in order).
func (c *chain) registerNeurons(netuid uint16, hotkeys ...string) {
	c.t.Helper()
	cold := c.val.Address.String()
	msgs := make([]sdk.Msg, len(hotkeys))
	for i, h := range hotkeys {
		hot := c.addr(h).String()
		auth := subnettypes.RegistrationAuthorization(c.net.Config.ChainID, netuid, cold, hot)
		sig, pk, err := c.keyring().Sign(h, auth, signing.SignMode_SIGN_MODE_DIRECT)
		require.NoError(c.t, err)
		msgs[i] = &subnettypes.MsgRegisterNeuron{Coldkey: cold, Netuid: uint32(netuid), Hotkey: hot, HotkeyPubkey: pk.Bytes(),
			HotkeySignature: sig, MaxCost: math.NewInt(1_000_000_000)}
	}
	c.broadcast(c.val.Moniker, msgs...)
}

// client is the shared chain client over the node's gRPC endpoint.
func (c *chain) client() *client.Chain {
	c.t.Helper()
	conn, err := grpc.NewClient(c.val.AppConfig.GRPC.Address, grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(c.t, err)
	cc, err := client.NewChain(c.t.Context(), conn, c.keyring(), client.ChainOptions{PollInterval: 100 * time.Millisecond})
	require.NoError(c.t, err)
	c.t.Cleanup(func() { _ = cc.Close() })
	return cc
}

// registerSubnet registers a task (canonical JSON) with hp and returns its netuid.
func (c *chain) registerSubnet(name, spec string, hp subnettypes.Hyperparams) uint16 {
	c.t.Helper()
	before, err := subnettypes.NewQueryClient(c.val.ClientCtx).Subnets(c.t.Context(), &subnettypes.QuerySubnetsRequest{})
	require.NoError(c.t, err)
	c.broadcast(c.val.Moniker, &subnettypes.MsgRegisterSubnet{Owner: c.val.Address.String(), Name: name, TaskSpec: spec, Hyperparams: &hp})
	after, err := subnettypes.NewQueryClient(c.val.ClientCtx).Subnets(c.t.Context(), &subnettypes.QuerySubnetsRequest{})
	require.NoError(c.t, err)
	require.Len(c.t, after.Subnets, len(before.Subnets)+1)
	return uint16(after.Subnets[len(after.Subnets)-1].Netuid)
}

// startMiner serves m on loopback as hotkey and publishes its axon; stop
// kills it (the listener closes, in-flight calls fail).
func (c *chain) startMiner(cc *client.Chain, netuid uint16, hotkey string, m *model.Model) (stop func()) {
	c.t.Helper()
	signer, err := client.NewKeyringSigner(c.keyring(), hotkey)
	require.NoError(c.t, err)
	hash, err := m.Hash()
	require.NoError(c.t, err)
	permits := &miner.MetagraphPermits{Source: cc, Netuid: netuid, Every: time.Second}
	require.NoError(c.t, permits.Refresh(c.t.Context()))
	srv, err := miner.New(miner.Config{Netuid: netuid, BatchWindow: time.Millisecond}, miner.Deps{
		Model: m, ModelHash: hash, Signer: signer, Permits: permits, Log: zerolog.Nop()})
	require.NoError(c.t, err)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(c.t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go permits.Run(ctx)
	go func() { done <- srv.Serve(ctx, lis, nil) }()
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			cancel()
			<-done
		}
	}
	c.t.Cleanup(stop)
	require.NoError(c.t, cc.ServeAxon(c.t.Context(), hotkey, netuid, lis.Addr().String(), "grpc", hash, miner.Version))
	return stop
}

func repoFile(t *testing.T, rel string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", rel))
	require.NoError(t, err)
	return p
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}
