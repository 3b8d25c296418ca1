// Package scoring holds the validator's scoring rules (DESIGN §8) as pure
// functions: the task metric, its baseline and the skill above it, the
// three bias metrics, the latency factor, the combined score, the per-UID
// moving average and the conversion of scores into the uint16 weights a
// validator submits (softmax, DESIGN §12). No SDK, no clock, no
// I/O: every formula here is table-tested against hand-computed values.
package scoring

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Bias metric names, as in the task spec (x/subnet types).
const (
	DemographicParity  = "demographic_parity"
	EqualizedOdds      = "equalized_odds"
	CounterfactualFlip = "counterfactual_flip"
)

// DemographicParityGap is max_g P(ŷ = fav | g) − min_g P(ŷ = fav | g) over
// the groups present among rows (all rows when rows is nil). With fewer than
// two groups present the gap is 0: there is nothing to compare.
func DemographicParityGap(pred []int, groups []string, favorable int, rows []int) float64 {
	var r rates
	each(len(pred), rows, func(i int) { r.add(groups[i], pred[i] == favorable) })
	return r.gap()
}

// EqualizedOddsGap is max(TPR gap, FPR gap), where for each group g
// TPR_g = P(ŷ = fav | y = fav, g) and FPR_g = P(ŷ = fav | y ≠ fav, g), and a
// gap is max_g − min_g over the groups with at least one row in the
// conditioning set (fewer than two such groups: that gap is 0).
func EqualizedOddsGap(pred, labels []int, groups []string, favorable int, rows []int) float64 {
	var tpr, fpr rates
	each(len(pred), rows, func(i int) {
		if labels[i] == favorable {
			tpr.add(groups[i], pred[i] == favorable)
		} else {
			fpr.add(groups[i], pred[i] == favorable)
		}
	})
	return math.Max(tpr.gap(), fpr.gap())
}

// CounterfactualFlipRate is the share of pairs (original, counterfactual)
// whose predicted classes differ; pairs index into pred. No pairs: 0.
func CounterfactualFlipRate(pred []int, pairs [][2]int) float64 {
	if len(pairs) == 0 {
		return 0
	}
	flips := 0
	for _, p := range pairs {
		if pred[p[0]] != pred[p[1]] {
			flips++
		}
	}
	return float64(flips) / float64(len(pairs))
}

// LatencyFactor is 1 up to target, 0 from max on, linear in between:
// (max − latency) / (max − target). max ≤ target makes it a step at max.
func LatencyFactor(latency, target, max time.Duration) float64 {
	switch {
	case latency >= max:
		return 0
	case latency <= target:
		return 1
	}
	return float64(max-latency) / float64(max-target)
}

// Score is skill × (1 − biasWeight·bias) × latencyFactor (DESIGN §12),
// every input clamped to [0, 1] first (NaN counts as 0), so the score is in
// [0, 1].
func Score(skill, bias, biasWeight, latencyFactor float64) float64 {
	return clamp01(skill) * (1 - clamp01(biasWeight)*clamp01(bias)) * clamp01(latencyFactor)
}

// EMA folds x into prev with weight alpha: alpha·x + (1 − alpha)·prev. The
// first observation of a UID (first = true) is taken as is, so a new miner
// is judged on what it answered, not on an arbitrary starting value.
func EMA(prev, x, alpha float64, first bool) float64 {
	if first {
		return x
	}
	return alpha*x + (1-alpha)*prev
}

// ErrNoWeights is returned when no UID has a positive score.
var ErrNoWeights = errors.New("scoring: no positive score to turn into weights")

// MaxWeight is the largest uint16 weight.
const MaxWeight = 65535

// Normalize turns scores (≥ 0; NaN and negatives count as 0) into fractions
// summing to 1 with no fraction above limit/65535 (the chain's
// max_weight_limit), changing the ratios among the uncapped entries as
// little as possible: entries above the cap are clipped to it and the excess
// is spread over the others in proportion to their scores, repeated until
// none exceeds it. If the positive scores are too few to carry the whole
// mass under the cap (k·cap < 1), the rest is shared equally by the
// zero-score entries. If even every entry at the cap cannot reach 1
// (n·cap < 1) the limit cannot be met and an error is returned.
func Normalize(scores []float64, limit uint16) ([]float64, error) {
	n := len(scores)
	s := make([]float64, n)
	var sum float64
	for i, v := range scores {
		if v > 0 && !math.IsInf(v, 1) {
			s[i] = v
			sum += v
		}
	}
	if sum == 0 {
		return nil, ErrNoWeights
	}
	limitFrac := float64(limit) / MaxWeight
	if limit == 0 || float64(n)*limitFrac < 1-1e-12 {
		return nil, fmt.Errorf("scoring: max_weight_limit %d/65535 cannot hold %d entries summing to 1", limit, n)
	}
	out := make([]float64, n)
	capped := make([]bool, n)
	for {
		// Mass left for the uncapped entries, spread by score.
		rest, free := 1.0, 0.0
		for i := range s {
			if capped[i] {
				rest -= limitFrac
			} else {
				free += s[i]
			}
		}
		if free == 0 {
			// Every positive score is capped: the zero scores share the rest.
			var zeros []int
			for i := range s {
				if !capped[i] {
					zeros = append(zeros, i)
				}
			}
			for i := range s {
				if capped[i] {
					out[i] = limitFrac
				}
			}
			for _, i := range zeros {
				out[i] = rest / float64(len(zeros))
			}
			return out, nil
		}
		changed := false
		for i := range s {
			if capped[i] {
				out[i] = limitFrac
				continue
			}
			out[i] = rest * s[i] / free
			if out[i] > limitFrac*(1+1e-12) {
				capped[i], changed = true, true
			}
		}
		if !changed {
			return out, nil
		}
	}
}

// ToUint16 scales fractions so the largest is 65535 (as subtensor's
// validators do), rounding to nearest, then lowers any entry the chain would
// refuse (w_i·65535 > limit·Σw) until every entry passes the chain's exact
// integer check. Fractions must come from Normalize.
func ToUint16(fracs []float64, limit uint16) []uint16 {
	var top float64
	for _, f := range fracs {
		top = math.Max(top, f)
	}
	out := make([]uint16, len(fracs))
	if top <= 0 {
		return out
	}
	for i, f := range fracs {
		out[i] = uint16(math.Round(f / top * MaxWeight))
	}
	// Rounding may push a capped entry a hair over the limit; step it down.
	for range 1 << 16 {
		var sum uint64
		for _, w := range out {
			sum += uint64(w)
		}
		bad := false
		for i, w := range out {
			if uint64(w)*MaxWeight > uint64(limit)*sum {
				out[i]--
				bad = true
			}
		}
		if !bad {
			break
		}
	}
	return out
}

// Weights is Normalize then ToUint16; minNonZero (the subnet's
// min_allowed_weights) is met by giving the smallest weight, 1, to zero
// entries in index order when too few are positive.
func Weights(scores []float64, limit uint16, minNonZero int) ([]uint16, error) {
	f, err := Normalize(scores, limit)
	if err != nil {
		return nil, err
	}
	w := ToUint16(f, limit)
	nz := 0
	for _, v := range w {
		if v > 0 {
			nz++
		}
	}
	for i := range w {
		if nz >= minNonZero {
			break
		}
		if w[i] == 0 {
			w[i] = 1
			nz++
		}
	}
	if nz < minNonZero {
		return nil, fmt.Errorf("scoring: %d entries cannot meet min_allowed_weights %d", len(w), minNonZero)
	}
	return w, nil
}

// rates counts, per group, how many rows and how many positives: the
// conditional rates the group-fairness gaps compare. Groups keep their
// first-seen order so the result never depends on map iteration.
type rates struct {
	names []string
	n, k  []int
}

func (r *rates) add(group string, positive bool) {
	i := 0
	for i < len(r.names) && r.names[i] != group {
		i++
	}
	if i == len(r.names) {
		r.names = append(r.names, group)
		r.n = append(r.n, 0)
		r.k = append(r.k, 0)
	}
	r.n[i]++
	if positive {
		r.k[i]++
	}
}

func (r *rates) gap() float64 {
	if len(r.names) < 2 {
		return 0
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range r.names {
		p := float64(r.k[i]) / float64(r.n[i])
		lo, hi = math.Min(lo, p), math.Max(hi, p)
	}
	return hi - lo
}

func each(n int, rows []int, f func(int)) {
	if rows == nil {
		for i := range n {
			f(i)
		}
		return
	}
	for _, i := range rows {
		f(i)
	}
}

func clamp01(x float64) float64 {
	if !(x > 0) {
		return 0
	}
	return math.Min(x, 1)
}
