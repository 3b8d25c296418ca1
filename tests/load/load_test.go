package load

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	sdkclient "github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"

	"github.com/assay-network/assay/app"
	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/internal/portlock"
	"github.com/assay-network/assay/internal/testtime"
	emissiontypes "github.com/assay-network/assay/x/emission/types"
)

var (
	// rates are the offered loads, tx/s, in order; the test stops at the
	// first one that breaks 1 s blocks.
	rates = []int{50, 100, 200, 400, 800, 1200, 1600}
	// weightRateCap bounds the weight txs (a tenth of the load below it):
	// four hotkeys may hold only 10 pending commits each.
	weightRateCap = 8.0
)

const (
	stepFor = 15 * time.Second
	budget  = 6 * time.Minute // the whole test, setup and every step
	// "1 s blocks hold": the mean interval stays within 15 % of the 1 s
	// timeout_commit (an idle node makes 1.02 s), no block takes over
	// 1.5 s, and the node keeps up (the mempool empties within drainFor of
	// the load stopping).
	holdMean = 1.15
	holdMax  = 1.5
	drainFor = 5 * time.Second
)

type stepResult struct {
	rate                      int
	sent, accepted, rejected  int64
	failedSend                int64
	setWeights, commitWeights int64
	committed, failedInBlock  int
	blocks                    int
	meanInterval, maxInterval float64
	mempoolMean               float64
	mempoolPeak               int
	drained                   time.Duration
	supplyHolds               bool
	supplyBroken              string
	lastRejection             string
	blockFailure              string
}

func (r stepResult) holds() bool {
	return r.blocks > 0 && r.meanInterval <= holdMean && r.maxInterval <= holdMax && r.drained <= drainFor
}

func (r stepResult) String() string {
	return fmt.Sprintf("offered %d tx/s: sent %d, accepted %.1f tx/s (%d refused in CheckTx, %d send errors; %d SetWeights, %d CommitWeights); "+
		"%d blocks, %d txs committed (%.1f tx/s, %d failed in the block); block time mean %.2f s, max %.2f s; "+
		"mempool mean %.0f, peak %d; emptied %s after the load stopped; supply invariant holds: %v",
		r.rate, r.sent, float64(r.accepted)/stepFor.Seconds(), r.rejected, r.failedSend, r.setWeights, r.commitWeights,
		r.blocks, r.committed, float64(r.committed)/(r.meanInterval*float64(r.blocks)), r.failedInBlock, r.meanInterval, r.maxInterval,
		r.mempoolMean, r.mempoolPeak, r.drained.Round(100*time.Millisecond), r.supplyHolds)
}

// The load test: transfers from 200 accounts plus SetWeights and
// CommitWeights from four validators, each rate for 15 s, stepping up
// until 1 s blocks no longer hold (or the steps or the time run out). The
// supply invariant must hold after every step.
func TestLoadStepsUpToWhereOneSecondBlocksBreak(t *testing.T) {
	bin := assaydBinary(t)
	portlock.Lock(t, portlock.Wait)
	app.SetAddressConfig()
	began := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), testtime.Scale(budget))
	defer cancel()

	n := startNode(t, bin)
	for {
		if h, err := n.height(ctx); err == nil && h >= 2 {
			break
		}
		if ctx.Err() != nil || time.Since(began) > testtime.Scale(90*time.Second) {
			t.Fatalf("node not at height 2 after 90 s")
		}
		time.Sleep(250 * time.Millisecond)
	}
	kr := openKeyring(t, n.home)
	chain, err := client.Dial(ctx, n.grpc, kr, client.ChainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer chain.Close()
	setupSubnets(t, ctx, chain, kr)
	t.Logf("node up and subnets set up in %s", time.Since(began).Round(time.Second))

	cfg, cdc := txConfig()
	var vals, payers []*account
	for i := 0; i < validators; i++ {
		a := loadAccount(t, kr, cdc, validatorName(i))
		a.weights = true
		vals = append(vals, a)
	}
	for i := 0; i < senders; i++ {
		payers = append(payers, loadAccount(t, kr, cdc, senderName(i)))
	}
	b := &broadcaster{url: n.rpc, hc: &http.Client{Timeout: 10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: senders + validators}}}

	var best *stepResult
	var broke *stepResult
	for _, rate := range rates {
		// Leave room for a step, its drain and the checks.
		if time.Since(began)+2*stepFor+drainFor > testtime.Scale(budget) {
			t.Logf("stopping before %d tx/s: the %s budget is nearly spent", rate, budget)
			break
		}
		r := runStep(t, ctx, n, chain, cfg, cdc, b, vals, payers, rate)
		t.Log(r)
		if r.lastRejection != "" {
			t.Logf("  last refusal: %s", r.lastRejection)
		}
		if r.blockFailure != "" {
			t.Logf("  a tx that failed in its block: %s", r.blockFailure)
		}
		if !r.supplyHolds {
			t.Fatalf("supply invariant broken after %d tx/s: %s", rate, r.supplyBroken)
		}
		if !r.holds() {
			broke = &r
			break
		}
		best = &r
	}
	if best == nil {
		t.Fatalf("1 s blocks did not hold even at %d tx/s", rates[0])
	}
	t.Logf("largest load that holds 1 s blocks: offered %d tx/s, accepted %.1f tx/s, committed %d txs in %d blocks (mean %.2f s, max %.2f s)",
		best.rate, float64(best.accepted)/stepFor.Seconds(), best.committed, best.blocks, best.meanInterval, best.maxInterval)
	if broke != nil {
		t.Logf("first load that does not: offered %d tx/s (mean %.2f s, max %.2f s, mempool emptied after %s)",
			broke.rate, broke.meanInterval, broke.maxInterval, broke.drained.Round(100*time.Millisecond))
	}
	t.Logf("test time %s", time.Since(began).Round(time.Second))
}

func runStep(t *testing.T, ctx context.Context, n *node, chain *client.Chain, cfg sdkclient.TxConfig, cdc codec.Codec, b *broadcaster,
	vals, payers []*account, rate int) stepResult {
	t.Helper()
	for _, a := range append(append([]*account{}, vals...), payers...) {
		if err := a.refresh(ctx, chain.Conn(), cdc); err != nil {
			t.Fatal(err)
		}
	}
	h0, err := n.height(ctx)
	if err != nil {
		t.Fatal(err)
	}
	weightRate := min(float64(rate)/10, weightRateCap)
	payRate := float64(rate) - weightRate
	var tl tally
	watch := watchMempool(ctx, n)
	stepCtx, stop := context.WithTimeout(ctx, stepFor)
	var wg sync.WaitGroup
	for _, a := range vals {
		wg.Go(func() { a.drive(stepCtx, cfg, b, every(weightRate/float64(len(vals))), payers, &tl) })
	}
	for _, a := range payers {
		wg.Go(func() { a.drive(stepCtx, cfg, b, every(payRate/float64(len(payers))), payers, &tl) })
	}
	wg.Wait()
	stop()
	h1, err := n.height(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mean, peak := watch.finish()

	r := stepResult{rate: rate, sent: tl.sent.Load(), accepted: tl.accepted.Load(), rejected: tl.rejected.Load(),
		failedSend: tl.failed.Load(), setWeights: tl.setWeights.Load(), commitWeights: tl.commitWeights.Load(),
		mempoolMean: mean, mempoolPeak: peak}
	if s, ok := tl.lastRejection.Load().(string); ok {
		r.lastRejection = s
	}
	stopped := time.Now()
	for {
		m, err := n.mempool(ctx)
		if err == nil && m == 0 {
			r.drained = time.Since(stopped)
			break
		}
		if time.Since(stopped) > 6*drainFor {
			r.drained = time.Since(stopped)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if h1 > h0 {
		stats, err := n.blocks(ctx, h0, h1)
		if err != nil {
			t.Fatal(err)
		}
		r.blocks = int(h1 - h0)
		for k, s := range stats[1:] {
			r.committed += s.txs
			r.failedInBlock += s.failed
			if s.failure != "" {
				r.blockFailure = s.failure
			}
			r.maxInterval = max(r.maxInterval, s.time.Sub(stats[k].time).Seconds())
		}
		r.meanInterval = stats[len(stats)-1].time.Sub(stats[0].time).Seconds() / float64(r.blocks)
	}
	sup, err := emissiontypes.NewQueryClient(chain.Conn()).Supply(ctx, &emissiontypes.QuerySupplyRequest{})
	if err != nil {
		t.Fatalf("supply query: %v", err)
	}
	r.supplyHolds, r.supplyBroken = sup.Holds, sup.Broken
	return r
}

func every(perSecond float64) time.Duration {
	return time.Duration(float64(time.Second) / perSecond)
}
