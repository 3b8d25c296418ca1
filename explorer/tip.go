package explorer

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/cosmos/cosmos-sdk/client/grpc/cmtservice"
	grpctypes "github.com/cosmos/cosmos-sdk/types/grpc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// tip tracks the node's latest height. It asks the node at most once per
// ttl, so a burst of page views between two blocks costs one height query,
// and it remembers the last height it saw for the "node unreachable" page.
type tip struct {
	node *Node
	ttl  time.Duration

	mu      sync.Mutex
	height  int64
	checked time.Time
	times   map[int64]time.Time // block times by height; blocks never change
}

// ErrNodeDown wraps every failure to reach the node.
var ErrNodeDown = errors.New("node unreachable")

// latest is the node's latest height, at most ttl old: the height of the
// app's last committed state, which the node names in the
// x-cosmos-block-height header of a query sent without one. Not CometBFT's
// latest block: the block store has a block before the app has committed
// it, and a query pinned to that height would fail or read other state.
func (t *tip) latest(ctx context.Context) (int64, error) {
	t.mu.Lock()
	if t.height > 0 && time.Since(t.checked) < t.ttl {
		h := t.height
		t.mu.Unlock()
		return h, nil
	}
	t.mu.Unlock()
	var md metadata.MD
	if _, err := t.node.Subnet.Params(ctx, &subnettypes.QueryParamsRequest{}, grpc.Header(&md)); err != nil {
		return 0, fmt.Errorf("%w: gRPC %s: %v", ErrNodeDown, t.node.Addr, err)
	}
	hs := md.Get(grpctypes.GRPCBlockHeightHeader)
	if len(hs) != 1 {
		return 0, fmt.Errorf("%w: gRPC %s: no %s header in the answer", ErrNodeDown, t.node.Addr, grpctypes.GRPCBlockHeightHeader)
	}
	h, err := strconv.ParseInt(hs[0], 10, 64)
	if err != nil || h <= 0 {
		return 0, fmt.Errorf("%w: gRPC %s: %s header %q", ErrNodeDown, t.node.Addr, grpctypes.GRPCBlockHeightHeader, hs[0])
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if h > t.height {
		t.height = h
	}
	t.checked = time.Now()
	return t.height, nil
}

// stale says whether the next latest call asks the node.
func (t *tip) stale() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.height == 0 || time.Since(t.checked) >= t.ttl
}

// observe records h, the height a node's answer named, as a fresh latest
// height (the node's height query reads the same header).
func (t *tip) observe(h int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if h > t.height {
		t.height = h
	}
	t.checked = time.Now()
}

// lastKnown is the highest height seen (0: none yet).
func (t *tip) lastKnown() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.height
}

// keepTimes bounds the block-time memory; the overview shows fewer.
const keepTimes = 256

func (t *tip) remember(h int64, at time.Time) {
	if t.times == nil {
		t.times = map[int64]time.Time{}
	}
	t.times[h] = at
	if len(t.times) > keepTimes {
		for old := range t.times { // any order will do: all below h-keepTimes go
			if old <= h-keepTimes {
				delete(t.times, old)
			}
		}
	}
}

// blockTime is the time of block h, from memory or the node.
func (t *tip) blockTime(ctx context.Context, h int64) (time.Time, error) {
	t.mu.Lock()
	at, ok := t.times[h]
	t.mu.Unlock()
	if ok {
		return at, nil
	}
	res, err := t.node.Cmt.GetBlockByHeight(ctx, &cmtservice.GetBlockByHeightRequest{Height: h})
	if err != nil {
		return time.Time{}, fmt.Errorf("block %d: %w", h, err)
	}
	if res.SdkBlock == nil {
		return time.Time{}, fmt.Errorf("block %d: no header", h)
	}
	t.mu.Lock()
	t.remember(h, res.SdkBlock.Header.Time)
	t.mu.Unlock()
	return res.SdkBlock.Header.Time, nil
}
