package cli

import (
	"encoding/hex"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/assay-network/assay/x/subnet/types"
)

// WriteCommits prints `q subnet commits` for a person at block: each
// pending commit's hash (in full: reveal-weights --hash takes it), the
// block it was committed in, its reveal window, and where the window
// stands now, in blocks and approximate time at blockTime per block.
func WriteCommits(w io.Writer, netuid uint32, hotkey string, block int64, res *types.QueryCommitsResponse, blockTime time.Duration) error {
	if len(res.Commits) == 0 {
		_, err := fmt.Fprintf(w, "%s has no pending commits on subnet %d at block %d\n", hotkey, netuid, block)
		return err
	}
	fmt.Fprintf(w, "pending commits of %s on subnet %d at block %d:\n", hotkey, netuid, block)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "HASH\tCOMMITTED\tREVEAL_FROM\tREVEAL_UNTIL\tWINDOW")
	for _, c := range res.Commits {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\n", hex.EncodeToString(c.Hash), c.Block, c.RevealFrom, c.RevealUntil, revealWindow(block, c, blockTime))
	}
	return tw.Flush()
}

// revealWindow says where block stands against c's inclusive window.
func revealWindow(block int64, c types.WeightCommit, blockTime time.Duration) string {
	switch {
	case block < c.RevealFrom:
		return "opens in " + FormatBlocks(c.RevealFrom-block, blockTime)
	case block <= c.RevealUntil:
		return "open for " + FormatBlocks(c.RevealUntil-block+1, blockTime)
	default:
		return "expired"
	}
}
