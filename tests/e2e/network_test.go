// Package e2e drives the real chain — CometBFT producing blocks over
// in-process validators (cosmos-sdk testutil/network) — through signed txs
// and gRPC queries, as a user's client would.
package e2e

import (
	"encoding/json"
	"testing"
	"time"

	"cosmossdk.io/log/v2"
	"cosmossdk.io/math"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/client"
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
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/app"
	"github.com/assay-network/assay/cmd/assayd/cmd/testnet"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// Chain is a running in-process network and the client side of it.
type Chain struct {
	t   *testing.T
	Net *network.Network
	Val *network.Validator
}

// NewChain starts one validator with the localnet x/subnet params; mutate
// changes the genesis before start.
func NewChain(t *testing.T, mutate func(genesis map[string]json.RawMessage, cdc *moduletestutil.TestEncodingConfig)) *Chain {
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
	if mutate != nil {
		mutate(genesis, &enc)
	}

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
	net, err := network.New(t, t.TempDir(), cfg)
	require.NoError(t, err)
	t.Cleanup(net.Cleanup)
	_, err = net.WaitForHeight(1)
	require.NoError(t, err)
	return &Chain{t: t, Net: net, Val: net.Validators[0]}
}

// Ctx is the validator's client context (keyring, codecs, RPC and gRPC).
func (c *Chain) Ctx() client.Context { return c.Val.ClientCtx }

// NewKey adds a key to the validator's keyring and returns its address.
func (c *Chain) NewKey(name string) sdk.AccAddress {
	c.t.Helper()
	rec, _, err := c.Ctx().Keyring.NewMnemonic(name, keyring.English, sdk.FullFundraiserPath, keyring.DefaultBIP39Passphrase, hd.Secp256k1)
	require.NoError(c.t, err)
	addr, err := rec.GetAddress()
	require.NoError(c.t, err)
	return addr
}

// Broadcast signs msgs with the keyring key fromName, waits for the block and
// returns the delivered result.
func (c *Chain) Broadcast(fromName string, msgs ...sdk.Msg) sdk.TxResponse {
	c.t.Helper()
	rec, err := c.Ctx().Keyring.Key(fromName)
	require.NoError(c.t, err)
	from, err := rec.GetAddress()
	require.NoError(c.t, err)
	ctx := c.Ctx().WithFromName(fromName).WithFromAddress(from).WithBroadcastMode("sync").WithSkipConfirmation(true).WithOutput(discard{})
	txf := tx.Factory{}.
		WithChainID(c.Net.Config.ChainID).WithKeybase(ctx.Keyring).WithTxConfig(ctx.TxConfig).
		WithAccountRetriever(ctx.AccountRetriever).WithGas(1_000_000).WithSignMode(signing.SignMode_SIGN_MODE_DIRECT)
	txf, err = txf.Prepare(ctx)
	require.NoError(c.t, err)
	builder, err := txf.BuildUnsignedTx(msgs...)
	require.NoError(c.t, err)
	require.NoError(c.t, tx.Sign(c.t.Context(), txf, fromName, builder, true))
	bz, err := ctx.TxConfig.TxEncoder()(builder.GetTx())
	require.NoError(c.t, err)
	res, err := ctx.BroadcastTx(bz)
	require.NoError(c.t, err)
	require.Zero(c.t, res.Code, "CheckTx rejected: %s", res.RawLog)
	return c.WaitTx(res.TxHash)
}

// WaitTx waits until txHash is in a block and returns its result.
func (c *Chain) WaitTx(txHash string) sdk.TxResponse {
	c.t.Helper()
	var out sdk.TxResponse
	require.NoError(c.t, c.Net.RetryForBlocks(func() error {
		res, err := authtx.QueryTx(c.Ctx(), txHash)
		if err != nil {
			return err
		}
		out = *res
		return nil
	}, 10))
	return out
}

// Fund sends amount uassay from the validator's account.
func (c *Chain) Fund(to sdk.AccAddress, amount int64) {
	c.t.Helper()
	res := c.Broadcast(c.Val.Moniker, banktypes.NewMsgSend(c.Val.Address, to, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, amount))))
	require.Zero(c.t, res.Code, res.RawLog)
}

// Balance is the uassay balance of addr.
func (c *Chain) Balance(addr sdk.AccAddress) math.Int {
	c.t.Helper()
	res, err := banktypes.NewQueryClient(c.Ctx()).Balance(c.t.Context(), banktypes.NewQueryBalanceRequest(addr, app.BondDenom))
	require.NoError(c.t, err)
	return res.Balance.Amount
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
