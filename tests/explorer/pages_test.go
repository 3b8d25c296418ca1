package explorer_test

import (
	"bytes"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"testing"
	"time"

	"cosmossdk.io/math"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/stretchr/testify/require"

	assaycmd "github.com/assay-network/assay/cmd/assayd/cmd"
	"github.com/assay-network/assay/explorer"
	"github.com/assay-network/assay/task"
	emissiontypes "github.com/assay-network/assay/x/emission/types"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// TestExplorer runs one chain scenario and checks the explorer against it
// over HTTP, then (browser_test.go) in headless Chromium.
func TestExplorer(t *testing.T) {
	s := newScenario(t)
	// A frozen height: pages, twins and queries all read one block.
	srv := s.explorerAt(t, time.Hour)

	t.Run("overview twin equals the chain", func(t *testing.T) { s.checkOverview(t, srv.URL) })
	t.Run("subnets twin equals the chain", func(t *testing.T) { s.checkSubnets(t, srv.URL) })
	t.Run("metagraph twin equals the chain", func(t *testing.T) { s.checkMetagraph(t, srv.URL) })
	t.Run("epoch twin equals the chain", func(t *testing.T) { s.checkEpoch(t, srv.URL) })
	t.Run("account twins equal the chain and the CLI", func(t *testing.T) { s.checkAccounts(t, srv.URL) })
	t.Run("every page answers 200 in HTML", func(t *testing.T) {
		for _, p := range []string{"/", "/subnets", "/subnet/1", "/subnet/1?sort=stake&order=desc", "/subnet/1/epoch", "/account/" + s.del, "/account/" + s.mcold} {
			code, body := get(t, srv.URL+p)
			require.Equal(t, http.StatusOK, code, "%s: %s", p, body)
			require.Contains(t, body, "<!doctype html>", p)
		}
	})
	t.Run("bad input is a 4xx page that says why", func(t *testing.T) { checkBadInput(t, srv.URL) })
	t.Run("browser", func(t *testing.T) { s.browse(t, srv.URL) })
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res.StatusCode, string(b)
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	code, body := get(t, url)
	require.Equal(t, http.StatusOK, code, "%s: %s", url, body)
	require.NoError(t, json.Unmarshal([]byte(body), v), body)
}

func (s *scenario) checkOverview(t *testing.T, base string) {
	var o explorer.Overview
	getJSON(t, base+"/?format=json", &o)
	ctx := at(t.Context(), o.Height)
	sched, err := s.emissionQ.Schedule(ctx, &emissiontypes.QueryScheduleRequest{})
	require.NoError(t, err)
	require.Equal(t, sched.Issued.String(), o.Issued)
	require.Equal(t, sched.Cap.String(), o.Cap)
	require.Equal(t, sched.CurrentReward.String(), o.CurrentReward)
	require.Equal(t, sched.NextHalvingHeight, o.NextHalvingHeight)
	require.Equal(t, sched.NextHalvingIssuance.String(), o.NextHalvingIssuance)
	require.Len(t, o.Subnets, 1)
	pool, err := s.emissionQ.Subnet(ctx, &emissiontypes.QuerySubnetRequest{Netuid: netuid})
	require.NoError(t, err)
	require.Equal(t, pool.Share.String(), o.Subnets[0].Share)
	require.Equal(t, pool.TotalStake.String(), o.Subnets[0].Stake)
	require.Equal(t, pool.TotalStake.String(), o.TotalStake)
	require.Len(t, o.RecentBlocks, 10)
	require.Equal(t, o.Height, o.RecentBlocks[9].Height)
	require.Greater(t, o.AvgBlockSeconds, 0.0)
}

func (s *scenario) checkSubnets(t *testing.T, base string) {
	var p explorer.Subnets
	getJSON(t, base+"/subnets?format=json", &p)
	ctx := at(t.Context(), p.Height)
	require.Len(t, p.Subnets, 1)
	row := p.Subnets[0]
	sn, err := s.subnetQ.Subnet(ctx, &subnettypes.QuerySubnetRequest{Netuid: netuid})
	require.NoError(t, err)
	pool, err := s.emissionQ.Subnet(ctx, &emissiontypes.QuerySubnetRequest{Netuid: netuid})
	require.NoError(t, err)
	cost, err := s.subnetQ.RegistrationCost(ctx, &subnettypes.QueryRegistrationCostRequest{Netuid: netuid})
	require.NoError(t, err)
	spec, err := task.Parse([]byte(sn.Subnet.TaskSpec))
	require.NoError(t, err)
	require.Equal(t, explorer.SubnetRow{
		Netuid: netuid, Name: "german-credit", Owner: s.owner, TaskName: spec.Name, TaskType: spec.TaskType, TaskHash: sn.Subnet.TaskHash,
		DatasetHashes: []explorer.DatasetFile{{Role: spec.Dataset.Files[0].Role, SHA256: spec.Dataset.Files[0].SHA256}},
		Stake:         pool.TotalStake.String(), Share: pool.Share.String(), Tempo: tempo, NextEpochBlock: pool.NextEpochBlock,
		UIDs: 3, MaxUIDs: sn.Subnet.Hyperparams.MaxUids, RegistrationCost: cost.Cost.String(),
	}, row)
}

func (s *scenario) checkMetagraph(t *testing.T, base string) {
	var m explorer.Metagraph
	getJSON(t, base+"/subnet/1?format=json", &m)
	ctx := at(t.Context(), m.Height)
	mg, err := s.subnetQ.Metagraph(ctx, &subnettypes.QueryMetagraphRequest{Netuid: netuid})
	require.NoError(t, err)
	require.Len(t, m.Neurons, len(mg.Neurons))
	for i, n := range mg.Neurons {
		row := m.Neurons[i]
		require.Equal(t, n.Uid, row.UID)
		require.Equal(t, n.Hotkey, row.Hotkey)
		require.Equal(t, n.Coldkey, row.Coldkey)
		require.Equal(t, n.Stake.String(), row.Stake, "uid %d", n.Uid)
		require.Equal(t, n.ValidatorPermit, row.ValidatorPermit)
		require.Equal(t, n.ValidatorTrust.String(), row.ValidatorTrust)
		require.Equal(t, n.Consensus.String(), row.Consensus)
		require.Equal(t, n.Incentive.String(), row.Incentive)
		require.Equal(t, n.Dividends.String(), row.Dividends)
		require.Equal(t, n.Emission.String(), row.Emission)
		require.Equal(t, n.RegisteredAt, row.RegisteredAt)
		require.Equal(t, n.LastUpdate, row.LastUpdate)
	}
	require.Equal(t, explorer.RoleValidator, m.Neurons[0].Role)
	require.Equal(t, explorer.RoleMiner, m.Neurons[1].Role)
	require.Equal(t, axonAddr, m.Neurons[1].Axon)
	require.Equal(t, modelHash, m.Neurons[1].ModelHash)
	require.True(t, math.LegacyMustNewDecFromStr(m.Neurons[1].Incentive).GT(math.LegacyMustNewDecFromStr(m.Neurons[2].Incentive)), "m1 weighted 3:1 over m2")

	// sorted by incentive, highest first: m1, m2, then the validator (0)
	var sorted explorer.Metagraph
	getJSON(t, base+"/subnet/1?format=json&sort=incentive&order=desc", &sorted)
	require.Equal(t, []uint32{1, 2, 0}, uidsOf(sorted))
	getJSON(t, base+"/subnet/1?format=json&sort=stake&order=desc", &sorted)
	require.Equal(t, uint32(0), sorted.Neurons[0].UID, "the staked validator first")
}

func (s *scenario) checkEpoch(t *testing.T, base string) {
	var e explorer.Epoch
	getJSON(t, base+"/subnet/1/epoch?format=json", &e)
	hist, err := s.emissionQ.History(at(t.Context(), e.Height), &emissiontypes.QueryHistoryRequest{Netuid: netuid, Limit: 1})
	require.NoError(t, err)
	last := hist.Epochs[0]
	require.NotNil(t, e.Epoch)
	require.Equal(t, last.Block, e.Epoch.Block)
	require.True(t, e.Epoch.Paid)
	require.Equal(t, last.Pool.String(), e.Epoch.Pool)
	require.Equal(t, last.OwnerCut.String(), e.Epoch.OwnerCut)
	require.Equal(t, last.MinersTotal.String(), e.Epoch.MinersTotal)
	require.Equal(t, last.ValidatorsTotal.String(), e.Epoch.ValidatorsTotal)
	require.Len(t, e.Epoch.Results, len(last.Results))
	for i, r := range last.Results {
		row := e.Epoch.Results[i]
		require.Equal(t, r.Uid, row.UID)
		require.Equal(t, r.Hotkey, row.Hotkey)
		require.Equal(t, r.MinerReward.String(), row.MinerReward)
		require.Equal(t, r.ValidatorTake.String(), row.ValidatorTake)
		require.Equal(t, r.ValidatorStaked.String(), row.ValidatorStaked)
		require.Equal(t, r.MinerReward.Add(r.ValidatorTake).Add(r.ValidatorStaked).String(), row.Total)
	}
	// the miners' payouts are the miners' total, but for rounding carried
	sum := math.ZeroInt()
	for _, r := range last.Results {
		sum = sum.Add(r.MinerReward)
	}
	require.True(t, sum.LTE(last.MinersTotal))
}

func uidsOf(m explorer.Metagraph) []uint32 {
	out := make([]uint32, len(m.Neurons))
	for i, n := range m.Neurons {
		out[i] = n.UID
	}
	return out
}

func (s *scenario) checkAccounts(t *testing.T, base string) {
	// the delegator: a balance and one position on vhot
	var a explorer.Account
	getJSON(t, base+"/account/"+s.del+"?format=json", &a)
	ctx := at(t.Context(), a.Height)
	bal, err := s.node.Bank.AllBalances(ctx, &banktypes.QueryAllBalancesRequest{Address: s.del})
	require.NoError(t, err)
	require.Len(t, a.Balances, len(bal.Balances))
	require.Equal(t, bal.Balances[0].Amount.String(), a.Balances[0].Amount)
	st, err := s.subnetQ.StakeByAddress(ctx, &subnettypes.QueryStakeByAddressRequest{Address: s.del})
	require.NoError(t, err)
	require.Len(t, a.Positions, 1)
	require.Equal(t, s.vhot, a.Positions[0].Hotkey)
	require.Equal(t, st.Positions[0].Shares.String(), a.Positions[0].Shares)
	require.Equal(t, st.Positions[0].Amount.String(), a.Positions[0].Value)
	require.Equal(t, st.Total.String(), a.StakeTotal)
	require.True(t, math.LegacyMustNewDecFromStr(a.Positions[0].Value).GT(math.LegacyNewDec(20_000_000)), "the position grew")
	require.NotEmpty(t, a.Epochs, "delegation rewards per epoch")
	require.NotEmpty(t, a.Return.Annualised, "return estimated: %s", a.Return.Reason)
	require.Positive(t, math.LegacyMustNewDecFromStr(a.Return.Annualised).MustFloat64())
	require.NotEmpty(t, a.Return.Method)

	// the miners' coldkey: rewards per epoch, the book equals `assayd q emission rewards` at the height
	getJSON(t, base+"/account/"+s.mcold+"?format=json", &a)
	ctx = at(t.Context(), a.Height)
	rw, err := s.emissionQ.Rewards(ctx, &emissiontypes.QueryRewardsRequest{Address: s.mcold})
	require.NoError(t, err)
	require.Equal(t, rw.Total.String(), a.RewardsTotal)
	require.Len(t, a.RewardTotals, 1)
	require.Equal(t, rw.Rewards[0].Totals.Miner.String(), a.RewardTotals[0].Miner)
	require.GreaterOrEqual(t, len(a.Epochs), 2, "two paid epochs")
	cli := cliJSON(t, s, "q", "emission", "rewards", s.mcold, "--height", itoa(a.Height))
	require.Equal(t, rw.Total.String(), cli["total"], "the CLI at the same height")
	// The chain keeps every epoch this test ran, so the epochs' miner
	// rewards sum to the book.
	sum := math.ZeroInt()
	for _, e := range a.Epochs {
		sum = sum.Add(mustInt(t, e.Miner))
	}
	require.Equal(t, rw.Rewards[0].Totals.Miner.String(), sum.String())
}

// cliJSON runs `assayd args… -o json` against the node and decodes it.
func cliJSON(t *testing.T, s *scenario, args ...string) map[string]any {
	t.Helper()
	root := assaycmd.NewRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.PersistentFlags().String("home", t.TempDir(), "") // svrcmd.Execute adds it in the binary
	root.SetArgs(append(args, "--node", s.c.Val.RPCAddress, "-o", "json"))
	require.NoError(t, root.ExecuteContext(t.Context()))
	var v map[string]any
	require.NoError(t, json.Unmarshal(out.Bytes(), &v), out.String())
	return v
}

func checkBadInput(t *testing.T, base string) {
	for _, c := range []struct {
		path string
		code int
		says string
	}{
		{"/subnet/99", http.StatusNotFound, "subnet not found"},
		{"/subnet/abc", http.StatusBadRequest, `netuid "abc"`},
		{"/subnet/0", http.StatusBadRequest, "netuid"},
		{"/subnet/99/epoch", http.StatusNotFound, "subnet not found"},
		{"/subnet/1?sort=nope", http.StatusBadRequest, `sort "nope"`},
		{"/subnet/1?order=up", http.StatusBadRequest, `order "up"`},
		{"/account/not-an-address", http.StatusBadRequest, `address "not-an-address"`},
		{"/account/cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu", http.StatusBadRequest, "assay1"},
		{"/nowhere", http.StatusNotFound, "no page at /nowhere"},
		{"/?format=xml", http.StatusBadRequest, `format "xml"`},
	} {
		code, body := get(t, base+c.path)
		require.Equal(t, c.code, code, "%s: %s", c.path, body)
		require.Contains(t, html.UnescapeString(body), c.says, c.path)
		code, body = get(t, base+c.path+sep(c.path)+"format=json")
		if c.path == "/?format=xml" {
			continue
		}
		require.Equal(t, c.code, code, "%s JSON: %s", c.path, body)
		var e struct {
			Status int    `json:"status"`
			Error  string `json:"error"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &e), body)
		require.Equal(t, c.code, e.Status)
		require.Contains(t, e.Error, c.says)
	}
}

func sep(path string) string {
	if bytes.ContainsRune([]byte(path), '?') {
		return "&"
	}
	return "?"
}

func itoa(h int64) string { return math.NewInt(h).String() }

func mustInt(t *testing.T, s string) math.Int {
	t.Helper()
	v, ok := math.NewIntFromString(s)
	require.True(t, ok, "not an integer: %q", s)
	return v
}
