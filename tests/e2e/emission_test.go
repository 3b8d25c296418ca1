package e2e

import (
	"bytes"
	"encoding/json"
	"strconv"
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	assaycmd "github.com/assay-network/assay/cmd/assayd/cmd"
	emissiontypes "github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/subnet/epoch"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// TestEmissionPaysByWeight: a validator with delegated stake weights a good
// miner 3:1 over another; after two tempos the good miner earned more, the
// owner got its cut, the delegator's stake grew, and `assayd q emission
// rewards` shows it.
func TestEmissionPaysByWeight(t *testing.T) {
	c := NewChain(t, nil)
	q := subnettypes.NewQueryClient(c.Ctx())
	eq := emissiontypes.NewQueryClient(c.Ctx())
	ctx := t.Context()
	owner := c.Val.Address

	const tempo = 4
	hp := subnettypes.DefaultHyperparams()
	hp.Tempo, hp.CommitReveal, hp.WeightsRateLimit, hp.ImmunityPeriod = tempo, false, 0, 0
	hp.MinValidatorStake = math.NewInt(1)
	res := c.Broadcast(c.Val.Moniker, &subnettypes.MsgRegisterSubnet{Owner: owner.String(), Name: "gc", TaskSpec: germanCreditTask(t), Hyperparams: &hp})
	require.Zero(t, res.Code, res.RawLog)
	const netuid = 1

	addrs := c.NewFundedKeys(50_000_000, "val", "delegator", "good-cold", "other-cold")
	val, delegator, goodCold, otherCold := addrs[0], addrs[1], addrs[2], addrs[3]
	c.NewKey("good")
	c.NewKey("other")
	good, other := c.Addr("good"), c.Addr("other")
	c.RegisterNeurons(netuid, "val")
	for _, m := range []struct{ cold, hot string }{{"good-cold", "good"}, {"other-cold", "other"}} {
		msg := signedRegistration(t, c, netuid, m.cold, m.hot)
		res := c.Broadcast(m.cold, msg)
		require.Zero(t, res.Code, res.RawLog)
	}
	stake := math.NewInt(20_000_000)
	res = c.Broadcast("delegator", &subnettypes.MsgAddStake{Coldkey: delegator.String(), Netuid: netuid, Hotkey: val.String(), Amount: stake})
	require.Zero(t, res.Code, res.RawLog)
	res = c.Broadcast("val", &subnettypes.MsgSetWeights{Hotkey: val.String(), Netuid: netuid, Uids: []uint32{1, 2}, Weights: []uint32{3, 1}})
	require.Zero(t, res.Code, res.RawLog)

	// two tempos after the weights
	h, err := c.Net.LatestHeight()
	require.NoError(t, err)
	first := epoch.Next(h, uint16(netuid), tempo)
	second := epoch.Next(first, uint16(netuid), tempo)
	_, err = c.Net.WaitForHeight(second + 1)
	require.NoError(t, err)

	hist, err := eq.History(ctx, &emissiontypes.QueryHistoryRequest{Netuid: netuid, Limit: 2})
	require.NoError(t, err)
	require.Len(t, hist.Epochs, 2)
	for _, rec := range hist.Epochs {
		require.True(t, rec.Paid, "epoch at %d paid", rec.Block)
	}

	rewards := func(addr string) emissiontypes.QueryRewardsResponse {
		r, err := eq.Rewards(ctx, &emissiontypes.QueryRewardsRequest{Address: addr})
		require.NoError(t, err)
		return *r
	}
	g, o := rewards(goodCold.String()), rewards(otherCold.String())
	require.True(t, g.Total.GT(o.Total), "good miner %s > other %s", g.Total, o.Total)
	require.True(t, o.Total.IsPositive())
	ow := rewards(owner.String())
	require.True(t, ow.Rewards[0].Totals.OwnerCut.IsPositive(), "owner received its cut")

	pos, err := q.StakeByAddress(ctx, &subnettypes.QueryStakeByAddressRequest{Address: delegator.String()})
	require.NoError(t, err)
	require.Len(t, pos.Positions, 1)
	require.True(t, pos.Positions[0].Amount.GT(stake), "delegator's stake grew: %s > %s", pos.Positions[0].Amount, stake)

	// the metagraph shows the epoch's results
	mg, err := q.Metagraph(ctx, &subnettypes.QueryMetagraphRequest{Netuid: netuid})
	require.NoError(t, err)
	require.True(t, mg.Neurons[1].Incentive.GT(mg.Neurons[2].Incentive))
	require.True(t, mg.Neurons[0].ValidatorPermit)
	require.True(t, mg.Neurons[0].Dividends.IsPositive())
	require.Equal(t, good.String(), mg.Neurons[1].Hotkey)
	require.Equal(t, other.String(), mg.Neurons[2].Hotkey)

	// and the CLI a token holder uses says the same, read at the same
	// height as the query so the two must be equal
	at, err := c.Net.LatestHeight()
	require.NoError(t, err)
	gAt, err := eq.Rewards(atHeight(ctx, at), &emissiontypes.QueryRewardsRequest{Address: goodCold.String()})
	require.NoError(t, err)
	root := assaycmd.NewRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.PersistentFlags().String("home", t.TempDir(), "") // svrcmd.Execute adds it in the binary
	root.SetArgs([]string{"q", "emission", "rewards", goodCold.String(), "--node", c.Val.RPCAddress, "-o", "json",
		"--height", strconv.FormatInt(at, 10)})
	require.NoError(t, root.ExecuteContext(ctx))
	var cli struct {
		Total   string `json:"total"`
		Rewards []struct {
			Netuid uint32 `json:"netuid"`
		} `json:"rewards"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &cli), out.String())
	require.Len(t, cli.Rewards, len(gAt.Rewards))
	require.Equal(t, uint32(netuid), cli.Rewards[0].Netuid)
	require.Equal(t, gAt.Total.String(), cli.Total, "CLI and gRPC at height %d", at)
	require.True(t, gAt.Total.GTE(g.Total), "rewards never shrink")

	sched, err := eq.Schedule(ctx, &emissiontypes.QueryScheduleRequest{})
	require.NoError(t, err)
	require.Equal(t, "1000000", sched.CurrentReward.String())
	require.True(t, sched.Issued.IsPositive())

	// every minted uassay is accounted for, as the chain's one invariant function computes it
	sup, err := eq.Supply(ctx, &emissiontypes.QuerySupplyRequest{})
	require.NoError(t, err)
	require.True(t, sup.Holds, sup.Broken)
	require.True(t, sup.Rewards.IsPositive() && sup.StakePools.IsPositive(), "rewards %s, stake pools %s", sup.Rewards, sup.StakePools)
	require.Equal(t, sup.Issued.String(), sup.Rewards.Add(sup.Pending).Add(sup.Carry).Add(sup.Burned).String())
}

// signedRegistration is a MsgRegisterNeuron paid by coldName for hotName,
// with the hotkey's authorisation signed from the keyring, under the max
// cost these tests have always registered with.
func signedRegistration(t *testing.T, c *Chain, netuid uint16, coldName, hotName string) *subnettypes.MsgRegisterNeuron {
	t.Helper()
	msg := c.Registration(netuid, coldName, hotName)
	msg.MaxCost = math.NewInt(10_000_000)
	return msg
}
