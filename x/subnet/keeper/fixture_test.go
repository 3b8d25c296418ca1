package keeper_test

import (
	"encoding/json"
	"strings"
	"testing"

	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
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
	"github.com/assay-network/assay/x/subnet"
	"github.com/assay-network/assay/x/subnet/keeper"
	"github.com/assay-network/assay/x/subnet/types"
)

const (
	testChainID = "assay-test"
	faucet      = "faucet"
)

// fixture runs the keeper over a real multistore with the real auth and bank
// keepers, so locks, burns and refunds move real balances.
type fixture struct {
	t    testing.TB
	ctx  sdk.Context
	k    *keeper.Keeper
	msgs types.MsgServer
	qs   types.QueryServer
	bank bankkeeper.BaseKeeper
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	app.SetAddressConfig()
	keys := storetypes.NewKVStoreKeys(authtypes.StoreKey, banktypes.StoreKey, types.StoreKey)
	ctx := testutil.DefaultContextWithKeys(keys, nil, nil).WithChainID(testChainID).WithBlockHeight(1)
	enc := moduletestutil.MakeTestEncodingConfig(auth.AppModule{}, bank.AppModule{}, subnet.AppModule{})
	gov := authtypes.NewModuleAddress("gov").String()
	perms := map[string][]string{
		faucet:           {authtypes.Minter},
		types.ModuleName: {authtypes.Burner},
	}
	ak := authkeeper.NewAccountKeeper(enc.Codec, runtime.NewKVStoreService(keys[authtypes.StoreKey]),
		authtypes.ProtoBaseAccount, perms, authcodec.NewBech32Codec(app.Bech32Prefix), app.Bech32Prefix, gov)
	bk := bankkeeper.NewBaseKeeper(enc.Codec, runtime.NewKVStoreService(keys[banktypes.StoreKey]), ak,
		map[string]bool{}, gov, ctx.Logger())
	k := keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(keys[types.StoreKey]), bk, gov)
	require.NoError(t, k.InitGenesis(ctx, types.DefaultGenesis()))
	return &fixture{t: t, ctx: ctx, k: k, msgs: keeper.NewMsgServerImpl(k), qs: keeper.NewQueryServer(k), bank: bk}
}

// account is a key pair standing for a user's coldkey or hotkey.
type account struct {
	priv *secp256k1.PrivKey
	addr sdk.AccAddress
}

func newAccount() account {
	priv := secp256k1.GenPrivKey()
	return account{priv: priv, addr: sdk.AccAddress(priv.PubKey().Address())}
}

func (a account) String() string { return a.addr.String() }

// funded returns a new account holding amount uassay.
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

func (f *fixture) supply() math.Int {
	return f.bank.GetSupply(f.ctx, types.Denom).Amount
}

func (f *fixture) advance(blocks int64) {
	f.ctx = f.ctx.WithBlockHeight(f.ctx.BlockHeight() + blocks)
}

// germanCreditTask is a v2 task file (DESIGN §11's example): the chain
// checks its shape only, so the data behind the hash is never read here.
func germanCreditTask() string {
	return `{
  "name": "german-credit",
  "task_type": "tabular-classification",
  "dataset": {"format": "arff", "files": [{"role": "data",
    "sha256": "bd94085134e4eb845c96b34c93ed65a223f89d089bacb273ef96f57509ce0bed", "size_bytes": 162270,
    "urls": ["https://sources.debian.org/data/main/w/weka/3.6.14-3/data/credit-g.arff"]}]},
  "label": {"column": "class", "positive": "good"},
  "split": {"seed": 1, "validation_fraction": "0.3"},
  "metric": "accuracy",
  "fairness": {
    "protected": {"column": "personal_status",
      "groups": {"female": ["female div/dep/mar"], "male": ["male div/sep", "male mar/wid", "male single"]},
      "counterfactual": {"female div/dep/mar": "male single", "male div/sep": "female div/dep/mar",
                         "male mar/wid": "female div/dep/mar", "male single": "female div/dep/mar"}},
    "bias_metric": "counterfactual_flip", "bias_weight": "0.5"},
  "reward": {"baseline": "majority", "temperature": "0.05"},
  "max_latency_ms": 2000
}`
}

// taskWith is germanCreditTask with one member replaced (value nil deletes
// it); path is the JSON path as dot-separated object keys.
func taskWith(t testing.TB, path string, value any) string {
	t.Helper()
	var root map[string]any
	require.NoError(t, json.Unmarshal([]byte(germanCreditTask()), &root))
	keys := strings.Split(path, ".")
	m := root
	for _, k := range keys[:len(keys)-1] {
		m = m[k].(map[string]any)
	}
	if last := keys[len(keys)-1]; value == nil {
		delete(m, last)
	} else {
		m[last] = value
	}
	bz, err := json.Marshal(root)
	require.NoError(t, err)
	return string(bz)
}

// registerSubnet registers a subnet owned by owner with hyperparams hp (nil: defaults).
func (f *fixture) registerSubnet(owner account, hp *types.Hyperparams) uint32 {
	f.t.Helper()
	res, err := f.msgs.RegisterSubnet(f.ctx, &types.MsgRegisterSubnet{Owner: owner.String(), Name: "gc", TaskSpec: germanCreditTask(), Hyperparams: hp})
	require.NoError(f.t, err)
	return res.Netuid
}

// registerMsg builds a registration signed by the hotkey for the coldkey.
func registerMsg(netuid uint32, cold, hot account, maxCost math.Int) *types.MsgRegisterNeuron {
	sig, err := hot.priv.Sign(types.RegistrationAuthorization(testChainID, uint16(netuid), cold.String(), hot.String()))
	if err != nil {
		panic(err)
	}
	return &types.MsgRegisterNeuron{
		Coldkey: cold.String(), Netuid: netuid, Hotkey: hot.String(),
		HotkeyPubkey: hot.priv.PubKey().Bytes(), HotkeySignature: sig, MaxCost: maxCost,
	}
}

func (f *fixture) registerNeuron(netuid uint32, cold, hot account) *types.MsgRegisterNeuronResponse {
	f.t.Helper()
	res, err := f.msgs.RegisterNeuron(f.ctx, registerMsg(netuid, cold, hot, math.NewInt(1_000_000_000_000)))
	require.NoError(f.t, err)
	return res
}
