package scoring

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Replay verification and copies (DESIGN §12): the rules that decide
// whether a miner's answers came from the model it published, and whether
// that model is someone else's.
const (
	// ReplayTolerance is how far each of a miner's probabilities may be
	// from the validator's own forward pass of the published model.
	ReplayTolerance = 1e-4
	// MaxMismatchShare is the share of replayed rows that may mismatch
	// before the round scores 0 as `mismatch`: a little room for a
	// platform's float rounding flipping a near-tie, none for a swap.
	MaxMismatchShare = 0.02
	// NearCopyAgreement is the share of a round's rows on which two models'
	// predicted classes must agree for the later one to be a near-copy.
	NearCopyAgreement = 0.995
)

// RowMatches reports whether a miner's probability row is the validator's
// own: the same predicted class and every probability within
// ReplayTolerance (NaN never matches).
func RowMatches(got, want []float64) bool {
	if len(got) != len(want) || len(want) == 0 || argmax(got) != argmax(want) {
		return false
	}
	for i, g := range got {
		if !(math.Abs(g-want[i]) <= ReplayTolerance) {
			return false
		}
	}
	return true
}

// Mismatched reports whether bad mismatching rows out of n replayed exceed
// MaxMismatchShare (bad/n > 2%). No rows replayed is no evidence: false.
func Mismatched(bad, n int) bool {
	return n > 0 && float64(bad) > MaxMismatchShare*float64(n)
}

// ReplaySample picks the rows of an n-row challenge to replay: a share
// fraction of them (at least one when fraction > 0, all when fraction ≥ 1),
// in increasing order, drawn from (seed, stream). The validator draws seed
// after every answer of the round has arrived, so a miner cannot know
// which of its answers will be checked.
func ReplaySample(seed, stream uint64, n int, fraction float64) []int {
	if n <= 0 || !(fraction > 0) {
		return nil
	}
	k := n
	if fraction < 1 {
		k = min(n, max(1, int(math.Ceil(fraction*float64(n)))))
	}
	if k == n {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	idx := rand.New(rand.NewPCG(seed, stream)).Perm(n)[:k]
	slices.Sort(idx)
	return idx
}

// Agreement is the share of rows on which two answers predict the same
// class; answers of different lengths agree on nothing.
func Agreement(a, b []int) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return 0
	}
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / float64(len(a))
}

// NearCopy reports whether a model published after another is a copy of
// it: their answers agree on at least NearCopyAgreement of the round's
// rows and its quality is not higher than the earlier model's by at least
// epsilon (the task's reward.copy_epsilon). A later model that agrees but
// is clearly better earns, as SN9's "earliest commit wins, unless beaten by
// ε" rule has it.
func NearCopy(agreement, quality, earlierQuality, epsilon float64) bool {
	return agreement >= NearCopyAgreement && !(quality >= earlierQuality+epsilon)
}

func argmax(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}
