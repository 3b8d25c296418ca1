// Package historylength is the upgrade tests/upgrade applies (built into
// assayd only with -tags upgrade_test): it migrates one x/emission
// parameter, keeping at least MinHistoryLength epochs of each subnet's
// history, so the test can see the new binary's handler ran exactly once
// and that it changed state without losing any.
package historylength

import (
	"context"
	"fmt"

	emissionkeeper "github.com/assay-network/assay/x/emission/keeper"
	emissiontypes "github.com/assay-network/assay/x/emission/types"
)

// Name is the plan name of the upgrade.
const Name = "history-length"

// MinHistoryLength is the emission history_length after the upgrade, unless
// governance had already set a longer one.
const MinHistoryLength = 64

// Migrate raises history_length to MinHistoryLength and leaves every other
// parameter, and a longer history_length, as it was.
func Migrate(p emissiontypes.Params) emissiontypes.Params {
	if p.HistoryLength < MinHistoryLength {
		p.HistoryLength = MinHistoryLength
	}
	return p
}

// Apply migrates the stored emission params.
func Apply(ctx context.Context, k *emissionkeeper.Keeper) error {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return fmt.Errorf("%s: reading emission params: %w", Name, err)
	}
	p = Migrate(p)
	if err := p.Validate(); err != nil {
		return fmt.Errorf("%s: %w", Name, err)
	}
	if err := k.Params.Set(ctx, p); err != nil {
		return fmt.Errorf("%s: writing emission params: %w", Name, err)
	}
	return nil
}
