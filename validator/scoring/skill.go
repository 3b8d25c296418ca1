package scoring

import "math"

// Skill is how far quality rises above the baseline a constant answer gets,
// on a scale where the baseline is 0 and a perfect model is 1 (DESIGN §12):
// max(0, (quality − baseline)/(1 − baseline)). Quality at or below the
// baseline is worth nothing, so a model that always answers the majority
// class earns nothing. A baseline of 1 (every validation row in one class)
// leaves no room above it: skill is 0. Inputs are clamped to [0, 1] first
// (NaN counts as 0).
func Skill(quality, baseline float64) float64 {
	q, b := clamp01(quality), clamp01(baseline)
	if q <= b || b >= 1 {
		return 0
	}
	return math.Min(1, (q-b)/(1-b))
}
