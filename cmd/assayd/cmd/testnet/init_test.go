package testnet

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"cosmossdk.io/log/v2"
	"cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/p2p"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/cosmos-sdk/baseapp"
	serverconfig "github.com/cosmos/cosmos-sdk/server/config"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	"github.com/spf13/viper"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/app"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

func newApp(t *testing.T, opts ...func(*baseapp.BaseApp)) *app.App {
	t.Helper()
	return app.New(log.NewNopLogger(), dbm.NewMemDB(), nil, true, simtestutil.NewAppOptionsWithFlagHome(t.TempDir()), opts...)
}

func initNet(t *testing.T, cfg Config) (*app.App, []Node) {
	t.Helper()
	a := newApp(t)
	nodes, err := Init(context.Background(), a, cfg)
	require.NoError(t, err)
	require.Len(t, nodes, cfg.Nodes)
	return a, nodes
}

// The one-node default is scripts/localnet.sh's home (DESIGN §10).
func TestInitOneNodeIsTheLocalnet(t *testing.T) {
	cfg := DefaultConfig()
	cfg.OutputDir = t.TempDir()
	a, nodes := initNet(t, cfg)
	n := nodes[0]
	require.Equal(t, cfg.OutputDir, n.Home, "one node: the output dir is the home")
	require.Equal(t, "alice", n.Operator)

	g := readGenesis(t, a, n.Home)
	require.Equal(t, "assay-localnet", g.ChainID)
	state := appState(t, g)
	addrs := requireFundedKeys(t, a, n.Home, state, DefaultKeys, math.NewInt(1_000_000_000_000))
	var sgs subnettypes.GenesisState
	require.NoError(t, a.AppCodec().UnmarshalJSON(state[subnettypes.ModuleName], &sgs))
	require.Equal(t, SubnetParams(), sgs.Params)
	require.EqualValues(t, 10, sgs.Params.DefaultHyperparams.Tempo)
	require.True(t, sgs.Params.DefaultHyperparams.CommitReveal)
	require.EqualValues(t, 1, sgs.Params.DefaultHyperparams.RevealPeriod)

	// The chain starts from it: alice is the one validator, bonded with her self-stake.
	vals := initChain(t, g)
	require.Len(t, vals, 1)
	require.EqualValues(t, 100_000, vals[0].Power)
	require.Equal(t, sdk.ValAddress(addrs["alice"]).String(), gentxValidators(t, a, state)[0])

	c := readComet(t, n.Home)
	require.Equal(t, "1s", c.Consensus.TimeoutCommit.String())
	require.Equal(t, "tcp://127.0.0.1:26657", c.RPC.ListenAddress)
	require.Equal(t, "tcp://127.0.0.1:26656", c.P2P.ListenAddress)
	require.Empty(t, c.P2P.PersistentPeers)
	s := readApp(t, n.Home)
	require.True(t, s.API.Enable, "REST on")
	require.Equal(t, "tcp://127.0.0.1:1317", s.API.Address)
	require.True(t, s.GRPC.Enable)
	require.Equal(t, "127.0.0.1:9090", s.GRPC.Address)
	require.Equal(t, "0uassay", s.MinGasPrices)
	requireLoopbackOnly(t, c, s)

	cl := viperOf(t, filepath.Join(n.Home, "config", "client.toml"))
	require.Equal(t, "assay-localnet", cl.GetString("chain-id"))
	require.Equal(t, "test", cl.GetString("keyring-backend"))
	require.Equal(t, "tcp://127.0.0.1:26657", cl.GetString("node"))
}

// Four nodes are scripts/testnet.sh's network, here at the test's offset.
func TestInitFourNodesPeerWithEachOther(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Nodes, cfg.OutputDir, cfg.ChainID, cfg.PortOffset = 4, t.TempDir(), "assay-testnet", 2000
	cfg.CommitTimeout = 700 * time.Millisecond
	a, nodes := initNet(t, cfg)

	g0 := readGenesis(t, a, nodes[0].Home)
	state := appState(t, g0)
	keys := append(append([]string(nil), DefaultKeys...), "node0", "node1", "node2", "node3")
	addrs := requireFundedKeys(t, a, nodes[0].Home, state, keys, math.NewInt(1_000_000_000_000))
	vals := initChain(t, g0)
	require.Len(t, vals, 4)
	for _, v := range vals {
		require.EqualValues(t, 100_000, v.Power, "equal stake: any 3 of 4 keep consensus")
	}
	ops := gentxValidators(t, a, state)
	ports := map[int]string{}
	for i, n := range nodes {
		require.Equal(t, filepath.Join(cfg.OutputDir, Moniker(i)), n.Home)
		require.Equal(t, Moniker(i), n.Operator)
		require.Equal(t, sdk.ValAddress(addrs[n.Operator]).String(), ops[i])
		g := readGenesis(t, a, n.Home)
		require.Equal(t, g0.AppState, g.AppState, "node%d's genesis differs from node0's", i)
		require.Equal(t, g0.GenesisTime, g.GenesisTime)
		requireFundedKeys(t, a, n.Home, state, keys, math.NewInt(1_000_000_000_000))

		nodeKey, err := p2p.LoadNodeKey(filepath.Join(n.Home, "config", "node_key.json"))
		require.NoError(t, err)
		require.Equal(t, string(nodeKey.ID()), n.NodeID)

		c, s := readComet(t, n.Home), readApp(t, n.Home)
		requireLoopbackOnly(t, c, s)
		require.Equal(t, 700*time.Millisecond, c.Consensus.TimeoutCommit)
		require.Equal(t, Moniker(i), c.Moniker)
		require.Equal(t, tcpAddr(28657+10*i), c.RPC.ListenAddress)
		for _, p := range n.Ports.list() {
			require.NotContains(t, ports, p.port, "node%d %s", i, p.kind)
			ports[p.port] = Moniker(i) + " " + p.kind
		}
		var want []string
		for j, m := range nodes {
			if j != i {
				want = append(want, m.NodeID+"@127.0.0.1:"+strconv.Itoa(28656+10*j))
			}
		}
		require.Equal(t, strings.Join(want, ","), c.P2P.PersistentPeers)
		require.False(t, c.P2P.AddrBookStrict, "all peers share 127.0.0.1")
		require.True(t, c.P2P.AllowDuplicateIP)
		require.Equal(t, "tcp://127.0.0.1:"+strconv.Itoa(3317+10*i), s.API.Address)
		require.Equal(t, "127.0.0.1:"+strconv.Itoa(11090+10*i), s.GRPC.Address)
		require.Equal(t, "tcp://127.0.0.1:"+strconv.Itoa(28657+10*i), viperOf(t, filepath.Join(n.Home, "config", "client.toml")).GetString("node"))
	}
	require.Len(t, ports, 4*7)
}

func TestInitRejectsABadConfig(t *testing.T) {
	for name, tc := range map[string]struct {
		edit func(*Config)
		want string
	}{
		"no nodes":          {func(c *Config) { c.Nodes = 0 }, "--nodes"},
		"no output dir":     {func(c *Config) { c.OutputDir = "" }, "--output-dir"},
		"no chain id":       {func(c *Config) { c.ChainID = "" }, "--chain-id"},
		"os keyring":        {func(c *Config) { c.KeyringBackend = "os" }, "--keyring-backend"},
		"no keys":           {func(c *Config) { c.Keys = nil }, "--keys"},
		"key twice":         {func(c *Config) { c.Keys = []string{"alice", "bob", "alice"} }, `"alice" is listed twice`},
		"key is operator":   {func(c *Config) { c.Nodes, c.Keys = 2, []string{"alice", "node1"} }, `"node1"`},
		"bad key name":      {func(c *Config) { c.Keys = []string{"a/b"} }, "--keys"},
		"port overflow":     {func(c *Config) { c.Nodes, c.PortOffset = 4, 39000 }, "--port-offset"},
		"negative offset":   {func(c *Config) { c.PortOffset = -1 }, "--port-offset"},
		"fund other denom":  {func(c *Config) { c.Fund = "10stake" }, "--fund"},
		"stake above fund":  {func(c *Config) { c.SelfStake = "2000000000000uassay" }, "--self-stake"},
		"stake below power": {func(c *Config) { c.SelfStake = "999999uassay" }, "--self-stake"},
		"zero block time":   {func(c *Config) { c.CommitTimeout = 0 }, "--commit-timeout"},
		"bad gas price":     {func(c *Config) { c.MinGasPrices = "free" }, "--minimum-gas-prices"},
	} {
		t.Run(name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.OutputDir = filepath.Join(t.TempDir(), "net")
			tc.edit(&cfg)
			_, err := Init(context.Background(), newApp(t), cfg)
			require.ErrorContains(t, err, tc.want)
			if cfg.OutputDir != "" {
				require.NoDirExists(t, cfg.OutputDir, "a refused config writes nothing")
			}
		})
	}
}

// A home may hold other files (make demo keeps its logs there), but never a
// node: a second init is refused and the first node stays as it was.
func TestInitRefusesAHomeThatHoldsANode(t *testing.T) {
	cfg := DefaultConfig()
	cfg.OutputDir = t.TempDir()
	logs := filepath.Join(cfg.OutputDir, "logs", "assayd.log")
	require.NoError(t, os.MkdirAll(filepath.Dir(logs), 0o755))
	require.NoError(t, os.WriteFile(logs, []byte("kept"), 0o644))
	a, _ := initNet(t, cfg)
	genesis := filepath.Join(cfg.OutputDir, "config", "genesis.json")
	before, err := os.ReadFile(genesis)
	require.NoError(t, err)

	_, err = Init(context.Background(), a, cfg)
	require.ErrorContains(t, err, "already holds a node")
	after, err := os.ReadFile(genesis)
	require.NoError(t, err)
	require.Equal(t, before, after)
	b, err := os.ReadFile(logs)
	require.NoError(t, err)
	require.Equal(t, "kept", string(b))
}

// A failure after the homes exist (here the genesis check: CometBFT caps a
// chain id at 50 characters) leaves the output dir as it found it.
func TestInitRemovesWhatItWroteWhenItFails(t *testing.T) {
	for _, nodes := range []int{1, 2} {
		cfg := DefaultConfig()
		cfg.Nodes, cfg.OutputDir, cfg.ChainID = nodes, t.TempDir(), strings.Repeat("c", 51)
		logs := filepath.Join(cfg.OutputDir, "logs")
		require.NoError(t, os.Mkdir(logs, 0o755))
		_, err := Init(context.Background(), newApp(t), cfg)
		require.ErrorContains(t, err, "genesis does not validate")
		ents, err := os.ReadDir(cfg.OutputDir)
		require.NoError(t, err)
		require.Len(t, ents, 1, "%d node(s): only the logs dir is left", nodes)
		require.Equal(t, "logs", ents[0].Name())
	}
}

func readGenesis(t *testing.T, a *app.App, home string) *genutiltypes.AppGenesis {
	t.Helper()
	g, err := genutiltypes.AppGenesisFromFile(filepath.Join(home, "config", "genesis.json"))
	require.NoError(t, err)
	require.NoError(t, g.ValidateAndComplete())
	require.NoError(t, a.BasicModuleManager.ValidateGenesis(a.AppCodec(), a.TxConfig(), appState(t, g)), "assayd genesis validate")
	return g
}

func appState(t *testing.T, g *genutiltypes.AppGenesis) map[string]json.RawMessage {
	t.Helper()
	var state map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(g.AppState, &state))
	return state
}

// initChain runs the genesis through a fresh app's InitChain, as a node's
// first start does, and returns the validator set it produced.
func initChain(t *testing.T, g *genutiltypes.AppGenesis) []abci.ValidatorUpdate {
	t.Helper()
	a := newApp(t, baseapp.SetChainID(g.ChainID))
	params := g.Consensus.Params.ToProto()
	resp, err := a.InitChain(&abci.RequestInitChain{
		ChainId: g.ChainID, Time: g.GenesisTime, InitialHeight: g.InitialHeight,
		ConsensusParams: &params, AppStateBytes: g.AppState,
	})
	require.NoError(t, err)
	return resp.Validators
}

// requireFundedKeys checks each key is in home's keyring and holds fund in
// the genesis, and returns the keys' addresses.
func requireFundedKeys(t *testing.T, a *app.App, home string, state map[string]json.RawMessage, keys []string, fund math.Int) map[string]sdk.AccAddress {
	t.Helper()
	kr, err := OpenKeyring(home, a.AppCodec())
	require.NoError(t, err)
	bank := banktypes.GetGenesisStateFromAppState(a.AppCodec(), state)
	balances := map[string]sdk.Coins{}
	for _, b := range bank.Balances {
		balances[b.Address] = b.Coins
	}
	require.Len(t, balances, len(keys), "exactly the funded keys have a balance")
	addrs := map[string]sdk.AccAddress{}
	for _, k := range keys {
		rec, err := kr.Key(k)
		require.NoError(t, err, "key %s in %s", k, home)
		addr, err := rec.GetAddress()
		require.NoError(t, err)
		require.Equal(t, fund, balances[addr.String()].AmountOf(app.BondDenom), "balance of %s", k)
		addrs[k] = addr
	}
	require.Equal(t, fund.MulRaw(int64(len(keys))), bank.Supply.AmountOf(app.BondDenom))
	return addrs
}

// gentxValidators are the operator addresses of the genesis validators, in
// gentx order.
func gentxValidators(t *testing.T, a *app.App, state map[string]json.RawMessage) []string {
	t.Helper()
	gs := genutiltypes.GetGenesisStateFromAppState(a.AppCodec(), state)
	var ops []string
	for _, raw := range gs.GenTxs {
		tx, err := a.TxConfig().TxJSONDecoder()(raw)
		require.NoError(t, err)
		msg, ok := tx.GetMsgs()[0].(*stakingtypes.MsgCreateValidator)
		require.True(t, ok)
		ops = append(ops, msg.ValidatorAddress)
	}
	return ops
}

func viperOf(t *testing.T, path string) *viper.Viper {
	t.Helper()
	v := viper.New()
	v.SetConfigFile(path)
	require.NoError(t, v.ReadInConfig())
	return v
}

// readComet reads config.toml the way `assayd start` does.
func readComet(t *testing.T, home string) *cmtcfg.Config {
	t.Helper()
	c := cmtcfg.DefaultConfig()
	require.NoError(t, viperOf(t, filepath.Join(home, "config", "config.toml")).Unmarshal(c))
	require.NoError(t, c.ValidateBasic())
	return c
}

// readApp reads app.toml the way `assayd start` does.
func readApp(t *testing.T, home string) *serverconfig.Config {
	t.Helper()
	c, err := serverconfig.ParseConfig(viperOf(t, filepath.Join(home, "config", "app.toml")))
	require.NoError(t, err)
	require.NoError(t, c.ValidateBasic())
	return c
}

// requireLoopbackOnly: nothing a node opens is reachable from off the machine.
func requireLoopbackOnly(t *testing.T, c *cmtcfg.Config, s *serverconfig.Config) {
	t.Helper()
	for name, a := range map[string]string{
		"proxy_app": c.ProxyApp, "rpc.laddr": c.RPC.ListenAddress, "pprof_laddr": c.RPC.PprofListenAddress,
		"p2p.laddr": c.P2P.ListenAddress, "prometheus_listen_addr": c.Instrumentation.PrometheusListenAddr,
		"api.address": s.API.Address, "grpc.address": s.GRPC.Address,
	} {
		require.True(t, strings.HasPrefix(strings.TrimPrefix(a, "tcp://"), "127.0.0.1:"), "%s = %q", name, a)
	}
	require.Empty(t, c.RPC.GRPCListenAddress, "CometBFT gRPC off")
}
