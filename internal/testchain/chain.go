// Package testchain starts the in-process chain the integration tests under
// tests/ run against (cosmos-sdk testutil/network, one validator, the
// localnet x/subnet params) and holds the client-side helpers they share:
// keys, signed txs waited into a block, funding and neuron registration.
// Only test code imports it; it takes a *testing.T-like value everywhere
// so a failure stops the calling test.
package testchain

import (
	"encoding/json"
	"testing"
	"time"

	"cosmossdk.io/log/v2"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/cosmos-sdk/baseapp"
	sdkclient "github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	pruningtypes "github.com/cosmos/cosmos-sdk/store/v2/pruning/types"
	"github.com/cosmos/cosmos-sdk/testutil/network"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/assay-network/assay/app"
	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/cmd/assayd/cmd/testnet"
	"github.com/assay-network/assay/internal/portlock"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// Chain is a running in-process network and the client side of it.
type Chain struct {
	t   testing.TB
	Net *network.Network
	Val *network.Validator
}

// Mutate changes the genesis before the chain starts.
type Mutate func(genesis map[string]json.RawMessage, cdc *moduletestutil.TestEncodingConfig)

// New starts one validator with the localnet x/subnet params (short
// periods, so a test sees epochs within seconds), zero gas prices so no
// test has to budget fees, and 500 ms blocks; it returns once block 1 is
// committed. mutate, when not nil, changes the genesis first.
//
// New takes the machine-wide port lock for the rest of t: the chain binds
// ports and times blocks, and every chain test must hold the lock exactly
// once. Callers must not take it themselves: a second flock from the same
// process on a new descriptor waits for the first, so it would block until
// the test's own timeout.
func New(t testing.TB, mutate Mutate) *Chain {
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

// T is the test the chain runs for, for helpers built on the chain that
// fail that test.
func (c *Chain) T() testing.TB { return c.t }

// Ctx is the validator's client context (keyring, codecs, RPC and gRPC).
func (c *Chain) Ctx() sdkclient.Context { return c.Val.ClientCtx }

// Keyring is the validator's test keyring, which holds every key a test makes.
func (c *Chain) Keyring() keyring.Keyring { return c.Val.ClientCtx.Keyring }

// ChainID is the network's chain id, which registration authorisations sign.
func (c *Chain) ChainID() string { return c.Net.Config.ChainID }

// GRPCAddr is the validator's gRPC listen address.
func (c *Chain) GRPCAddr() string { return c.Val.AppConfig.GRPC.Address }

// Client is the shared chain client (client.Chain) over the validator's
// gRPC endpoint with the validator's keyring, closed when the test ends.
func (c *Chain) Client() *client.Chain {
	c.t.Helper()
	conn, err := grpc.NewClient(c.GRPCAddr(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(c.t, err)
	cc, err := client.NewChain(c.t.Context(), conn, c.Keyring(), client.ChainOptions{PollInterval: 100 * time.Millisecond})
	require.NoError(c.t, err)
	c.t.Cleanup(func() { _ = cc.Close() })
	return cc
}
