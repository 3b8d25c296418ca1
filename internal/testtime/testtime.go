// Package testtime scales the wall-clock budgets of integration tests.
//
// Tests wait on chain state (a height, an event, a query) and give each wait
// a generous budget; on a slow or loaded machine even a generous budget can
// run out. ASSAY_TEST_TIME_SCALE multiplies every budget that goes through
// Scale, so a slow machine can be given more time without editing tests:
//
//	ASSAY_TEST_TIME_SCALE=3 make test
//
// The factor must be a number ≥ 1; anything else is ignored (factor 1), so
// a typo can never shorten a budget.
package testtime

import (
	"os"
	"strconv"
	"time"
)

// Env is the environment variable that holds the factor.
const Env = "ASSAY_TEST_TIME_SCALE"

// Factor is the scale read from Env: ≥ 1, and 1 when unset or invalid.
func Factor() float64 {
	f, err := strconv.ParseFloat(os.Getenv(Env), 64)
	if err != nil || !(f >= 1) || f > 1000 {
		return 1
	}
	return f
}

// Scale returns d times Factor.
func Scale(d time.Duration) time.Duration {
	return time.Duration(float64(d) * Factor())
}
