package cli

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/cosmos/cosmos-sdk/client"
	grpctypes "github.com/cosmos/cosmos-sdk/types/grpc"
	"google.golang.org/grpc/metadata"
)

// blockTimeWindow is how many recent blocks the block time is averaged over.
const blockTimeWindow = 100

// EstimateBlockTime is the node's recent mean block interval: the latest
// block's time minus the time of the block up to blockTimeWindow before it,
// over the blocks between. Text output uses it to print a block count with
// its approximate time. 0 (the counts print alone) when the node cannot
// tell: no RPC, or fewer than two blocks.
func EstimateBlockTime(ctx context.Context, clientCtx client.Context) time.Duration {
	node, err := clientCtx.GetNode()
	if err != nil {
		return 0
	}
	st, err := node.Status(ctx)
	if err != nil {
		return 0
	}
	latest, at := st.SyncInfo.LatestBlockHeight, st.SyncInfo.LatestBlockTime
	back := min(latest-1, blockTimeWindow)
	if back < 1 {
		return 0
	}
	from := latest - back
	b, err := node.Block(ctx, &from)
	if err != nil || b.Block == nil {
		return 0
	}
	return at.Sub(b.Block.Time) / time.Duration(back)
}

// approx is a block count's approximate time, "~1m6s", or "" when unknown.
func approx(blocks int64, blockTime time.Duration) string {
	if blocks <= 0 || blockTime <= 0 {
		return ""
	}
	return "~" + (time.Duration(blocks) * blockTime).Round(time.Second).String()
}

// blocksIn prints a count of blocks for a table cell: "11 (~1m6s)".
func blocksIn(blocks int64, blockTime time.Duration) string {
	s := strconv.FormatInt(blocks, 10)
	if a := approx(blocks, blockTime); a != "" {
		s += " (" + a + ")"
	}
	return s
}

// blocksAgo prints how long ago a past block was: "5 ago (~30s)".
func blocksAgo(blocks int64, blockTime time.Duration) string {
	s := strconv.FormatInt(blocks, 10) + " ago"
	if a := approx(blocks, blockTime); a != "" {
		s += " (" + a + ")"
	}
	return s
}

// heightOf reads the height a gRPC query answered at from its header.
func heightOf(header metadata.MD) (int64, error) {
	v := header.Get(grpctypes.GRPCBlockHeightHeader)
	if len(v) != 1 {
		return 0, fmt.Errorf("the node's answer carries no %s header", grpctypes.GRPCBlockHeightHeader)
	}
	return strconv.ParseInt(v[0], 10, 64)
}
