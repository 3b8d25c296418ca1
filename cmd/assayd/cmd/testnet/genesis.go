package testnet

import (
	"encoding/json"
	"fmt"

	cmttypes "github.com/cometbft/cometbft/types"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/keys/ed25519"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/version"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/cosmos/cosmos-sdk/x/genutil"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"

	"github.com/assay-network/assay/app"
)

// buildGenesis is the one genesis every node gets: the app's default state,
// an account holding cfg.Fund for every funded key, SubnetParams, and the
// gentxs. It is checked as `assayd genesis validate` checks a file.
func buildGenesis(a *app.App, cfg Config, addrs []sdk.AccAddress, gentxs []sdk.Tx) (*genutiltypes.AppGenesis, error) {
	cdc := a.AppCodec()
	state := map[string]json.RawMessage(a.DefaultGenesis())
	fund, err := bondCoin("--fund", cfg.Fund)
	if err != nil {
		return nil, err
	}
	if err := fundAccounts(cdc, state, addrs, sdk.NewCoins(fund)); err != nil {
		return nil, err
	}
	if err := setSubnetParams(cdc, state); err != nil {
		return nil, err
	}
	if state, err = genutil.SetGenTxsInAppGenesisState(cdc, a.TxConfig().TxJSONEncoder(), state, gentxs); err != nil {
		return nil, fmt.Errorf("gentxs: %w", err)
	}
	if err := a.BasicModuleManager.ValidateGenesis(cdc, a.TxConfig(), state); err != nil {
		return nil, fmt.Errorf("genesis does not validate: %w", err)
	}
	appState, err := json.MarshalIndent(state, "", "  ")
	if err != nil {
		return nil, err
	}
	// The header `assayd init` writes: CometBFT's default consensus params
	// with ed25519 consensus keys, first height 1.
	g := &genutiltypes.AppGenesis{
		AppName:       version.AppName,
		AppVersion:    version.Version,
		ChainID:       cfg.ChainID,
		AppState:      appState,
		InitialHeight: 1,
		Consensus:     &genutiltypes.ConsensusGenesis{Params: cmttypes.DefaultConsensusParams()},
	}
	g.Consensus.Params.Validator.PubKeyTypes = []string{ed25519.KeyType}
	if err := g.ValidateAndComplete(); err != nil {
		return nil, fmt.Errorf("genesis does not validate: %w", err)
	}
	return g, nil
}

// fundAccounts adds a base account with coins for each address to the auth
// and bank sections, and the coins to the supply, as `assayd genesis
// add-genesis-account` does for one.
func fundAccounts(cdc codec.Codec, state map[string]json.RawMessage, addrs []sdk.AccAddress, coins sdk.Coins) error {
	authGen := authtypes.GetGenesisStateFromAppState(cdc, state)
	accs, err := authtypes.UnpackAccounts(authGen.Accounts)
	if err != nil {
		return fmt.Errorf("auth genesis: %w", err)
	}
	bankGen := banktypes.GetGenesisStateFromAppState(cdc, state)
	for _, a := range addrs {
		accs = append(accs, authtypes.NewBaseAccount(a, nil, 0, 0))
		bankGen.Balances = append(bankGen.Balances, banktypes.Balance{Address: a.String(), Coins: coins})
		bankGen.Supply = bankGen.Supply.Add(coins...)
	}
	if authGen.Accounts, err = authtypes.PackAccounts(authtypes.SanitizeGenesisAccounts(accs)); err != nil {
		return fmt.Errorf("auth genesis: %w", err)
	}
	bankGen.Balances = banktypes.SanitizeGenesisBalances(bankGen.Balances)
	if state[authtypes.ModuleName], err = cdc.MarshalJSON(&authGen); err != nil {
		return err
	}
	if state[banktypes.ModuleName], err = cdc.MarshalJSON(bankGen); err != nil {
		return err
	}
	return nil
}
