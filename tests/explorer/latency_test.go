package explorer_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/explorer"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// TestMetagraphLatency256 measures, on a live chain, the metagraph page at
// 256 UIDs against the raw gRPC metagraph query it is built from, in the
// same run and interleaved so both see the same load. "Uncached" is a
// fresh explorer per view: the height query, the metagraph and the
// subnet's pool, building and rendering. The bound is page ≤ 2 ×
// query; the numbers are logged (`go test -v -run Latency256`), and the
// test fails only far beyond the bound, since a shared machine's noise is
// not the explorer's.
func TestMetagraphLatency256(t *testing.T) {
	if testing.Short() {
		t.Skip("a 256-UID chain takes a minute; skipped with -short")
	}
	const uids = 256
	c := newChain(t)
	hp := subnettypes.DefaultHyperparams()
	hp.Tempo, hp.CommitReveal, hp.ImmunityPeriod, hp.MaxUids = tempo, false, 0, uids
	hp.MinBurn, hp.MaxBurn = math.NewInt(1), math.NewInt(1) // 256 registrations on the genesis account's funds
	c.broadcast(c.Val.Moniker, &subnettypes.MsgRegisterSubnet{Owner: c.Val.Address.String(), Name: "wide", TaskSpec: builtinTask(t, "german-credit"), Hyperparams: &hp})
	const perTx = 64
	for first := 0; first < uids; first += perTx {
		msgs := make([]sdk.Msg, 0, perTx)
		for i := first; i < first+perTx; i++ {
			name := fmt.Sprintf("h%03d", i)
			c.NewKey(name)
			msgs = append(msgs, c.Registration(netuid, c.Val.Moniker, name))
		}
		c.DeliverGas(c.Val.Moniker, 40_000_000, msgs...)
	}
	node, err := explorer.DialNode(c.GRPCAddr())
	require.NoError(t, err)
	defer node.Close()
	// The height the app has committed, from a query without one: CometBFT's
	// latest block (c.Net.LatestHeight) can be a block the app has not
	// committed yet, and a query pinned to it fails as "in the future".
	mg, err := node.Subnet.Metagraph(t.Context(), &subnettypes.QueryMetagraphRequest{Netuid: netuid})
	require.NoError(t, err)
	require.Len(t, mg.Neurons, uids)
	h := mg.Block

	const views = 200
	query := make([]time.Duration, 0, views)
	page := make([]time.Duration, 0, views)
	cachedView := make([]time.Duration, 0, views)
	for range views {
		start := time.Now()
		_, err := node.Subnet.Metagraph(at(t.Context(), h), &subnettypes.QueryMetagraphRequest{Netuid: netuid})
		require.NoError(t, err)
		query = append(query, time.Since(start))

		srv := explorer.NewServer(node, explorer.Config{HeightTTL: time.Hour})
		start = time.Now()
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/subnet/1", nil))
		page = append(page, time.Since(start))
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

		start = time.Now()
		rec = httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/subnet/1", nil))
		cachedView = append(cachedView, time.Since(start))
		require.Equal(t, http.StatusOK, rec.Code)
	}
	q50, q99 := percentiles(query)
	p50, p99 := percentiles(page)
	c50, c99 := percentiles(cachedView)
	t.Logf("metagraph at %d UIDs, %d views: gRPC query p50 %s p99 %s; page uncached p50 %s p99 %s (ratio p50 %.2f, p99 %.2f); page cached p50 %s p99 %s",
		uids, views, q50, q99, p50, p99, float64(p50)/float64(q50), float64(p99)/float64(q99), c50, c99)
	require.Less(t, float64(p50)/float64(q50), 5.0, "the uncached page costs far more than its query")
}

func percentiles(d []time.Duration) (p50, p99 time.Duration) {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2], s[min(len(s)-1, len(s)*99/100)]
}
