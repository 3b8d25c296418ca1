package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"cosmossdk.io/log/v2"
	"cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/crypto/ed25519"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmttypes "github.com/cometbft/cometbft/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/assay-network/assay/app"
	"github.com/assay-network/assay/cmd/assayd/cmd/testnet"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

const twinChainID = "assay-determinism"

// genesisTime is fixed: block times derive from it, so both apps (and every
// run with one seed) see the same clock.
var genesisTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// simAccount is a genesis account whose key the test holds.
type simAccount struct {
	priv *secp256k1.PrivKey
	addr sdk.AccAddress
	num  uint64
}

// twinGenesis is what both apps start from: one CometBFT validator, funded
// coldkeys and hotkeys (a hotkey signs its own weights and axon txs, so it
// needs an account), and the localnet's x/subnet params with a short
// unbonding period so the unbonding queue is exercised too.
type twinGenesis struct {
	state      []byte
	valSet     *cmttypes.ValidatorSet
	cold, hots []simAccount
}

func newTwinGenesis(t *testing.T, seed int64, colds, hots int) twinGenesis {
	t.Helper()
	key := func(role string, i int) *secp256k1.PrivKey {
		return secp256k1.GenPrivKeyFromSecret(fmt.Appendf(nil, "assay-determinism/%d/%s/%d", seed, role, i))
	}
	var g twinGenesis
	var accs []authtypes.GenesisAccount
	var balances []banktypes.Balance
	add := func(priv *secp256k1.PrivKey, amount int64) simAccount {
		a := simAccount{priv: priv, addr: sdk.AccAddress(priv.PubKey().Address()), num: uint64(len(accs))}
		accs = append(accs, authtypes.NewBaseAccount(a.addr, priv.PubKey(), a.num, 0))
		balances = append(balances, banktypes.Balance{Address: a.addr.String(), Coins: sdk.NewCoins(sdk.NewCoin(app.BondDenom, math.NewInt(amount)))})
		return a
	}
	for i := range colds {
		g.cold = append(g.cold, add(key("cold", i), 1_000_000_000_000))
	}
	for i := range hots {
		g.hots = append(g.hots, add(key("hot", i), 1_000_000))
	}
	valKey := ed25519.GenPrivKeyFromSecret(fmt.Appendf(nil, "assay-determinism/%d/validator", seed))
	g.valSet = cmttypes.NewValidatorSet([]*cmttypes.Validator{cmttypes.NewValidator(valKey.PubKey(), 1)})

	a := newTwinApp(t, nil)
	state, err := simtestutil.GenesisStateWithValSet(a.AppCodec(), a.DefaultGenesis(), g.valSet, accs, balances...)
	if err != nil {
		t.Fatal(err)
	}
	sgs := subnettypes.DefaultGenesis()
	sgs.Params = testnet.SubnetParams()
	sgs.Params.UnbondingPeriod = 5
	if err := sgs.Validate(); err != nil {
		t.Fatal(err)
	}
	state[subnettypes.ModuleName] = a.AppCodec().MustMarshalJSON(sgs)
	if g.state, err = json.Marshal(state); err != nil {
		t.Fatal(err)
	}
	return g
}

// newTwinApp is a fresh app over an in-memory DB. setup, when set, runs
// before the app is sealed (it may replace handlers).
func newTwinApp(t *testing.T, setup func(*app.App)) *app.App {
	t.Helper()
	a := app.New(log.NewNopLogger(), dbm.NewMemDB(), nil, false, simtestutil.NewAppOptionsWithFlagHome(t.TempDir()),
		baseapp.SetChainID(twinChainID))
	if setup != nil {
		setup(a)
	}
	if err := a.LoadLatestVersion(); err != nil {
		t.Fatal(err)
	}
	return a
}

// twin is two app instances fed the same blocks. Every step compares what
// consensus would compare (the app hash) and what a light client or fee
// payer sees (each tx's result and gas), so a divergence is reported at the
// first height and tx where it shows.
type twin struct {
	apps     [2]*app.App
	valSet   *cmttypes.ValidatorSet
	height   int64
	proposer []byte
}

func newTwin(t *testing.T, g twinGenesis, setup func(*app.App)) *twin {
	t.Helper()
	tw := &twin{valSet: g.valSet, proposer: g.valSet.Validators[0].Address}
	params := *simtestutil.DefaultConsensusParams
	params.Block = &cmtproto.BlockParams{MaxBytes: 4 << 20, MaxGas: -1}
	params.Authority = nil // its default names the SDK's "cosmos" prefix
	updates := make([]abci.ValidatorUpdate, 0, len(g.valSet.Validators))
	for _, v := range g.valSet.Validators {
		updates = append(updates, abci.UpdateValidator(v.PubKey.Bytes(), v.VotingPower, v.PubKey.Type()))
	}
	for i := range tw.apps {
		a := newTwinApp(t, setup)
		if _, err := a.InitChain(&abci.RequestInitChain{
			ChainId: twinChainID, Time: genesisTime, InitialHeight: 1,
			ConsensusParams: &params, Validators: updates, AppStateBytes: g.state,
		}); err != nil {
			t.Fatalf("app %d: InitChain: %v", i, err)
		}
		tw.apps[i] = a
	}
	return tw
}

// step finalizes and commits one block of txs on both apps and returns app
// 0's response; a difference between the two is an error naming the height.
func (tw *twin) step(txs [][]byte) (*abci.ResponseFinalizeBlock, error) {
	tw.height++
	var res [2]*abci.ResponseFinalizeBlock
	for i, a := range tw.apps {
		r, err := a.FinalizeBlock(&abci.RequestFinalizeBlock{
			Txs: txs, Height: tw.height, Time: genesisTime.Add(time.Duration(tw.height) * time.Second),
			NextValidatorsHash: tw.valSet.Hash(), ProposerAddress: tw.proposer,
		})
		if err != nil {
			return nil, fmt.Errorf("height %d: app %d FinalizeBlock: %w", tw.height, i, err)
		}
		if _, err := a.Commit(); err != nil {
			return nil, fmt.Errorf("height %d: app %d Commit: %w", tw.height, i, err)
		}
		res[i] = r
	}
	return res[0], compareBlocks(tw.height, res[0], res[1])
}

// compareBlocks reports the first difference between two apps' answers to
// one block: gas first (the check most likely to name the culprit tx), then
// each tx's whole result, the app hash, and finally every byte of the
// response (block events, validator updates).
func compareBlocks(h int64, a, b *abci.ResponseFinalizeBlock) error {
	if len(a.TxResults) != len(b.TxResults) {
		return fmt.Errorf("height %d: %d tx results vs %d", h, len(a.TxResults), len(b.TxResults))
	}
	for i := range a.TxResults {
		x, y := a.TxResults[i], b.TxResults[i]
		if x.GasUsed != y.GasUsed || x.GasWanted != y.GasWanted {
			return fmt.Errorf("height %d tx %d: gas used %d vs %d (wanted %d vs %d)", h, i, x.GasUsed, y.GasUsed, x.GasWanted, y.GasWanted)
		}
		bx, errX := x.Marshal()
		by, errY := y.Marshal()
		if errX != nil || errY != nil || !bytes.Equal(bx, by) {
			return fmt.Errorf("height %d tx %d: results differ:\n  %v\n  %v", h, i, x, y)
		}
	}
	if !bytes.Equal(a.AppHash, b.AppHash) {
		return fmt.Errorf("height %d: app hash %X vs %X", h, a.AppHash, b.AppHash)
	}
	ba, errA := a.Marshal()
	bb, errB := b.Marshal()
	if errA != nil || errB != nil || !bytes.Equal(ba, bb) {
		return fmt.Errorf("height %d: FinalizeBlock responses differ (block events or updates)", h)
	}
	return nil
}
