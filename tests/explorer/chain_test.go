// Package explorer_test runs assay-explorer against a live in-process
// chain (cosmos-sdk testutil/network) with a subnet, neurons, delegated
// stake and paid epochs, and checks what a token holder sees: over HTTP
// (pages, JSON twins, bad input) and in headless Chromium.
package explorer_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/assay-network/assay/internal/portlock"

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
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/app"
	"github.com/assay-network/assay/cmd/assayd/cmd/testnet"
	"github.com/assay-network/assay/task"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// chain is one in-process validator with the localnet x/subnet params.
type chain struct {
	t   *testing.T
	net *network.Network
	val *network.Validator
}

func newChain(t *testing.T) *chain {
	t.Helper()
	portlock.Lock(t, portlock.Wait)
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
	net, err := network.New(t, t.TempDir(), cfg)
	require.NoError(t, err)
	t.Cleanup(net.Cleanup)
	_, err = net.WaitForHeight(1)
	require.NoError(t, err)
	return &chain{t: t, net: net, val: net.Validators[0]}
}

func (c *chain) grpcAddr() string { return c.val.AppConfig.GRPC.Address }

func (c *chain) newKey(name string) sdk.AccAddress {
	c.t.Helper()
	rec, _, err := c.val.ClientCtx.Keyring.NewMnemonic(name, keyring.English, sdk.FullFundraiserPath, keyring.DefaultBIP39Passphrase, hd.Secp256k1)
	require.NoError(c.t, err)
	addr, err := rec.GetAddress()
	require.NoError(c.t, err)
	return addr
}

// broadcast signs msgs with the keyring key from and waits for the block.
func (c *chain) broadcast(from string, msgs ...sdk.Msg) {
	c.t.Helper()
	c.broadcastGas(from, 2_000_000, msgs...)
}

func (c *chain) broadcastGas(from string, gas uint64, msgs ...sdk.Msg) {
	c.t.Helper()
	kr := c.val.ClientCtx.Keyring
	rec, err := kr.Key(from)
	require.NoError(c.t, err)
	addr, err := rec.GetAddress()
	require.NoError(c.t, err)
	ctx := c.val.ClientCtx.WithFromName(from).WithFromAddress(addr).WithBroadcastMode("sync").WithSkipConfirmation(true)
	txf := tx.Factory{}.WithChainID(c.net.Config.ChainID).WithKeybase(kr).WithTxConfig(ctx.TxConfig).
		WithAccountRetriever(ctx.AccountRetriever).WithGas(gas).WithSignMode(signing.SignMode_SIGN_MODE_DIRECT)
	txf, err = txf.Prepare(ctx)
	require.NoError(c.t, err)
	b, err := txf.BuildUnsignedTx(msgs...)
	require.NoError(c.t, err)
	require.NoError(c.t, tx.Sign(c.t.Context(), txf, from, b, true))
	bz, err := ctx.TxConfig.TxEncoder()(b.GetTx())
	require.NoError(c.t, err)
	res, err := ctx.BroadcastTx(bz)
	require.NoError(c.t, err)
	require.Zero(c.t, res.Code, "CheckTx: %s", res.RawLog)
	require.NoError(c.t, c.net.RetryForBlocks(func() error {
		got, err := authtx.QueryTx(c.val.ClientCtx, res.TxHash)
		if err != nil {
			return err
		}
		if got.Code != 0 {
			return errors.New(got.RawLog)
		}
		return nil
	}, 10))
}

// fund sends amount uassay to each address in one tx.
func (c *chain) fund(amount int64, to ...sdk.AccAddress) {
	c.t.Helper()
	msgs := make([]sdk.Msg, len(to))
	for i, a := range to {
		msgs[i] = banktypes.NewMsgSend(c.val.Address, a, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, amount)))
	}
	c.broadcast(c.val.Moniker, msgs...)
}

// registration is MsgRegisterNeuron paid by coldkey for hotkey (keyring
// names), the hotkey signing its authorisation.
func (c *chain) registration(netuid uint32, coldName, hotName string) *subnettypes.MsgRegisterNeuron {
	c.t.Helper()
	kr := c.val.ClientCtx.Keyring
	addrOf := func(name string) string {
		rec, err := kr.Key(name)
		require.NoError(c.t, err)
		a, err := rec.GetAddress()
		require.NoError(c.t, err)
		return a.String()
	}
	cold, hot := addrOf(coldName), addrOf(hotName)
	sig, pk, err := kr.Sign(hotName, subnettypes.RegistrationAuthorization(c.net.Config.ChainID, uint16(netuid), cold, hot), signing.SignMode_SIGN_MODE_DIRECT)
	require.NoError(c.t, err)
	return &subnettypes.MsgRegisterNeuron{Coldkey: cold, Netuid: netuid, Hotkey: hot, HotkeyPubkey: pk.Bytes(),
		HotkeySignature: sig, MaxCost: math.NewInt(1_000_000_000)}
}

// builtinTask is the canonical JSON of a task file in scripts/tasks.
func builtinTask(t *testing.T, name string) string {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	raw, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "..", "scripts", "tasks", name+".json"))
	require.NoError(t, err)
	s, err := task.Parse(raw)
	require.NoError(t, err)
	b, err := s.Canonical()
	require.NoError(t, err)
	return string(b)
}
