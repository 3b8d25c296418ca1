package keeper_test

import (
	"testing"

	"cosmossdk.io/collections"
	"cosmossdk.io/log/v2"
	"cosmossdk.io/math"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/store/v2"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	"github.com/cosmos/cosmos-sdk/x/auth"
	authcodec "github.com/cosmos/cosmos-sdk/x/auth/codec"
	authkeeper "github.com/cosmos/cosmos-sdk/x/auth/keeper"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/bank"
	bankkeeper "github.com/cosmos/cosmos-sdk/x/bank/keeper"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/app"
	"github.com/assay-network/assay/x/emission"
	"github.com/assay-network/assay/x/emission/keeper"
	"github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/subnet"
	subnetkeeper "github.com/assay-network/assay/x/subnet/keeper"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

const (
	chainID = "assay-test"
	faucet  = "faucet"
)

// fixture runs x/emission over a real multistore with the real auth, bank and
// x/subnet keepers, calling BeginBlock/EndBlock as the app does.
type fixture struct {
	t      testing.TB
	ctx    sdk.Context
	k      *keeper.Keeper
	sk     *subnetkeeper.Keeper
	bank   bankkeeper.BaseKeeper
	qs     types.QueryServer
	subMsg subnettypes.MsgServer
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	return newFixtureWith(t, func(sk *subnetkeeper.Keeper) types.SubnetKeeper { return sk })
}

// newFixtureWith is newFixture with x/emission's view of x/subnet given by
// view, so a test can stand between the two modules.
func newFixtureWith(t testing.TB, view func(*subnetkeeper.Keeper) types.SubnetKeeper) *fixture {
	t.Helper()
	app.SetAddressConfig()
	keys := storetypes.NewKVStoreKeys(authtypes.StoreKey, banktypes.StoreKey, subnettypes.StoreKey, types.StoreKey)
	ctx := committableContext(keys).WithChainID(chainID).WithBlockHeight(1)
	enc := moduletestutil.MakeTestEncodingConfig(auth.AppModule{}, bank.AppModule{}, subnet.AppModule{}, emission.AppModule{})
	gov := authtypes.NewModuleAddress("gov").String()
	perms := map[string][]string{
		faucet:                 {authtypes.Minter},
		subnettypes.ModuleName: {authtypes.Burner},
		types.ModuleName:       {authtypes.Minter, authtypes.Burner},
	}
	ak := authkeeper.NewAccountKeeper(enc.Codec, runtime.NewKVStoreService(keys[authtypes.StoreKey]),
		authtypes.ProtoBaseAccount, perms, authcodec.NewBech32Codec(app.Bech32Prefix), app.Bech32Prefix, gov)
	bk := bankkeeper.NewBaseKeeper(enc.Codec, runtime.NewKVStoreService(keys[banktypes.StoreKey]), ak, map[string]bool{}, gov, ctx.Logger())
	sk := subnetkeeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(keys[subnettypes.StoreKey]), bk, gov)
	k := keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(keys[types.StoreKey]), ak, bk, view(sk), gov)
	sk.SetHooks(subnettypes.MultiSubnetHooks{k})
	sgs := subnettypes.DefaultGenesis()
	sgs.Params.MinLock = math.NewInt(1_000_000)
	require.NoError(t, sk.InitGenesis(ctx, sgs))
	require.NoError(t, k.InitGenesis(ctx, types.DefaultGenesis()))
	return &fixture{t: t, ctx: ctx, k: k, sk: sk, bank: bk, qs: keeper.NewQueryServer(k), subMsg: subnetkeeper.NewMsgServerImpl(sk)}
}

// committableContext is testutil.DefaultContextWithKeys with each store on
// its own prefix of the database, so the multistore can be committed (the
// benchmarks commit their setup, as a chain commits every block).
func committableContext(keys map[string]*storetypes.KVStoreKey) sdk.Context {
	cms := store.NewCommitMultiStore(dbm.NewMemDB(), log.NewNopLogger())
	for _, key := range keys {
		cms.MountStoreWithDB(key, storetypes.StoreTypeIAVL, nil)
	}
	if err := cms.LoadLatestVersion(); err != nil {
		panic(err)
	}
	return sdk.NewContext(cms, cmtproto.Header{}, false, log.NewNopLogger())
}

type account struct {
	priv *secp256k1.PrivKey
	addr sdk.AccAddress
}

func newAccount() account {
	p := secp256k1.GenPrivKey()
	return account{priv: p, addr: sdk.AccAddress(p.PubKey().Address())}
}

func (a account) String() string { return a.addr.String() }

func (f *fixture) funded(amount int64) account {
	a := newAccount()
	c := sdk.NewCoins(sdk.NewInt64Coin(types.Denom, amount))
	require.NoError(f.t, f.bank.MintCoins(f.ctx, faucet, c))
	require.NoError(f.t, f.bank.SendCoinsFromModuleToAccount(f.ctx, faucet, a.addr, c))
	return a
}

func (f *fixture) balance(a sdk.AccAddress) math.Int {
	return f.bank.GetBalance(f.ctx, a, types.Denom).Amount
}

// block runs one block: BeginBlock at the next height, then EndBlock.
func (f *fixture) block() {
	f.t.Helper()
	f.ctx = f.ctx.WithBlockHeight(f.ctx.BlockHeight() + 1).WithEventManager(sdk.NewEventManager())
	require.NoError(f.t, f.k.BeginBlock(f.ctx))
	require.NoError(f.t, f.k.EndBlock(f.ctx))
}

func (f *fixture) blocks(n int) {
	for i := 0; i < n; i++ {
		f.block()
	}
}

// task is a minimal v2 task file (DESIGN §11); the chain checks its shape only.
func task() string {
	return `{"name": "t", "task_type": "tabular-classification",
  "dataset": {"format": "csv", "files": [{"role": "data", "size_bytes": 10, "urls": ["file:///t.csv"],
    "sha256": "0000000000000000000000000000000000000000000000000000000000000000"}]},
  "label": {"column": "y"}, "split": {"seed": 1, "validation_fraction": "0.3"}, "metric": "accuracy",
  "reward": {"baseline": "majority", "temperature": "0.05"}, "max_latency_ms": 1000}`
}

// quickHP: short tempo, no commit-reveal, no rate limits to wait out.
func quickHP(tempo uint64) subnettypes.Hyperparams {
	hp := subnettypes.DefaultHyperparams()
	hp.Tempo = tempo
	hp.CommitReveal = false
	hp.WeightsRateLimit = 0
	hp.ImmunityPeriod = 0
	hp.MinValidatorStake = math.NewInt(1)
	return hp
}

func (f *fixture) subnet(owner account, hp subnettypes.Hyperparams) uint32 {
	f.t.Helper()
	res, err := f.subMsg.RegisterSubnet(f.ctx, &subnettypes.MsgRegisterSubnet{Owner: owner.String(), Name: "t", TaskSpec: task(), Hyperparams: &hp})
	require.NoError(f.t, err)
	return res.Netuid
}

func (f *fixture) neuron(netuid uint32, cold, hot account) uint32 {
	f.t.Helper()
	sig, err := hot.priv.Sign(subnettypes.RegistrationAuthorization(chainID, uint16(netuid), cold.String(), hot.String()))
	require.NoError(f.t, err)
	res, err := f.subMsg.RegisterNeuron(f.ctx, &subnettypes.MsgRegisterNeuron{
		Coldkey: cold.String(), Netuid: netuid, Hotkey: hot.String(), HotkeyPubkey: hot.priv.PubKey().Bytes(),
		HotkeySignature: sig, MaxCost: math.NewInt(1 << 50),
	})
	require.NoError(f.t, err)
	return res.Uid
}

func (f *fixture) stake(netuid uint32, cold, hot account, amount int64) {
	f.t.Helper()
	_, err := f.subMsg.AddStake(f.ctx, &subnettypes.MsgAddStake{Coldkey: cold.String(), Netuid: netuid, Hotkey: hot.String(), Amount: math.NewInt(amount)})
	require.NoError(f.t, err)
}

func (f *fixture) setWeights(netuid uint32, hot account, uids, weights []uint32) {
	f.t.Helper()
	_, err := f.subMsg.SetWeights(f.ctx, &subnettypes.MsgSetWeights{Hotkey: hot.String(), Netuid: netuid, Uids: uids, Weights: weights})
	require.NoError(f.t, err)
}

func (f *fixture) pool(netuid uint32) types.SubnetPool {
	res, err := f.qs.Subnet(f.ctx, &types.QuerySubnetRequest{Netuid: netuid})
	require.NoError(f.t, err)
	return res.Pool
}

// invariant checks DESIGN §4's supply invariant with the keeper's one
// function: issued = paid + stake pools + pending + carry + burned, and the
// module account holds exactly pending + carry.
func (f *fixture) invariant() {
	f.t.Helper()
	r, err := f.k.SupplyInvariant(f.ctx)
	require.NoError(f.t, err)
	require.NoError(f.t, r.Check())
}

func joinDue(block int64, netuid uint32) collections.Pair[int64, uint16] {
	return collections.Join(block, uint16(netuid))
}
