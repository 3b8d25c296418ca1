package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// operatorCLI runs assayd queries and txs in-process against c, reading key
// names from the validator's test keyring, as an operator's shell would.
type operatorCLI struct {
	t *testing.T
	c *Chain
}

func (o operatorCLI) query(args ...string) (string, error) {
	o.t.Helper()
	return assayd(o.t, append(append([]string{"q"}, args...),
		"--node", o.c.Val.RPCAddress, "--keyring-backend", "test", "--keyring-dir", o.c.Ctx().KeyringDir, "--home", o.t.TempDir())...)
}

func (o operatorCLI) tx(from string, args ...string) (string, error) {
	o.t.Helper()
	return assayd(o.t, append(append([]string{"tx"}, args...),
		"--from", from, "--yes", "--output", "json", "--broadcast-mode", "sync", "--chain-id", o.c.Net.Config.ChainID,
		"--node", o.c.Val.RPCAddress, "--keyring-backend", "test", "--keyring-dir", o.c.Ctx().KeyringDir, "--home", o.t.TempDir())...)
}

// TestKeyNamesWhereAddressesGo: every query placeholder that takes an
// address (HOTKEY, COLDKEY, ADDRESS) and add-stake's HOTKEY also take a
// keyring key name, and give what the address gives; a name that is
// neither a key nor an address is refused naming the argument.
func TestKeyNamesWhereAddressesGo(t *testing.T) {
	c := NewChain(t, nil)
	res := c.Broadcast(c.Val.Moniker, &subnettypes.MsgRegisterSubnet{Owner: c.Val.Address.String(), Name: "credit", TaskSpec: germanCreditTask(t)})
	require.Zero(t, res.Code, res.RawLog)
	c.NewFundedKeys(10_000_000, "mhot", "staker")
	c.RegisterNeurons(1, "mhot")
	o := operatorCLI{t, c}
	hot, staker := c.KeyAddress("mhot").String(), c.KeyAddress("staker").String()

	for _, q := range [][]string{
		{"subnet", "neuron-by-hotkey", "1", "HOTKEY"},
		{"subnet", "hotkey-stake", "1", "HOTKEY"},
		{"subnet", "delegators", "1", "HOTKEY"},
		{"subnet", "commits", "1", "HOTKEY"},
		{"subnet", "stake", "HOTKEY"},
		{"subnet", "unbondings", "HOTKEY"},
		{"emission", "rewards", "HOTKEY"},
	} {
		with := func(key string) []string {
			args := append([]string(nil), q...)
			args[len(args)-1] = key
			return append(args, "-o", "json")
		}
		byAddr, err := o.query(with(hot)...)
		require.NoError(t, err, "%v by address: %s", q, byAddr)
		byName, err := o.query(with("mhot")...)
		require.NoError(t, err, "%v by key name: %s", q, byName)
		require.Equal(t, byAddr, byName, "%v: a key name answers what its address answers", q)

		out, err := o.query(with("nosuchkey")...)
		require.Error(t, err, "%v with an unknown name: %s", q, out)
		require.ErrorContains(t, err, `"nosuchkey"`)
		require.ErrorContains(t, err, "neither a keyring key name nor a bech32 address")
		name := "hotkey"
		if q[1] == "stake" || q[1] == "unbondings" || q[1] == "rewards" {
			name = "address"
		}
		require.ErrorContains(t, err, name+` "nosuchkey"`, "%v names its argument", q)
	}

	// add-stake takes the hotkey's name and the amount in ASSAY.
	out, err := o.tx("staker", "subnet", "add-stake", "1", "mhot", "1.5assay")
	require.NoError(t, err, out)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Zero(t, quickWaitTx(t, c, txHashOf(t, lines[len(lines)-1])).Code)
	pos, err := subnettypes.NewQueryClient(c.Ctx()).StakeByAddress(t.Context(), &subnettypes.QueryStakeByAddressRequest{Address: staker})
	require.NoError(t, err)
	require.Len(t, pos.Positions, 1)
	require.Equal(t, hot, pos.Positions[0].Hotkey)
	require.Equal(t, int64(1_500_000), pos.Positions[0].Amount.Int64())

	out, err = o.tx("staker", "subnet", "remove-stake", "1", "nosuchkey", "1")
	require.ErrorContains(t, err, `hotkey "nosuchkey"`, out)
}

// txHashOf reads the hash from a tx command's JSON response line.
func txHashOf(t *testing.T, line string) string {
	t.Helper()
	var res struct {
		TxHash string `json:"txhash"`
		Code   uint32 `json:"code"`
	}
	require.NoError(t, json.Unmarshal([]byte(line), &res), line)
	require.Zero(t, res.Code, line)
	return res.TxHash
}
