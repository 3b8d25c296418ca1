package e2e

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"cosmossdk.io/math"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/app"
	subnetcli "github.com/assay-network/assay/x/subnet/client/cli"
	"github.com/assay-network/assay/x/subnet/epoch"
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
	hot, staker := c.Addr("mhot").String(), c.Addr("staker").String()

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

// TestReadableQueries: after an epoch in which a validator weighted a good
// miner 3:1 over another, `q subnet metagraph` prints a table whose numbers
// are the chain's, `standing` tells the good miner it ranks first with 75%
// of the validator's weight, hotkey-stake prints the take as a percentage,
// and -o json still prints autocli's JSON.
func TestReadableQueries(t *testing.T) {
	c := NewChain(t, nil)
	const netuid, tempo = 1, 4
	hp := subnettypes.DefaultHyperparams()
	hp.Tempo, hp.CommitReveal, hp.WeightsRateLimit, hp.ImmunityPeriod = tempo, false, 0, 0
	hp.MinValidatorStake = math.NewInt(1)
	res := c.Broadcast(c.Val.Moniker, &subnettypes.MsgRegisterSubnet{Owner: c.Val.Address.String(), Name: "gc", TaskSpec: germanCreditTask(t), Hyperparams: &hp})
	require.Zero(t, res.Code, res.RawLog)
	addrs := c.NewFundedKeys(50_000_000, "val", "good-cold", "other-cold")
	c.NewKey("good")
	c.NewKey("other")
	c.RegisterNeurons(netuid, "val")
	for _, m := range []struct{ cold, hot string }{{"good-cold", "good"}, {"other-cold", "other"}} {
		res := c.Broadcast(m.cold, signedRegistration(t, c, netuid, m.cold, m.hot))
		require.Zero(t, res.Code, res.RawLog)
	}
	res = c.Broadcast("val", &subnettypes.MsgAddStake{Coldkey: addrs[0].String(), Netuid: netuid, Hotkey: addrs[0].String(), Amount: math.NewInt(20_000_000)})
	require.Zero(t, res.Code, res.RawLog)
	res = c.Broadcast("val", &subnettypes.MsgSetWeights{Hotkey: addrs[0].String(), Netuid: netuid, Uids: []uint32{1, 2}, Weights: []uint32{3, 1}})
	require.Zero(t, res.Code, res.RawLog)
	h, err := c.Net.LatestHeight()
	require.NoError(t, err)
	first := epoch.Next(h, netuid, tempo)
	_, err = c.Net.WaitForHeight(epoch.Next(first, netuid, tempo) + 1)
	require.NoError(t, err)
	h, err = c.Net.LatestHeight()
	require.NoError(t, err)
	at := strconv.FormatInt(h, 10)
	mg, err := subnettypes.NewQueryClient(c.Ctx()).Metagraph(atHeight(t.Context(), h), &subnettypes.QueryMetagraphRequest{Netuid: netuid})
	require.NoError(t, err)
	require.True(t, mg.Neurons[1].Incentive.IsPositive())
	o := operatorCLI{t, c}

	table, err := o.query("subnet", "metagraph", "1", "--height", at)
	require.NoError(t, err, table)
	require.Contains(t, table, fmt.Sprintf("Subnet 1 \"gc\" at block %d: 3 neurons (1 validators, 2 miners)", h))
	rows := map[string][]string{}
	for _, line := range strings.Split(table, "\n") {
		f := strings.Fields(line)
		if _, err := strconv.Atoi(firstOf(f)); err == nil && len(f) >= 12 {
			rows[f[0]] = f
		}
	}
	require.Len(t, rows, 3, table)
	for _, n := range mg.Neurons {
		row := rows[strconv.Itoa(int(n.Uid))]
		require.Equal(t, []string{subnetcli.ShortAddress(n.Hotkey), subnetcli.RoleOf(n), subnetcli.FormatAssay(n.Stake)}, row[1:4], "UID %d", n.Uid)
		require.Equal(t, []string{subnetcli.FormatPercent(n.ValidatorTrust), subnetcli.FormatPercent(n.Consensus),
			subnetcli.FormatPercent(n.Incentive), subnetcli.FormatPercent(n.Dividends), subnetcli.FormatAssay(n.Emission)}, row[5:10], "UID %d", n.Uid)
	}
	require.Equal(t, "1", rows["1"][4], "the good miner ranks first among miners")
	require.Equal(t, "2", rows["2"][4])

	js, err := o.query("subnet", "metagraph", "1", "--height", at, "-o", "json")
	require.NoError(t, err, js)
	var parsed struct {
		Neurons []struct {
			Hotkey    string `json:"hotkey"`
			Incentive string `json:"incentive"`
		} `json:"neurons"`
	}
	require.NoError(t, json.Unmarshal([]byte(js), &parsed), js)
	require.Len(t, parsed.Neurons, 3)
	require.Equal(t, mg.Neurons[1].Hotkey, parsed.Neurons[1].Hotkey)

	standing, err := o.query("subnet", "standing", "1", "good", "--height", at)
	require.NoError(t, err, standing)
	require.Contains(t, standing, "UID 1, miner, rank 1 of 2 miners")
	require.Contains(t, standing, "incentive "+subnetcli.FormatPercent(mg.Neurons[1].Incentive))
	require.Regexp(t, `\n\s+0\s+\S+\s+\S+\s+3\s+75\.00%`, standing, "the validator's 3:1 weights give UID 1 three quarters")

	stake, err := o.query("subnet", "hotkey-stake", "1", "val")
	require.NoError(t, err, stake)
	hs, err := subnettypes.NewQueryClient(c.Ctx()).HotkeyStake(t.Context(), &subnettypes.QueryHotkeyStakeRequest{Netuid: netuid, Hotkey: addrs[0].String()})
	require.NoError(t, err)
	require.Contains(t, stake, "take:             "+subnetcli.FormatPercent(hs.Take))
	require.NotContains(t, stake, hs.Take.BigInt().String(), "the take is not printed raw")

	subnets, err := o.query("subnet", "subnets")
	require.NoError(t, err, subnets)
	require.Regexp(t, `\n\s+1\s+gc\s+`, subnets)

	// The good miner's coldkey sees its neuron, its emission and its rewards.
	overview, err := o.query("account", "overview", "good-cold", "--height", at)
	require.NoError(t, err, overview)
	require.Regexp(t, `\n\s+1\s+1\s+\S+\s+coldkey\s+miner\s+`+regexp.QuoteMeta(subnetcli.FormatAssay(mg.Neurons[1].Emission))+`\n`, overview)
	var ov subnetcli.Overview
	js, err = o.query("account", "overview", "good-cold", "--height", at, "-o", "json")
	require.NoError(t, err, js)
	require.NoError(t, json.Unmarshal([]byte(js), &ov), js)
	require.Equal(t, addrs[1].String(), ov.Address)
	require.True(t, ov.Earned.IsPositive(), "the miner's coldkey has booked rewards")
	require.Contains(t, overview, "rewards booked "+subnetcli.FormatAmount(ov.Earned))
	bal, err := banktypes.NewQueryClient(c.Ctx()).Balance(atHeight(t.Context(), h), banktypes.NewQueryBalanceRequest(addrs[1], app.BondDenom))
	require.NoError(t, err)
	require.Equal(t, bal.Balance.Amount.String(), ov.Balance.String())
}

func firstOf(fields []string) string {
	if len(fields) == 0 {
		return ""
	}
	return fields[0]
}
