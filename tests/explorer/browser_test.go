package explorer_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"cosmossdk.io/math"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/explorer"
	emissiontypes "github.com/assay-network/assay/x/emission/types"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// chromiumPackage is the Debian package the browser test drives; `make
// test` installs it through scripts/chromium.sh.
const chromiumPackage = "chromium-headless-shell"

// chromiumPath finds headless Chromium: $CHROMIUM_BIN, the package's binary
// on PATH, or where Debian puts it.
func chromiumPath() string {
	if p := os.Getenv("CHROMIUM_BIN"); p != "" {
		return p
	}
	if p, err := exec.LookPath(chromiumPackage); err == nil {
		return p
	}
	const debian = "/usr/lib/chromium/chromium-headless-shell"
	if _, err := os.Stat(debian); err == nil {
		return debian
	}
	return ""
}

// artifactDir is where screenshots go: $ASSAY_ARTIFACTS/explorer, else
// build/test-artifacts/explorer in the repository (gitignored).
func artifactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("ASSAY_ARTIFACTS")
	if dir == "" {
		_, here, _, _ := runtime.Caller(0)
		dir = filepath.Join(filepath.Dir(here), "..", "..", "build", "test-artifacts")
	}
	dir = filepath.Join(dir, "explorer")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	return dir
}

// browser starts headless Chromium for the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	bin := chromiumPath()
	if bin == "" {
		t.Skipf("headless Chromium not found: install Debian package %s (`make test` does, via scripts/chromium.sh) or set CHROMIUM_BIN", chromiumPackage)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.WindowSize(1600, 1000))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first run starts the browser; it must not carry a timeout.
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate("about:blank")))
	return ctx
}

// view is one browser tab on the explorer with the chain to check it by.
type view struct {
	t    *testing.T
	ctx  context.Context
	s    *scenario
	base string
	dir  string
}

func (v *view) open(path string) {
	v.t.Helper()
	res, err := chromedp.RunResponse(v.ctx, chromedp.Navigate(v.base+path))
	require.NoError(v.t, err, path)
	require.Equal(v.t, int64(200), res.Status, path)
}

// click follows a link and waits for the page it loads.
func (v *view) click(sel string) {
	v.t.Helper()
	res, err := chromedp.RunResponse(v.ctx, chromedp.Click(chromedp.CSS(sel)))
	require.NoError(v.t, err, sel)
	require.Equal(v.t, int64(200), res.Status, sel)
}

func (v *view) text(sel string) string {
	v.t.Helper()
	s, err := chromedp.Run(v.ctx, chromedp.Text(chromedp.CSS(sel)))
	require.NoError(v.t, err, sel)
	return strings.TrimSpace(s)
}

func (v *view) location() string {
	v.t.Helper()
	loc, err := chromedp.Run(v.ctx, chromedp.Location())
	require.NoError(v.t, err)
	return loc
}

func (v *view) screenshot(name string) {
	v.t.Helper()
	png, err := chromedp.Run(v.ctx, chromedp.FullScreenshot(100)) // quality 100 is PNG; below, JPEG
	require.NoError(v.t, err)
	p := filepath.Join(v.dir, name+".png")
	require.NoError(v.t, os.WriteFile(p, png, 0o644))
	v.t.Logf("screenshot %s", p)
}

// cells is the text of data-field cells per row of a table, keyed by the
// field names, in DOM order.
func (v *view) cells(table string) []map[string]string {
	v.t.Helper()
	js := fmt.Sprintf(`[...document.querySelectorAll(%q)].map(tr => Object.fromEntries(
		[...tr.querySelectorAll('[data-field]')].map(td => [td.dataset.field, td.textContent.trim()])))`, table+" tbody tr")
	rows, err := chromedp.Run(v.ctx, chromedp.Evaluate[[]map[string]string](js))
	require.NoError(v.t, err)
	return rows
}

// uassay reads an amount as a page shows it ("1,234.567890 ASSAY") back
// into uassay: pages print all six decimals, so nothing is lost.
func uassay(t *testing.T, shown string) string {
	t.Helper()
	s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(shown), "ASSAY"))
	whole, frac, ok := strings.Cut(strings.ReplaceAll(s, ",", ""), ".")
	require.True(t, ok && len(frac) == 6, "amount %q", shown)
	// NewIntFromString reads a leading 0 as octal: trim it
	digits := strings.TrimLeft(whole+frac, "0")
	if digits == "" {
		digits = "0"
	}
	n, ok := math.NewIntFromString(digits)
	require.True(t, ok, "amount %q", shown)
	return n.String()
}

// near says a fraction shown with six decimals is the chain's value.
func near(t *testing.T, shown string, chain math.LegacyDec, msg string) {
	t.Helper()
	f, err := strconv.ParseFloat(shown, 64)
	require.NoError(t, err, msg)
	c, err := chain.Float64()
	require.NoError(t, err)
	require.InDelta(t, c, f, 5e-7, "%s: page %s, chain %s", msg, shown, chain)
}

// browse loads every page in Chromium and checks what a holder sees
// against the chain's queries at the page's height and the JSON twin.
func (s *scenario) browse(t *testing.T, base string) {
	v := &view{t: t, ctx: browser(t), s: s, base: base, dir: artifactDir(t)}

	// overview
	v.open("/")
	h, err := strconv.ParseInt(v.text("#height"), 10, 64)
	require.NoError(t, err)
	ctx := at(t.Context(), h)
	var twin explorer.Overview
	getJSON(t, base+"/?format=json", &twin)
	require.Equal(t, h, twin.Height, "the JSON twin is the page's height")
	sched, err := s.emissionQ.Schedule(ctx, &emissiontypes.QueryScheduleRequest{})
	require.NoError(t, err)
	require.Equal(t, sched.Issued.String(), uassay(t, v.text("#issued")))
	require.Equal(t, twin.Issued, uassay(t, v.text("#issued")))
	require.Equal(t, sched.CurrentReward.String(), uassay(t, v.text("#current-reward")))
	require.Equal(t, strconv.FormatInt(sched.NextHalvingHeight, 10), v.text("#next-halving-height"))
	pool, err := s.emissionQ.Subnet(ctx, &emissiontypes.QuerySubnetRequest{Netuid: netuid})
	require.NoError(t, err)
	shares := v.cells("#shares")
	require.Len(t, shares, 1)
	require.Equal(t, pool.TotalStake.String(), uassay(t, shares[0]["stake"]))
	n, err := chromedp.Run(v.ctx, chromedp.Evaluate[int](`document.querySelectorAll('figure svg').length`))
	require.NoError(t, err)
	require.Equal(t, 2, n, "emission and supply charts inline")
	v.screenshot("overview")

	// a subnet link leads to its metagraph
	v.click(`#shares tbody tr[data-netuid="1"] a`)
	require.True(t, strings.HasSuffix(v.location(), "/subnet/1"), v.location())
	mg, err := s.subnetQ.Metagraph(ctx, &subnettypes.QueryMetagraphRequest{Netuid: netuid})
	require.NoError(t, err)
	rows := v.cells("#metagraph")
	require.Len(t, rows, len(mg.Neurons))
	var mtwin explorer.Metagraph
	getJSON(t, base+"/subnet/1?format=json", &mtwin)
	require.Equal(t, h, mtwin.Height, "the metagraph is at the overview's height")
	require.Equal(t, h, mg.Block)
	for i, nr := range mg.Neurons {
		row := rows[i]
		require.Equal(t, strconv.Itoa(int(nr.Uid)), row["uid"])
		require.Equal(t, nr.Stake.String(), uassay(t, row["stake"]), "uid %d stake", nr.Uid)
		require.Equal(t, mtwin.Neurons[i].Stake, uassay(t, row["stake"]), "uid %d stake, twin", nr.Uid)
		require.Equal(t, nr.Emission.String(), uassay(t, row["emission"]), "uid %d emission", nr.Uid)
		near(t, row["incentive"], nr.Incentive, fmt.Sprintf("uid %d incentive", nr.Uid))
		near(t, row["dividends"], nr.Dividends, fmt.Sprintf("uid %d dividends", nr.Uid))
		near(t, row["consensus"], nr.Consensus, fmt.Sprintf("uid %d consensus", nr.Uid))
		near(t, row["trust"], nr.ValidatorTrust, fmt.Sprintf("uid %d trust", nr.Uid))
		require.Equal(t, strconv.FormatInt(nr.LastUpdate, 10), row["updated"])
	}
	v.screenshot("metagraph")

	// clicking a heading sorts by it; clicking it again reverses
	v.click(`#metagraph th[data-col="stake"] a`)
	require.Contains(t, v.location(), "sort=stake")
	asc := v.cells("#metagraph")
	v.click(`#metagraph th[data-col="stake"] a`)
	require.Contains(t, v.location(), "order=desc")
	desc := v.cells("#metagraph")
	require.Equal(t, "0", desc[0]["uid"], "the staked validator tops stake descending")
	for i := 1; i < len(desc); i++ {
		a, b := mustInt(t, uassay(t, desc[i-1]["stake"])), mustInt(t, uassay(t, desc[i]["stake"]))
		require.True(t, a.GTE(b), "descending: %s then %s", a, b)
		a, b = mustInt(t, uassay(t, asc[i-1]["stake"])), mustInt(t, uassay(t, asc[i]["stake"]))
		require.True(t, a.LTE(b), "ascending: %s then %s", a, b)
	}
	getJSON(t, base+"/subnet/1?format=json&sort=stake&order=desc", &mtwin)
	for i, row := range desc {
		require.Equal(t, strconv.Itoa(int(mtwin.Neurons[i].UID)), row["uid"], "the twin has the page's order")
	}
	v.click(`#metagraph th[data-col="incentive"] a`)
	v.click(`#metagraph th[data-col="incentive"] a`)
	require.Equal(t, "1", v.cells("#metagraph")[0]["uid"], "m1, weighted 3:1, tops incentive")
	v.screenshot("metagraph-sorted-by-incentive")

	// the epoch page says why: each UID's payout, equal to the chain's record
	v.click(`#epoch-link`)
	require.True(t, strings.HasSuffix(v.location(), "/subnet/1/epoch"), v.location())
	hist, err := s.emissionQ.History(ctx, &emissiontypes.QueryHistoryRequest{Netuid: netuid, Limit: 1})
	require.NoError(t, err)
	last := hist.Epochs[0]
	require.Equal(t, strconv.FormatInt(last.Block, 10), v.text("#epoch-block"))
	require.Equal(t, last.MinersTotal.String(), uassay(t, v.text("#miners-total")))
	payouts := v.cells("#payouts")
	require.Len(t, payouts, len(last.Results))
	for i, r := range last.Results {
		require.Equal(t, r.MinerReward.String(), uassay(t, payouts[i]["miner_reward"]), "uid %d", r.Uid)
		require.Equal(t, r.ValidatorTake.String(), uassay(t, payouts[i]["validator_take"]), "uid %d", r.Uid)
		require.Equal(t, r.ValidatorStaked.String(), uassay(t, payouts[i]["validator_staked"]), "uid %d", r.Uid)
	}
	v.screenshot("epoch")
	v.open("/subnet/1")

	// a coldkey link leads to its account: the miners' rewards
	v.click(`#metagraph tr[data-uid="1"] td[data-field="coldkey"] a`)
	require.True(t, strings.HasSuffix(v.location(), "/account/"+s.mcold), v.location())
	rw, err := s.emissionQ.Rewards(ctx, &emissiontypes.QueryRewardsRequest{Address: s.mcold})
	require.NoError(t, err)
	require.Equal(t, rw.Total.String(), uassay(t, v.text("#rewards-total")))
	var atwin explorer.Account
	getJSON(t, base+"/account/"+s.mcold+"?format=json", &atwin)
	epochs := v.cells("#epochs")
	require.Len(t, epochs, len(atwin.Epochs))
	for i, e := range epochs {
		require.Equal(t, atwin.Epochs[i].Total, uassay(t, e["total"]))
	}
	require.Equal(t, atwin.EpochsTotal, uassay(t, v.text("#epochs-total")))
	v.screenshot("account-miner")

	// the delegator: position value, and the return with its method
	v.open("/account/" + s.del)
	st, err := s.subnetQ.StakeByAddress(ctx, &subnettypes.QueryStakeByAddressRequest{Address: s.del})
	require.NoError(t, err)
	require.Equal(t, st.Total.String(), uassay(t, v.text("#stake-total")))
	require.Equal(t, st.Positions[0].Amount.String(), uassay(t, v.cells("#positions")[0]["value"]))
	require.NotEmpty(t, v.text("#return-rate"))
	require.Contains(t, v.text("#return-method"), "last 10 paid epochs")
	v.screenshot("account-delegator")

	// subnets
	v.open("/subnets")
	sn, err := s.subnetQ.Subnet(ctx, &subnettypes.QuerySubnetRequest{Netuid: netuid})
	require.NoError(t, err)
	cost, err := s.subnetQ.RegistrationCost(ctx, &subnettypes.QueryRegistrationCostRequest{Netuid: netuid})
	require.NoError(t, err)
	subs := v.cells("#subnets")
	require.Len(t, subs, 1)
	require.Equal(t, cost.Cost.String(), uassay(t, subs[0]["registration_cost"]))
	require.Equal(t, pool.TotalStake.String(), uassay(t, subs[0]["stake"]))
	require.Equal(t, fmt.Sprintf("%d / %d", sn.Subnet.NeuronCount, sn.Subnet.Hyperparams.MaxUids), subs[0]["uids"])
	hash, err := chromedp.Run(v.ctx, chromedp.AttributeValue(chromedp.CSS(`#subnets td[data-field="task_hash"] code`), "title"))
	require.NoError(t, err)
	require.Equal(t, sn.Subnet.TaskHash, hash.Value)
	v.screenshot("subnets")

	// a bad path says why
	res, err := chromedp.RunResponse(v.ctx, chromedp.Navigate(base+"/subnet/99"))
	require.NoError(t, err)
	require.Equal(t, int64(404), res.Status)
	require.Contains(t, v.text("#error-message"), "not found")
}
