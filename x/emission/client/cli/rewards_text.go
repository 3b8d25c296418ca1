// Package cli holds x/emission's text views: what `assayd q emission ...`
// prints for a person in text mode (autocli keeps -o json).
package cli

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/spf13/cobra"

	"github.com/assay-network/assay/x/emission/types"
	subnetcli "github.com/assay-network/assay/x/subnet/client/cli"
)

// TextViews are x/emission's text views by query command name.
func TextViews() map[string]subnetcli.TextView {
	return map[string]subnetcli.TextView{"rewards": rewardsText}
}

func rewardsText(cmd *cobra.Command, clientCtx client.Context, args []string) error {
	res, err := types.NewQueryClient(clientCtx).Rewards(cmd.Context(), &types.QueryRewardsRequest{Address: args[0]})
	if err != nil {
		return err
	}
	return WriteRewards(cmd.OutOrStdout(), args[0], res)
}

// WriteRewards prints an address's cumulative rewards per subnet and role in
// ASSAY, then what its stake positions earned. stake_pool is what the
// hotkey's pool received: it is shared by the pool's stakers as growth of
// their positions, not paid to this address; a staker's share of it is its
// positions' earned (value - principal).
func WriteRewards(w io.Writer, address string, res *types.QueryRewardsResponse) error {
	if len(res.Rewards) == 0 && len(res.Positions) == 0 {
		_, err := fmt.Fprintf(w, "%s has no rewards yet\n", address)
		return err
	}
	if len(res.Rewards) > 0 {
		if err := writeBooked(w, res); err != nil {
			return err
		}
	}
	if len(res.Positions) == 0 {
		return nil
	}
	if len(res.Rewards) > 0 {
		fmt.Fprintln(w)
	}
	return writePositionsEarned(w, res)
}

func writeBooked(w io.Writer, res *types.QueryRewardsResponse) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "NETUID\tOWNER_CUT\tMINER\tVALIDATOR_TAKE\tSTAKE_POOL\t")
	for _, r := range res.Rewards {
		t := r.Totals
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t\n", r.Netuid, subnetcli.FormatAssay(t.OwnerCut), subnetcli.FormatAssay(t.Miner),
			subnetcli.FormatAssay(t.ValidatorTake), subnetcli.FormatAssay(t.StakePool))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "total: %s (amounts in %s)\n", subnetcli.FormatAmount(res.Total), subnetcli.DisplayDenom)
	return err
}

// writePositionsEarned prints what each stake position earned: its value
// now minus its principal (staked minus withdrawn).
func writePositionsEarned(w io.Writer, res *types.QueryRewardsResponse) error {
	fmt.Fprintln(w, "earned by stake positions (value now - principal):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "NETUID\tHOTKEY\tPRINCIPAL\tVALUE\tEARNED\t")
	for _, p := range res.Positions {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t\n", p.Netuid, subnetcli.ShortAddress(p.Hotkey), subnetcli.FormatAssay(p.Principal),
			subnetcli.FormatAssay(p.Amount), subnetcli.FormatAssay(p.Earned))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "earned staking: %s\n", subnetcli.FormatAmount(res.PositionsEarned))
	return err
}
