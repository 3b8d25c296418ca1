package scoring

import (
	"errors"
	"fmt"
	"math"
)

// ErrTemperature is a softmax temperature that is not a positive finite number.
var ErrTemperature = errors.New("scoring: reward.temperature must be a positive finite number")

// Softmax turns scores into shares w_i ∝ exp(score_i / t) over the entries
// whose score is > 0 (DESIGN §12); an entry scoring 0 (or NaN, or below 0)
// gets 0, so a model worth nothing is paid nothing however flat the
// softmax. The shares of the positive entries sum to 1. Lower t
// concentrates the mass on the best. The largest score is subtracted
// before exponentiating, so no t overflows; for a very small t the shares
// of entries far below the best underflow to 0. No positive score: every
// share is 0.
func Softmax(scores []float64, t float64) ([]float64, error) {
	if !(t > 0) || math.IsInf(t, 1) {
		return nil, fmt.Errorf("%w: got %v", ErrTemperature, t)
	}
	out := make([]float64, len(scores))
	top := math.Inf(-1)
	for _, s := range scores {
		if s > 0 && !math.IsInf(s, 1) {
			top = math.Max(top, s)
		}
	}
	if math.IsInf(top, -1) {
		return out, nil
	}
	var sum float64
	for i, s := range scores {
		if s > 0 && !math.IsInf(s, 1) {
			out[i] = math.Exp((s - top) / t)
			sum += out[i]
		}
	}
	for i := range out {
		out[i] /= sum
	}
	return out, nil
}

// SoftmaxWeights is Softmax at temperature t, then Weights: the uint16
// vector a validator submits, under the chain's max_weight_limit and
// min_allowed_weights as before.
func SoftmaxWeights(scores []float64, t float64, limit uint16, minNonZero int) ([]uint16, error) {
	shares, err := Softmax(scores, t)
	if err != nil {
		return nil, err
	}
	return Weights(shares, limit, minNonZero)
}
