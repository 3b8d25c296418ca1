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
// ASSAY. stake_pool is what the hotkey's pool received: it is shared by the
// pool's stakers as growth of their positions, not paid to this address.
func WriteRewards(w io.Writer, address string, res *types.QueryRewardsResponse) error {
	if len(res.Rewards) == 0 {
		_, err := fmt.Fprintf(w, "%s has no rewards yet\n", address)
		return err
	}
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
