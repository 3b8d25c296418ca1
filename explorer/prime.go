package explorer

import (
	"context"
	"net/http"
	"strconv"
	"sync"

	grpctypes "github.com/cosmos/cosmos-sdk/types/grpc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	emissiontypes "github.com/assay-network/assay/x/emission/types"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// primer answers a page's queries before the page asks for the height and
// returns the height they were answered at; it is best effort: when it
// cannot (0), the page takes its usual path.
type primer func(ctx context.Context, r *http.Request) int64

// primeMetagraph spares a metagraph view that would fetch anyway (the
// explorer's height is stale and nothing of the subnet's metagraph is
// cached at it) the height round trip in front of its queries: the
// metagraph and pool queries go out at once without a height, the node
// answers both at its last committed height and names it in the
// x-cosmos-block-height header (as it does for the height query), and
// that height becomes the explorer's. The node answers the same two
// queries it would have, one round trip sooner; the answers are cached for
// that height like any other, so a height still costs one set of queries.
func (s *Server) primeMetagraph(ctx context.Context, r *http.Request) int64 {
	netuid, err := parseNetuid(r.PathValue("netuid"))
	if err != nil || !s.tip.stale() {
		return 0
	}
	if _, _, err := parseSort(r.URL.Query().Get("sort"), r.URL.Query().Get("order")); err != nil {
		return 0
	}
	mgKey, poolKey := netKey("metagraph", netuid), netKey("pool", netuid)
	if s.cache.has(s.tip.lastKnown(), mgKey) || !s.priming.begin(mgKey) {
		return 0
	}
	defer s.priming.end(mgKey)
	var (
		mg            *subnettypes.QueryMetagraphResponse
		pool          *emissiontypes.QuerySubnetResponse
		mgErr, polErr error
		mgMD, poolMD  metadata.MD
		wg            sync.WaitGroup
	)
	wg.Go(func() {
		mg, mgErr = s.node.Subnet.Metagraph(ctx, &subnettypes.QueryMetagraphRequest{Netuid: uint32(netuid)}, grpc.Header(&mgMD))
	})
	wg.Go(func() {
		pool, polErr = s.node.Emission.Subnet(ctx, &emissiontypes.QuerySubnetRequest{Netuid: uint32(netuid)}, grpc.Header(&poolMD))
	})
	wg.Wait()
	h, ok := answeredAt(mgMD)
	if mgErr != nil || !ok {
		return 0 // the usual path asks again and reports what went wrong
	}
	s.tip.observe(h)
	seed(s.cache, h, mgKey, mg)
	if hp, ok := answeredAt(poolMD); polErr == nil && ok && hp == h {
		seed(s.cache, h, poolKey, pool)
	}
	return h
}

// answeredAt is the height a node's answer names in its header.
func answeredAt(md metadata.MD) (int64, bool) {
	hs := md.Get(grpctypes.GRPCBlockHeightHeader)
	if len(hs) != 1 {
		return 0, false
	}
	h, err := strconv.ParseInt(hs[0], 10, 64)
	return h, err == nil && h > 0
}

// inFlight is the set of keys being primed: concurrent views of one page
// prime it once (the others take the usual path and wait on the cache).
type inFlight struct {
	mu   sync.Mutex
	keys map[string]bool
}

func (f *inFlight) begin(key string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.keys[key] {
		return false
	}
	if f.keys == nil {
		f.keys = map[string]bool{}
	}
	f.keys[key] = true
	return true
}

func (f *inFlight) end(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.keys, key)
}
