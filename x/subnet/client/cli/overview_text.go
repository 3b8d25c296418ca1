package cli

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// WriteOverview prints an Overview for a person, amounts in ASSAY, the
// unbondings' release with its approximate time at blockTime per block.
func WriteOverview(w io.Writer, o Overview, blockTime time.Duration) error {
	fmt.Fprintf(w, "address %s at block %d\nbalance %s   staked %s   rewards booked %s   earned staking %s\n",
		o.Address, o.Block, FormatAmount(o.Balance), FormatAmount(o.Staked), FormatAmount(o.Earned), FormatAmount(o.PositionsEarned))
	section := func(title string, empty bool, header string, rows func(io.Writer)) error {
		if empty {
			return nil
		}
		fmt.Fprintf(w, "\n%s:\n", title)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, header)
		rows(tw)
		return tw.Flush()
	}
	if err := section("stake positions (value now; earned = value - principal)", len(o.Positions) == 0, "NETUID\tHOTKEY\tVALUE(ASSAY)\tPRINCIPAL\tEARNED\tLAST_EPOCH\tSHARES\t", func(tw io.Writer) {
		for _, p := range o.Positions {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t\n", p.Netuid, p.Hotkey, FormatAssay(p.Amount), FormatAssay(p.Principal), FormatAssay(p.Earned),
				FormatAssay(p.EarnedLastEpoch), p.Shares)
		}
	}); err != nil {
		return err
	}
	if err := section("unbonding", len(o.Unbondings) == 0, "NETUID\tHOTKEY\tAMOUNT(ASSAY)\tRELEASE_BLOCK\tRELEASED_IN\t", func(tw io.Writer) {
		for _, u := range o.Unbondings {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t\n", u.Netuid, u.Hotkey, FormatAssay(u.Amount), u.ReleaseBlock, releasedIn(u.ReleaseBlock-o.Block, blockTime))
		}
	}); err != nil {
		return err
	}
	if err := section("neurons (emission at the last epoch)", len(o.Neurons) == 0, "NETUID\tUID\tHOTKEY\tAS\tROLE\tEMISSION(ASSAY)\t", func(tw io.Writer) {
		for _, n := range o.Neurons {
			fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t\n", n.Netuid, n.UID, ShortAddress(n.Hotkey), n.As, n.Role, FormatAssay(n.EmissionPerEpoch))
		}
	}); err != nil {
		return err
	}
	if err := section("rewards booked to this address (cumulative)", len(o.Rewards) == 0, "NETUID\tOWNER_CUT\tMINER\tVALIDATOR_TAKE\tSTAKE_POOL\t", func(tw io.Writer) {
		for _, r := range o.Rewards {
			t := r.Totals
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t\n", r.Netuid, FormatAssay(t.OwnerCut), FormatAssay(t.Miner), FormatAssay(t.ValidatorTake), FormatAssay(t.StakePool))
		}
	}); err != nil {
		return err
	}
	if len(o.Positions) > 0 {
		_, err := fmt.Fprintln(w, "\nA position earns by growing in value (validator dividends enter the pool): earned is its value now minus its principal, what was staked minus what was withdrawn.")
		return err
	}
	return nil
}

// releasedIn is how far off an unbonding's release is; one due now is
// paid at the end of the current block.
func releasedIn(blocks int64, blockTime time.Duration) string {
	if blocks <= 0 {
		return "due"
	}
	return FormatBlocks(blocks, blockTime)
}
