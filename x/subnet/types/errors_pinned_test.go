package types_test

import (
	"testing"

	errorsmod "cosmossdk.io/errors"

	"github.com/assay-network/assay/x/subnet/types"
)

// TestErrorCodesNeverRenumbered pins every registered error's code: clients
// and indexers match on (codespace, code), so a code once released keeps
// its meaning (README, Errors). A new error takes a new code; this table
// grows, it never changes.
func TestErrorCodesNeverRenumbered(t *testing.T) {
	for _, tc := range []struct {
		err  *errorsmod.Error
		code uint32
	}{
		{types.ErrInvalidParams, 2},
		{types.ErrInvalidTask, 3},
		{types.ErrInvalidHyperparams, 4},
		{types.ErrHyperparamOutOfBound, 5},
		{types.ErrSubnetNotFound, 6},
		{types.ErrSubnetLimit, 7},
		{types.ErrNotOwner, 8},
		{types.ErrLockAboveMax, 9},
		{types.ErrCostAboveMax, 10},
		{types.ErrHotkeyRegistered, 11},
		{types.ErrAllImmune, 12},
		{types.ErrHotkeyProof, 13},
		{types.ErrNeuronNotFound, 14},
		{types.ErrServingRateLimit, 15},
		{types.ErrInvalidAxon, 16},
		{types.ErrInvalidAuthority, 17},
		{types.ErrInvalidAddress, 18},
		{types.ErrInvalidAmount, 19},
		{types.ErrInvalidGenesis, 20},
		{types.ErrInvalidNetuid, 21},
		{types.ErrInsufficientStake, 22},
		{types.ErrStakeTooSmall, 23},
		{types.ErrNotHotkeyOwner, 24},
		{types.ErrInvalidTake, 25},
		{types.ErrTakeRateLimit, 26},
		{types.ErrNoValidatorPermit, 27},
		{types.ErrDuplicateUID, 28},
		{types.ErrUnknownUID, 29},
		{types.ErrTooFewWeights, 30},
		{types.ErrMaxWeightLimit, 31},
		{types.ErrWeightsRateLimit, 32},
		{types.ErrWeightsVersion, 33},
		{types.ErrInvalidWeights, 34},
		{types.ErrCommitRevealEnabled, 35},
		{types.ErrCommitRevealDisabled, 36},
		{types.ErrTooManyCommits, 37},
		{types.ErrRevealMismatch, 38},
		{types.ErrRevealTooEarly, 39},
		{types.ErrRevealExpired, 40},
		{types.ErrInvalidCommit, 41},
		{types.ErrCommitRateLimit, 42},
		{types.ErrModelNotFound, 43},
	} {
		if tc.err.Codespace() != types.ModuleName || tc.err.ABCICode() != tc.code {
			t.Errorf("%q is %s/%d, pinned as %s/%d", tc.err.Error(), tc.err.Codespace(), tc.err.ABCICode(), types.ModuleName, tc.code)
		}
	}
}
