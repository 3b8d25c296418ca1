package types

import (
	"fmt"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
)

// uassay per ASSAY.
const microPerAssay = 1_000_000

// DefaultHyperparams are DESIGN §3's defaults.
func DefaultHyperparams() Hyperparams {
	return Hyperparams{
		Tempo:                 100,
		MaxUids:               256,
		MaxValidators:         64,
		ImmunityPeriod:        5000,
		MinAllowedWeights:     1,
		MaxWeightLimit:        65535,
		WeightsRateLimit:      100,
		ActivityCutoff:        5000,
		Kappa:                 math.LegacyNewDecWithPrec(5, 1),
		BondsMovingAverage:    math.LegacyNewDecWithPrec(9, 1),
		BondsPenalty:          math.LegacyOneDec(),
		CommitReveal:          true,
		RevealPeriod:          1,
		MinBurn:               math.NewInt(microPerAssay / 10),
		MaxBurn:               math.NewInt(100 * microPerAssay),
		ServingRateLimit:      50,
		MinValidatorStake:     math.NewInt(microPerAssay),
		LiquidAlpha:           false,
		AlphaLow:              math.LegacyNewDecWithPrec(7, 1),
		AlphaHigh:             math.LegacyNewDecWithPrec(9, 1),
		AlphaSigmoidSteepness: math.LegacyNewDec(1000),
		WeightsVersion:        0,
		BondsReset:            true,
	}
}

// DefaultBounds are the module-level limits on owner-set hyperparameters.
func DefaultBounds() HyperparamBounds {
	return HyperparamBounds{
		MinTempo:            1,
		MaxTempo:            100_000,
		MaxUidsLimit:        4096,
		MaxValidatorsLimit:  256,
		MaxImmunityPeriod:   1_000_000,
		MaxWeightsRateLimit: 100_000,
		MinActivityCutoff:   1,
		MaxRevealPeriod:     10,
		MaxServingRateLimit: 100_000,
		MinBurnFloor:        math.NewInt(1),
		MaxBurnCeiling:      math.NewInt(1_000_000 * microPerAssay),
	}
}

// DefaultParams are the module parameters of a new chain.
func DefaultParams() Params {
	return Params{
		MaxSubnets:            32,
		MinLock:               math.NewInt(100 * microPerAssay),
		LockReductionInterval: 14_400,
		BurnHalfLife:          360,
		BurnIncrease:          math.LegacyNewDecWithPrec(126, 2),
		DefaultHyperparams:    DefaultHyperparams(),
		Bounds:                DefaultBounds(),
		DefaultTake:           math.LegacyNewDecWithPrec(18, 2),
		MaxTake:               math.LegacyNewDecWithPrec(18, 2),
		TakeRateLimit:         14_400,
	}
}

func paramErr(field, format string, args ...any) error {
	return errorsmod.Wrapf(ErrInvalidParams, "%s: %s", field, fmt.Sprintf(format, args...))
}

// Validate checks the module parameters, naming the first bad field.
func (p Params) Validate() error {
	if p.MaxSubnets == 0 || p.MaxSubnets > MaxNetuid {
		return paramErr("max_subnets", "must be in [1, %d], got %d", MaxNetuid, p.MaxSubnets)
	}
	if p.MinLock.IsNil() || p.MinLock.IsNegative() {
		return paramErr("min_lock", "must be a non-negative amount")
	}
	if p.LockReductionInterval == 0 {
		return paramErr("lock_reduction_interval", "must be > 0")
	}
	if p.BurnHalfLife == 0 {
		return paramErr("burn_half_life", "must be > 0")
	}
	if p.BurnIncrease.IsNil() || p.BurnIncrease.LT(math.LegacyOneDec()) || p.BurnIncrease.GT(math.LegacyNewDec(10)) {
		return paramErr("burn_increase", "must be in [1, 10]")
	}
	if p.MaxTake.IsNil() || p.MaxTake.IsNegative() || p.MaxTake.GT(math.LegacyOneDec()) {
		return paramErr("max_take", "must be in [0, 1]")
	}
	if p.UnbondingPeriod > 1_000_000 {
		return paramErr("unbonding_period", "at most 1000000 blocks, got %d", p.UnbondingPeriod)
	}
	if p.DefaultTake.IsNil() || p.DefaultTake.IsNegative() || p.DefaultTake.GT(p.MaxTake) {
		return paramErr("default_take", "must be in [0, max_take]")
	}
	if err := p.Bounds.Validate(); err != nil {
		return err
	}
	if err := p.DefaultHyperparams.Validate(); err != nil {
		return errorsmod.Wrap(err, "default_hyperparams")
	}
	if err := p.DefaultHyperparams.CheckBounds(p.Bounds); err != nil {
		return errorsmod.Wrap(err, "default_hyperparams")
	}
	return nil
}

// Validate checks the bounds are coherent.
func (b HyperparamBounds) Validate() error {
	if b.MinTempo == 0 || b.MaxTempo < b.MinTempo {
		return paramErr("bounds.min_tempo/max_tempo", "need 0 < min_tempo <= max_tempo, got %d, %d", b.MinTempo, b.MaxTempo)
	}
	if b.MaxUidsLimit == 0 || b.MaxUidsLimit > 65535 {
		return paramErr("bounds.max_uids_limit", "must be in [1, 65535], got %d", b.MaxUidsLimit)
	}
	if b.MaxValidatorsLimit == 0 {
		return paramErr("bounds.max_validators_limit", "must be > 0")
	}
	if b.MaxRevealPeriod == 0 {
		return paramErr("bounds.max_reveal_period", "must be > 0")
	}
	if b.MinBurnFloor.IsNil() || b.MinBurnFloor.IsNegative() {
		return paramErr("bounds.min_burn_floor", "must be a non-negative amount")
	}
	if b.MaxBurnCeiling.IsNil() || b.MaxBurnCeiling.LT(b.MinBurnFloor) {
		return paramErr("bounds.max_burn_ceiling", "must be >= min_burn_floor")
	}
	return nil
}

func hpErr(field, format string, args ...any) error {
	return errorsmod.Wrapf(ErrInvalidHyperparams, "%s: %s", field, fmt.Sprintf(format, args...))
}

func decInUnit(field string, d math.LegacyDec) error {
	if d.IsNil() {
		return hpErr(field, "missing")
	}
	if d.IsNegative() || d.GT(math.LegacyOneDec()) {
		return hpErr(field, "must be in [0, 1], got %s", d)
	}
	return nil
}

// Validate checks the hyperparameters on their own (without module bounds).
func (h Hyperparams) Validate() error {
	if h.Tempo == 0 {
		return hpErr("tempo", "must be > 0")
	}
	if h.MaxUids == 0 || h.MaxUids > 65535 {
		return hpErr("max_uids", "must be in [1, 65535], got %d", h.MaxUids)
	}
	if h.MaxValidators == 0 || h.MaxValidators > h.MaxUids {
		return hpErr("max_validators", "must be in [1, max_uids=%d], got %d", h.MaxUids, h.MaxValidators)
	}
	if h.MinAllowedWeights == 0 || h.MinAllowedWeights > h.MaxUids {
		return hpErr("min_allowed_weights", "must be in [1, max_uids=%d], got %d", h.MaxUids, h.MinAllowedWeights)
	}
	if h.MaxWeightLimit == 0 || h.MaxWeightLimit > 65535 {
		return hpErr("max_weight_limit", "must be in [1, 65535], got %d", h.MaxWeightLimit)
	}
	if h.ActivityCutoff == 0 {
		return hpErr("activity_cutoff", "must be > 0")
	}
	for _, d := range []struct {
		name string
		v    math.LegacyDec
	}{
		{"kappa", h.Kappa}, {"bonds_moving_average", h.BondsMovingAverage}, {"bonds_penalty", h.BondsPenalty},
		{"alpha_low", h.AlphaLow}, {"alpha_high", h.AlphaHigh},
	} {
		if err := decInUnit(d.name, d.v); err != nil {
			return err
		}
	}
	if h.AlphaLow.GT(h.AlphaHigh) {
		return hpErr("alpha_low", "must be <= alpha_high (%s), got %s", h.AlphaHigh, h.AlphaLow)
	}
	if h.AlphaSigmoidSteepness.IsNil() || h.AlphaSigmoidSteepness.IsNegative() {
		return hpErr("alpha_sigmoid_steepness", "must be >= 0")
	}
	if h.RevealPeriod == 0 {
		return hpErr("reveal_period", "must be >= 1 tempo")
	}
	if h.MinBurn.IsNil() || h.MinBurn.IsNegative() {
		return hpErr("min_burn", "must be a non-negative amount")
	}
	if h.MaxBurn.IsNil() || h.MaxBurn.LT(h.MinBurn) {
		return hpErr("max_burn", "must be >= min_burn (%s)", h.MinBurn)
	}
	if h.MinValidatorStake.IsNil() || h.MinValidatorStake.IsNegative() {
		return hpErr("min_validator_stake", "must be a non-negative amount")
	}
	return nil
}

func boundErr(field, format string, args ...any) error {
	return errorsmod.Wrapf(ErrHyperparamOutOfBound, "%s: %s", field, fmt.Sprintf(format, args...))
}

// CheckBounds checks hyperparameters against the module bounds an owner may not cross.
func (h Hyperparams) CheckBounds(b HyperparamBounds) error {
	switch {
	case h.Tempo < b.MinTempo || h.Tempo > b.MaxTempo:
		return boundErr("tempo", "%d outside [%d, %d]", h.Tempo, b.MinTempo, b.MaxTempo)
	case h.MaxUids > b.MaxUidsLimit:
		return boundErr("max_uids", "%d above limit %d", h.MaxUids, b.MaxUidsLimit)
	case h.MaxValidators > b.MaxValidatorsLimit:
		return boundErr("max_validators", "%d above limit %d", h.MaxValidators, b.MaxValidatorsLimit)
	case h.ImmunityPeriod > b.MaxImmunityPeriod:
		return boundErr("immunity_period", "%d above limit %d", h.ImmunityPeriod, b.MaxImmunityPeriod)
	case h.WeightsRateLimit > b.MaxWeightsRateLimit:
		return boundErr("weights_rate_limit", "%d above limit %d", h.WeightsRateLimit, b.MaxWeightsRateLimit)
	case h.ActivityCutoff < b.MinActivityCutoff:
		return boundErr("activity_cutoff", "%d below limit %d", h.ActivityCutoff, b.MinActivityCutoff)
	case h.RevealPeriod > b.MaxRevealPeriod:
		return boundErr("reveal_period", "%d above limit %d", h.RevealPeriod, b.MaxRevealPeriod)
	case h.ServingRateLimit > b.MaxServingRateLimit:
		return boundErr("serving_rate_limit", "%d above limit %d", h.ServingRateLimit, b.MaxServingRateLimit)
	case h.MinBurn.LT(b.MinBurnFloor):
		return boundErr("min_burn", "%s below floor %s", h.MinBurn, b.MinBurnFloor)
	case h.MaxBurn.GT(b.MaxBurnCeiling):
		return boundErr("max_burn", "%s above ceiling %s", h.MaxBurn, b.MaxBurnCeiling)
	}
	return nil
}
