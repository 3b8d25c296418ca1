package validator

import (
	"strconv"
	"strings"

	"github.com/assay-network/assay/validator/scoring"
)

// DESIGN §12's reasons for a score of 0, as the state file, logs and the
// zero_scores_total metric give them. Observation.Reason keeps the detailed
// failure (bad_signature, unreachable, wrong_model…); Why maps it here.
const (
	reasonTrivial      = "trivial"      // an answer no better than a constant one (skill 0)
	reasonMismatch     = "mismatch"     // answers are not the published model's (replay)
	reasonUnverifiable = "unverifiable" // no model to replay: not fetched, wrong hash, unfit
	reasonTimeout      = "timeout"
	reasonError        = "error"
	copyPrefix         = "copy of uid "
)

// Unlike the failures, reasonTrivial is an answer: its quality and bias
// are folded in and it counts as answered for scoring.Silent.

func copyOf(uid uint32) string { return copyPrefix + strconv.FormatUint(uint64(uid), 10) }

// Why is o's reason in DESIGN §12's terms ("" when it was scored
// normally): a failure to answer is a timeout or an error, except that a
// miner announcing no model hash or answering for another model than the
// one on chain cannot be verified.
func (o *Observation) Why() string {
	switch r := o.Reason; {
	case r == "", r == reasonTrivial, r == reasonMismatch, r == reasonUnverifiable, r == reasonTimeout, strings.HasPrefix(r, copyPrefix):
		return r
	case r == "no_model_hash", r == "wrong_model":
		return reasonUnverifiable
	}
	return reasonError
}

// reasonLabel is a §12 reason as a metric label: "copy of uid N" is
// "copy", so the label's values stay a fixed set.
func reasonLabel(why string) string {
	if strings.HasPrefix(why, copyPrefix) {
		return "copy"
	}
	return why
}

// zero marks o scored 0 for reason (a §12 reason: mismatch, unverifiable,
// copy of uid N) after it answered: its result no longer counts.
func (o *Observation) zero(reason string, err error) {
	o.Reason, o.Err, o.Result = reason, err, scoring.Result{}
}
