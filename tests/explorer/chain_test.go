// Package explorer_test runs assay-explorer against a live in-process
// chain (cosmos-sdk testutil/network) with a subnet, neurons, delegated
// stake and paid epochs, and checks what a token holder sees: over HTTP
// (pages, JSON twins, bad input) and in headless Chromium.
package explorer_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/internal/testchain"
	"github.com/assay-network/assay/task"
)

// chain is the shared in-process chain (testchain), which also takes the
// port lock.
type chain struct{ *testchain.Chain }

func newChain(t *testing.T) *chain { return &chain{testchain.New(t, nil)} }

// broadcastGas is the gas limit the explorer's setup txs signed for before
// testchain (twice testchain.DefaultGas), kept so a subnet's task spec or
// a batch never meets a lower limit here; fees are zero, so it costs nothing.
const broadcastGas = 2_000_000

// broadcast signs msgs with the keyring key from, waits for the block and
// requires success.
func (c *chain) broadcast(from string, msgs ...sdk.Msg) {
	c.T().Helper()
	c.DeliverGas(from, broadcastGas, msgs...)
}

// builtinTask is the canonical JSON of a task file in scripts/tasks.
func builtinTask(t *testing.T, name string) string {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	raw, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "..", "scripts", "tasks", name+".json"))
	require.NoError(t, err)
	s, err := task.Parse(raw)
	require.NoError(t, err)
	b, err := s.Canonical()
	require.NoError(t, err)
	return string(b)
}
