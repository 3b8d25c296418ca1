package app

import (
	"slices"
	"testing"

	"cosmossdk.io/log/v2"
	dbm "github.com/cosmos/cosmos-db"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	upgradetypes "github.com/cosmos/cosmos-sdk/x/upgrade/types"

	"github.com/assay-network/assay/app/upgrades"
	"github.com/assay-network/assay/app/upgrades/historylength"
)

func newTestApp(t *testing.T) *App {
	t.Helper()
	return New(log.NewNopLogger(), dbm.NewMemDB(), nil, true, simtestutil.NewAppOptionsWithFlagHome(t.TempDir()))
}

// TestUpgradeWiring: x/upgrade runs before every other pre-blocker (at a
// plan's height nothing else may run in the old binary), and it has a
// handler for exactly the upgrades app/upgrades lists. A release build
// must not know the test upgrade: a binary that knows a pending plan's
// name before its height refuses to run.
func TestUpgradeWiring(t *testing.T) {
	a := newTestApp(t)
	if got := a.ModuleManager.OrderPreBlockers; len(got) == 0 || got[0] != upgradetypes.ModuleName {
		t.Fatalf("pre-blockers %v: x/upgrade must be first", got)
	}
	list, err := upgrades.List()
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range list {
		if !a.UpgradeKeeper.HasHandler(u.Name) {
			t.Errorf("no handler for listed upgrade %q", u.Name)
		}
	}
	listed := slices.ContainsFunc(list, func(u upgrades.Upgrade) bool { return u.Name == historylength.Name })
	if a.UpgradeKeeper.HasHandler(historylength.Name) != listed || listed != testUpgradeBuild {
		t.Fatalf("handler for the test upgrade %q: %v, listed %v, in a build with -tags upgrade_test: %v",
			historylength.Name, a.UpgradeKeeper.HasHandler(historylength.Name), listed, testUpgradeBuild)
	}
}
