// Package upgrades is the one list of software upgrades this binary knows.
// Each upgrade lives in its own folder, app/upgrades/<name>/, and is added
// to released (or, for the upgrade test's second binary, to testOnly) here.
//
// An upgrade is applied by x/upgrade at the height of the governance plan
// with its name: first every module's store migrations run through the
// module manager (RunMigrations from the version map the chain stored),
// then the upgrade's own step. A binary must not know a plan's name before
// the plan's height (x/upgrade halts it as "updated before trigger"), which
// is why the test upgrade is behind the upgrade_test build tag.
package upgrades

import (
	"context"
	"fmt"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"

	emissionkeeper "github.com/assay-network/assay/x/emission/keeper"
	subnetkeeper "github.com/assay-network/assay/x/subnet/keeper"
)

// Upgrade is one named software upgrade.
type Upgrade struct {
	// Name is the plan name in the governance proposal and the folder
	// under cosmovisor/upgrades/ that holds the new binary.
	Name string
	// StoreUpgrades adds, renames or deletes module stores at the upgrade
	// height (a new module needs its store added here).
	StoreUpgrades storetypes.StoreUpgrades
	// Apply is the upgrade's own step after the store migrations; nil when
	// the migrations are all there is.
	Apply func(ctx context.Context, k Keepers) error
}

// Keepers is what an upgrade's own step may change.
type Keepers struct {
	Subnet   *subnetkeeper.Keeper
	Emission *emissionkeeper.Keeper
}

// released are the upgrades of published releases, oldest first.
var released []Upgrade

// List is every upgrade this binary applies, oldest first. It fails on an
// empty or repeated name, which x/upgrade would otherwise accept silently
// (the later handler replacing the earlier).
func List() ([]Upgrade, error) {
	all := append(append([]Upgrade(nil), released...), testOnly...)
	seen := make(map[string]bool, len(all))
	for i, u := range all {
		if u.Name == "" {
			return nil, fmt.Errorf("upgrade %d has no name", i)
		}
		if seen[u.Name] {
			return nil, fmt.Errorf("upgrade %q is listed twice", u.Name)
		}
		seen[u.Name] = true
	}
	return all, nil
}
