package e2e

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/app"
	assaydcmd "github.com/assay-network/assay/cmd/assayd/cmd"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// assayd runs the whole assayd command tree in-process as main does; a
// non-nil error is what makes main print it and exit 1.
func assayd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := assaydcmd.NewRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := svrcmd.Execute(root, "ASSAY", app.DefaultNodeHome)
	return out.String(), err
}

// TestAutocliTxFailuresExitNonZero: the autocli txs (serve-axon,
// dissolve-subnet) simulate by default like the hand-written ones, so a tx
// the module refuses fails before it is signed, with the module's error;
// and a tx CheckTx refuses (here with --gas given, so no simulation) makes
// assayd exit non-zero instead of printing the code and exiting 0.
func TestAutocliTxFailuresExitNonZero(t *testing.T) {
	c := NewChain(t, nil)
	res := c.Broadcast(c.Val.Moniker, &subnettypes.MsgRegisterSubnet{Owner: c.Val.Address.String(), Name: "credit", TaskSpec: germanCreditTask(t)})
	require.Zero(t, res.Code, res.RawLog)
	c.NewFundedKeys(1_000_000, "mhot", "stranger")
	c.RegisterNeurons(1, "mhot")
	hash := strings.Repeat("ab", 32)
	tx := func(from string, args ...string) (string, error) {
		return assayd(t, append(append([]string{"tx", "subnet"}, args...),
			"--from", from, "--yes", "--output", "json", "--broadcast-mode", "sync", "--chain-id", c.Net.Config.ChainID,
			"--node", c.Val.RPCAddress, "--keyring-backend", "test", "--keyring-dir", c.Ctx().KeyringDir, "--home", t.TempDir())...)
	}
	axon := func() *subnettypes.AxonInfo {
		n, ok, err := c.Client().NeuronByHotkey(t.Context(), 1, c.Addr("mhot").String())
		require.NoError(t, err)
		require.True(t, ok)
		return n.Axon
	}

	// The module refuses an unregistered hotkey: caught by the simulation.
	out, err := tx("stranger", "serve-axon", "1", "127.0.0.1:8091", "--model-hash", hash)
	require.Error(t, err, "serve-axon by an unregistered hotkey exited 0:\n%s", out)
	require.ErrorContains(t, err, "neuron")
	require.ErrorContains(t, err, c.Addr("stranger").String())

	// Only the owner may dissolve.
	out, err = tx("stranger", "dissolve-subnet", "1")
	require.Error(t, err, "dissolve-subnet by a stranger exited 0:\n%s", out)
	require.ErrorContains(t, err, "owner")

	// No simulation (--gas given): CheckTx refuses the malformed model hash;
	// the printed response has code ≠ 0, and so has the exit status.
	out, err = tx("mhot", "serve-axon", "1", "127.0.0.1:8091", "--model-hash", "zz", "--gas", "200000")
	require.Error(t, err, "a serve-axon refused in CheckTx exited 0:\n%s", out)
	require.ErrorContains(t, err, "model_hash")
	require.ErrorContains(t, err, "code")
	require.Nil(t, axon(), "a refused serve-axon set an axon")

	// A good one still exits 0 and lands.
	out, err = tx("mhot", "serve-axon", "1", "127.0.0.1:8091", "--model-hash", hash)
	require.NoError(t, err, out)
	var printed struct {
		TxHash string `json:"txhash"`
		Code   uint32 `json:"code"`
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &printed), out)
	require.Zero(t, printed.Code)
	require.Zero(t, c.WaitTx(printed.TxHash).Code)
	require.Equal(t, hash, axon().ModelHash)
}
