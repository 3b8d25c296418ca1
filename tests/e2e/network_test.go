// Package e2e drives the real chain — CometBFT producing blocks over
// in-process validators (cosmos-sdk testutil/network) — through signed txs
// and gRPC queries, as a user's client would.
package e2e

import (
	"encoding/json"
	"testing"

	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"

	"github.com/assay-network/assay/internal/testchain"
)

// Chain is the shared in-process chain; the e2e helpers take it by this name.
type Chain = testchain.Chain

// NewChain starts one validator with the localnet x/subnet params (and
// takes the port lock, in testchain.New); mutate changes the genesis before
// start.
func NewChain(t *testing.T, mutate func(genesis map[string]json.RawMessage, cdc *moduletestutil.TestEncodingConfig)) *Chain {
	t.Helper()
	return testchain.New(t, mutate)
}
