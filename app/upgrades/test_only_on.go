//go:build upgrade_test

package upgrades

import (
	"context"

	"github.com/assay-network/assay/app/upgrades/historylength"
)

// testOnly is the upgrade tests/upgrade applies: the binary built with
// -tags upgrade_test is the "new release" cosmovisor switches to.
var testOnly = []Upgrade{{
	Name: historylength.Name,
	Apply: func(ctx context.Context, k Keepers) error {
		return historylength.Apply(ctx, k.Emission)
	},
}}
