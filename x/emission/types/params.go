package types

import (
	"fmt"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	"github.com/assay-network/assay/x/emission/schedule"
)

// DefaultParams are DESIGN §4's values.
func DefaultParams() Params {
	return Params{
		MaxEpochsPerBlock: 2,
		SplitRule:         schedule.RuleSqrtStake,
		OwnerCut:          math.LegacyNewDecWithPrec(18, 2),
		MinerShare:        math.LegacyNewDecWithPrec(5, 1),
		HistoryLength:     32,
	}
}

func paramErr(field, format string, args ...any) error {
	return errorsmod.Wrapf(ErrInvalidParams, "%s: %s", field, fmt.Sprintf(format, args...))
}

// Validate names the first bad field.
func (p Params) Validate() error {
	if p.MaxEpochsPerBlock == 0 || p.MaxEpochsPerBlock > 64 {
		return paramErr("max_epochs_per_block", "must be in [1, 64], got %d", p.MaxEpochsPerBlock)
	}
	if p.SplitRule != schedule.RuleSqrtStake && p.SplitRule != schedule.RuleEqual {
		return paramErr("split_rule", "unknown %q (want %s or %s)", p.SplitRule, schedule.RuleSqrtStake, schedule.RuleEqual)
	}
	for _, d := range []struct {
		name string
		v    math.LegacyDec
	}{{"owner_cut", p.OwnerCut}, {"miner_share", p.MinerShare}} {
		if d.v.IsNil() || d.v.IsNegative() || d.v.GT(math.LegacyOneDec()) {
			return paramErr(d.name, "must be a fraction in [0, 1]")
		}
	}
	if p.HistoryLength == 0 || p.HistoryLength > 1000 {
		return paramErr("history_length", "must be in [1, 1000], got %d", p.HistoryLength)
	}
	return nil
}
