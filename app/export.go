package app

import (
	"encoding/json"
	"fmt"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	"github.com/cosmos/cosmos-sdk/x/staking"
)

// ExportAppStateAndValidators exports the state after the last committed
// block as a genesis that starts at the next height.
//
// forZeroHeight first applies the SDK modules' relaunch preparation
// (zero_height.go): rewards and commission withdrawn, distribution records
// rebuilt, staking and slashing start heights reset, validators outside
// jailAllowedAddrs (when given) jailed. The genesis keeps initial_height =
// last height + 1 all the same: x/subnet and x/emission schedule by block
// height (epoch boundaries are the heights x/subnet/epoch computes from
// h + netuid, and reveal windows and unbonding releases are heights), so a chain restarted at height 1
// would find every pending reveal, unbonding and epoch phase in the wrong
// place.
func (app *App) ExportAppStateAndValidators(forZeroHeight bool, jailAllowedAddrs, modulesToExport []string) (servertypes.ExportedApp, error) {
	ctx := app.NewContextLegacy(true, cmtproto.Header{Height: app.LastBlockHeight()})
	if forZeroHeight {
		if err := app.prepForZeroHeightGenesis(ctx, jailAllowedAddrs); err != nil {
			return servertypes.ExportedApp{}, fmt.Errorf("zero-height export: %w", err)
		}
	}
	genState, err := app.ModuleManager.ExportGenesisForModules(ctx, app.appCodec, modulesToExport)
	if err != nil {
		return servertypes.ExportedApp{}, err
	}
	appState, err := json.MarshalIndent(genState, "", "  ")
	if err != nil {
		return servertypes.ExportedApp{}, err
	}
	validators, err := staking.WriteValidators(ctx, app.StakingKeeper)
	return servertypes.ExportedApp{
		AppState:        appState,
		Validators:      validators,
		Height:          app.LastBlockHeight() + 1,
		ConsensusParams: app.GetConsensusParams(ctx),
	}, err
}
