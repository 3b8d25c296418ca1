package cli

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/assay-network/assay/x/subnet/types"
)

// WriteHotkeyStake prints `q subnet hotkey-stake` for a person: the pool in
// ASSAY and the take as a percentage (the chain stores 0.18 as
// 180000000000000000).
func WriteHotkeyStake(w io.Writer, netuid uint32, hotkey string, res *types.QueryHotkeyStakeResponse) error {
	permit := "no"
	if res.ValidatorPermit {
		permit = "yes"
	}
	_, err := fmt.Fprintf(w, "hotkey:           %s\nsubnet:           %d (UID %d)\ntotal stake:      %s\ntotal shares:     %s\ntake:             %s\nvalidator permit: %s\n",
		hotkey, netuid, res.Uid, FormatAmount(res.Pool.TotalStake), res.Pool.TotalShares, FormatPercent(res.Take), permit)
	return err
}

// WriteStakePositions prints `q subnet stake ADDRESS`: each position's
// current value in ASSAY, then the total.
func WriteStakePositions(w io.Writer, address string, res *types.QueryStakeByAddressResponse) error {
	if len(res.Positions) == 0 {
		_, err := fmt.Fprintf(w, "%s has no stake (stake with: assayd tx subnet add-stake NETUID HOTKEY AMOUNT --from KEY)\n", address)
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "NETUID\tHOTKEY\tVALUE(ASSAY)\tSHARES\t")
	for _, p := range res.Positions {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t\n", p.Netuid, p.Hotkey, FormatAssay(p.Amount), p.Shares)
	}
	fmt.Fprintf(tw, "total\t\t%s\t\t\n", FormatAssay(res.Total))
	return tw.Flush()
}

// WriteUnbondings prints `q subnet unbondings ADDRESS` at block: each
// pending release in ASSAY with how far off it is, in blocks and
// approximate time at blockTime per block.
func WriteUnbondings(w io.Writer, address string, block int64, unbondings []types.Unbonding, blockTime time.Duration) error {
	if len(unbondings) == 0 {
		_, err := fmt.Fprintf(w, "%s has nothing unbonding at block %d\n", address, block)
		return err
	}
	fmt.Fprintf(w, "unbonding for %s at block %d:\n", address, block)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "NETUID\tHOTKEY\tAMOUNT(ASSAY)\tRELEASE_BLOCK\tRELEASED_IN\t")
	for _, u := range unbondings {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t\n", u.Netuid, ShortAddress(u.Hotkey), FormatAssay(u.Amount), u.ReleaseBlock, releasedIn(u.ReleaseBlock-block, blockTime))
	}
	return tw.Flush()
}
