package cli

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// WriteStanding prints a Standing for a person: amounts in ASSAY, shares as
// percentages, then one line per validator with its weight on the UID.
// Block counts show their approximate time at blockTime per block.
func WriteStanding(w io.Writer, s Standing, blockTime time.Duration) error {
	axon := s.Axon
	if axon == "" {
		axon = "none published"
	}
	lines := []string{
		fmt.Sprintf("hotkey %s on subnet %d %q at block %d, tempo %s", s.Hotkey, s.Netuid, s.Subnet, s.Block, FormatBlocks(int64(s.Tempo), blockTime)),
		fmt.Sprintf("UID %d, %s, rank %d of %d %ss", s.UID, s.Role, s.Rank, s.RoleCount, s.Role),
		fmt.Sprintf("incentive %s  consensus %s  dividends %s  validator trust %s",
			FormatPercent(s.Incentive), FormatPercent(s.Consensus), FormatPercent(s.Dividends), FormatPercent(s.ValidatorTrust)),
		fmt.Sprintf("emission last epoch %s  stake %s", FormatAmount(s.EmissionPerEpoch), FormatAmount(s.Stake)),
		fmt.Sprintf("axon %s  weights last set %s", axon, sinceUpdate(s.Block, s.LastUpdate, blockTime)),
		fmt.Sprintf("earned on this subnet by coldkey %s: %s (miner %s, validator take %s)",
			s.Coldkey, FormatAmount(s.Earned.Total), FormatAssay(s.Earned.Miner), FormatAssay(s.Earned.ValidatorTake)),
		"",
	}
	for _, l := range lines {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	if len(s.Weights) == 0 {
		_, err := fmt.Fprintln(w, "no validator holds a permit yet, so no weights")
		return err
	}
	fmt.Fprintf(w, "validators' latest weights on UID %d:\n", s.UID)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "VALIDATOR\tHOTKEY\tSTAKE(ASSAY)\tWEIGHT\tSHARE\tSET\t")
	for _, v := range s.Weights {
		set := sinceUpdate(s.Block, v.Block, blockTime)
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\t\n", v.UID, ShortAddress(v.Hotkey), FormatAssay(v.Stake), v.Weight, FormatPercent(v.Share), set)
	}
	return tw.Flush()
}
