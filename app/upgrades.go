package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/server"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	upgradetypes "github.com/cosmos/cosmos-sdk/x/upgrade/types"
	"github.com/spf13/cast"

	"github.com/assay-network/assay/app/upgrades"
)

// registerUpgrades gives x/upgrade a handler for every upgrade in
// app/upgrades, and, when this binary starts at the height of one of them
// (x/upgrade wrote upgrade-info.json when the old binary halted), the store
// loader that applies its store additions and deletions.
func (app *App) registerUpgrades(home string) {
	list, err := upgrades.List()
	if err != nil {
		panic(fmt.Errorf("app/upgrades: %w", err))
	}
	keepers := upgrades.Keepers{Subnet: app.SubnetKeeper, Emission: app.EmissionKeeper}
	for _, u := range list {
		app.UpgradeKeeper.SetUpgradeHandler(u.Name, app.upgradeHandler(u, keepers))
	}

	// x/upgrade's reader creates <home>/data when it is missing; a CLI run or
	// a test app (whose home may be "") must not, so look first.
	if _, err := os.Stat(filepath.Join(home, "data", upgradetypes.UpgradeInfoFilename)); err != nil {
		return
	}
	info, err := app.UpgradeKeeper.ReadUpgradeInfoFromDisk()
	if err != nil {
		panic(fmt.Errorf("reading upgrade-info.json: %w", err))
	}
	if info.Name == "" || app.UpgradeKeeper.IsSkipHeight(info.Height) {
		return
	}
	for _, u := range list {
		if u.Name == info.Name {
			stores := u.StoreUpgrades
			app.SetStoreLoader(upgradetypes.UpgradeStoreLoader(info.Height, &stores))
		}
	}
}

// upgradeHandler runs every module's store migrations through the module
// manager, then the upgrade's own step.
func (app *App) upgradeHandler(u upgrades.Upgrade, k upgrades.Keepers) upgradetypes.UpgradeHandler {
	return func(ctx context.Context, plan upgradetypes.Plan, fromVM module.VersionMap) (module.VersionMap, error) {
		vm, err := app.ModuleManager.RunMigrations(ctx, app.configurator, fromVM)
		if err != nil {
			return nil, fmt.Errorf("upgrade %s: module migrations: %w", plan.Name, err)
		}
		if u.Apply != nil {
			if err := u.Apply(ctx, k); err != nil {
				return nil, fmt.Errorf("upgrade %s: %w", plan.Name, err)
			}
		}
		return vm, nil
	}
}

// skipUpgradeHeights are the --unsafe-skip-upgrades heights: plans an
// operator chose to pass over (x/upgrade clears them at that height).
func skipUpgradeHeights(appOpts servertypes.AppOptions) map[int64]bool {
	skip := make(map[int64]bool)
	for _, h := range cast.ToIntSlice(appOpts.Get(server.FlagUnsafeSkipUpgrades)) {
		skip[int64(h)] = true
	}
	return skip
}

// homePath is the node home, where x/upgrade writes data/upgrade-info.json
// for cosmovisor.
func homePath(appOpts servertypes.AppOptions) string {
	return cast.ToString(appOpts.Get(flags.FlagHome))
}
