package e2e

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	emissiontypes "github.com/assay-network/assay/x/emission/types"
	subnetcli "github.com/assay-network/assay/x/subnet/client/cli"
	"github.com/assay-network/assay/x/subnet/epoch"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// TestDelegatorSeesEarnings: a key that only delegates to a validator is
// booked no reward role, yet after the validator's epochs `q emission
// rewards` and `q account overview` both show its position's earnings,
// non-zero and the same number, in text and in JSON (issue 19).
func TestDelegatorSeesEarnings(t *testing.T) {
	c := NewChain(t, nil)
	const netuid, tempo = 1, 4
	hp := subnettypes.DefaultHyperparams()
	hp.Tempo, hp.CommitReveal, hp.WeightsRateLimit, hp.ImmunityPeriod = tempo, false, 0, 0
	hp.MinValidatorStake = math.NewInt(1)
	res := c.Broadcast(c.Val.Moniker, &subnettypes.MsgRegisterSubnet{Owner: c.Val.Address.String(), Name: "gc", TaskSpec: germanCreditTask(t), Hyperparams: &hp})
	require.Zero(t, res.Code, res.RawLog)
	addrs := c.NewFundedKeys(50_000_000, "val", "miner-cold", "delegator")
	c.NewKey("miner")
	c.RegisterNeurons(netuid, "val")
	res = c.Broadcast("miner-cold", signedRegistration(t, c, netuid, "miner-cold", "miner"))
	require.Zero(t, res.Code, res.RawLog)
	res = c.Broadcast("val", &subnettypes.MsgAddStake{Coldkey: addrs[0].String(), Netuid: netuid, Hotkey: addrs[0].String(), Amount: math.NewInt(20_000_000)})
	require.Zero(t, res.Code, res.RawLog)
	o := operatorCLI{t, c}
	out, err := o.tx("delegator", "subnet", "add-stake", "1", "val", "5assay")
	require.NoError(t, err, out)
	require.Zero(t, quickWaitTx(t, c, txHashOf(t, lastLine(out))).Code)
	res = c.Broadcast("val", &subnettypes.MsgSetWeights{Hotkey: addrs[0].String(), Netuid: netuid, Uids: []uint32{1}, Weights: []uint32{1}})
	require.Zero(t, res.Code, res.RawLog)
	h, err := c.Net.LatestHeight()
	require.NoError(t, err)
	_, err = c.Net.WaitForHeight(epoch.Next(epoch.Next(h, netuid, tempo), netuid, tempo) + 1)
	require.NoError(t, err)
	h, err = c.Net.LatestHeight()
	require.NoError(t, err)
	at := strconv.FormatInt(h, 10)

	js, err := o.query("emission", "rewards", "delegator", "--height", at, "-o", "json")
	require.NoError(t, err, js)
	var rw emissiontypes.QueryRewardsResponse
	require.NoError(t, c.Ctx().Codec.UnmarshalJSON([]byte(js), &rw), js)
	require.Empty(t, rw.Rewards, "a delegator is booked no role")
	require.Len(t, rw.Positions, 1, js)
	require.Equal(t, "5000000", rw.Positions[0].Principal.String())
	require.True(t, rw.PositionsEarned.IsPositive(), "the delegator earned: %s", js)
	require.Equal(t, rw.Positions[0].Earned, rw.PositionsEarned)

	text, err := o.query("emission", "rewards", "delegator", "--height", at)
	require.NoError(t, err, text)
	require.Contains(t, text, "earned staking: "+subnetcli.FormatAmount(rw.PositionsEarned))

	js, err = o.query("account", "overview", "delegator", "--height", at, "-o", "json")
	require.NoError(t, err, js)
	var ov subnetcli.Overview
	require.NoError(t, json.Unmarshal([]byte(js), &ov), js)
	require.Equal(t, rw.PositionsEarned.String(), ov.PositionsEarned.String(), "overview and rewards agree")
	require.Equal(t, rw.PositionsEarned.String(), ov.Positions[0].Earned.String())
	require.True(t, ov.Positions[0].EarnedLastEpoch.IsPositive(), "the last epoch credited the validator's pool: %s", js)
	require.True(t, ov.Positions[0].EarnedLastEpoch.LTE(ov.Positions[0].Earned), "one epoch's part of the two epochs' earnings")
	text, err = o.query("account", "overview", "delegator", "--height", at)
	require.NoError(t, err, text)
	require.Contains(t, text, "earned staking "+subnetcli.FormatAmount(rw.PositionsEarned))
}

// lastLine is the last line of a command's output (a tx prints its JSON response last).
func lastLine(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return lines[len(lines)-1]
}
