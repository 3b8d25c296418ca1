package yuma

import "fmt"

// Params are the per-subnet hyperparameters Yuma reads (DESIGN §3).
type Params struct {
	// Kappa is the stake quantile the consensus weight must reach, in [0, 1].
	Kappa Fixed
	// BondsMovingAverage is the bond EMA's memory; α = 1 − BondsMovingAverage
	// when liquid alpha is off. In [0, 1].
	BondsMovingAverage Fixed
	// BondsPenalty β in [0, 1] interpolates the weights bonds follow from the
	// raw weights (0) to the consensus-clipped weights (1).
	BondsPenalty Fixed
	// MaxValidators is how many UIDs get a validator permit (≥ 1).
	MaxValidators int
	// MinValidatorStake: stake below it counts as zero for every stake
	// vector (subtensor's stake threshold). Raw token units.
	MinValidatorStake uint64
	// ActivityCutoff: a UID is active when LastUpdate + ActivityCutoff ≥ Block.
	ActivityCutoff uint64
	// LiquidAlpha turns on the per-bond α of DESIGN §5 step 7.
	LiquidAlpha bool
	// AlphaLow ≤ AlphaHigh in [0, 1] bound the liquid α.
	AlphaLow, AlphaHigh Fixed
	// AlphaSigmoidSteepness ≥ 0 scales the liquid-α logistic (divided by 100).
	AlphaSigmoidSteepness Fixed
}

// DefaultParams returns the DESIGN §3 defaults.
func DefaultParams() Params {
	return Params{
		Kappa:                 Half,
		BondsMovingAverage:    mustDecimal("0.9"),
		BondsPenalty:          One,
		MaxValidators:         64,
		ActivityCutoff:        5000,
		LiquidAlpha:           false,
		AlphaLow:              mustDecimal("0.7"),
		AlphaHigh:             mustDecimal("0.9"),
		AlphaSigmoidSteepness: FromInt(1000),
	}
}

// mustDecimal parses a decimal literal known to be valid.
func mustDecimal(s string) Fixed {
	f, err := ParseFixed(s)
	if err != nil {
		panic("yuma: bad decimal literal " + s)
	}
	return f
}

// MaxUIDs is the largest subnet size the uint16 UIDs allow.
const MaxUIDs = 1 << 16

// FieldError is a validation error that names the offending input field.
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

func checkUnit(field string, v Fixed) error {
	if v < 0 || v > One {
		return fieldErr(field, "%s is outside [0, 1]", v)
	}
	return nil
}

// Validate checks every parameter and names the first bad one.
func (p Params) Validate() error {
	for _, c := range []struct {
		name string
		v    Fixed
	}{
		{"kappa", p.Kappa},
		{"bonds_moving_average", p.BondsMovingAverage},
		{"bonds_penalty", p.BondsPenalty},
		{"alpha_low", p.AlphaLow},
		{"alpha_high", p.AlphaHigh},
	} {
		if err := checkUnit(c.name, c.v); err != nil {
			return err
		}
	}
	if p.AlphaLow > p.AlphaHigh {
		return fieldErr("alpha_low", "%s is above alpha_high %s", p.AlphaLow, p.AlphaHigh)
	}
	if p.AlphaSigmoidSteepness < 0 {
		return fieldErr("alpha_sigmoid_steepness", "%s is negative", p.AlphaSigmoidSteepness)
	}
	if p.MaxValidators < 1 || p.MaxValidators > MaxUIDs {
		return fieldErr("max_validators", "%d is outside [1, %d]", p.MaxValidators, MaxUIDs)
	}
	return nil
}
