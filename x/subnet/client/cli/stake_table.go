package cli

import (
	"fmt"
	"io"
	"text/tabwriter"

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
