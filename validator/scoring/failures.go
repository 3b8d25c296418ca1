package scoring

// How a miner's failures count (timeout, refusal, unreachable, bad
// signature, wrong model, bad output: every query that is not answered
// well).
//
// In the moving average a failure is an observation of 0, nothing more:
//
//	S ← (1 − α)·S        so after k failures in a row  S_k = (1 − α)^k · S_0
//
// With α = 0.1 a miner at 0.64 still averages 0.64·0.9⁸ ≈ 0.275 after
// eight failed rounds: the average forgives a miner that misses a few
// rounds, and by itself it would keep paying a dead one for dozens of
// rounds. So weights do not take the average alone: a UID that was queried
// since the start of the previous epoch and answered none of those queries
// is Silent, and its weight in the vector built now is 0, whatever its
// average. One answer brings it back at its average.

// Silent reports whether a UID gets weight 0 in the weights built in
// epoch e. answered and failed are the epochs of its last answered and last
// failed query (E(h) of the block the round ran at; 0 when not known, as in
// a state file written before they were kept): it is silent when it failed
// a query in epoch e−1 or later and answered none since epoch e−1 began.
func Silent(answered, failed, e int64) bool {
	return failed >= e-1 && answered < e-1
}
