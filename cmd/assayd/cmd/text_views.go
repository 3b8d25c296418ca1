package cmd

import (
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/spf13/cobra"

	emissioncli "github.com/assay-network/assay/x/emission/client/cli"
	emissiontypes "github.com/assay-network/assay/x/emission/types"
	subnetcli "github.com/assay-network/assay/x/subnet/client/cli"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// readableText puts the modules' text views (tables, ASSAY, percentages) in
// front of the autocli queries they cover. With --output json the autocli
// command runs untouched, so scripts keep their JSON.
func readableText(root *cobra.Command) {
	for module, views := range map[string]map[string]subnetcli.TextView{
		subnettypes.ModuleName:   subnetcli.TextViews(),
		emissiontypes.ModuleName: emissioncli.TextViews(),
	} {
		sub, _, err := root.Find([]string{"query", module})
		if err != nil || sub.Name() != module {
			continue
		}
		for _, c := range sub.Commands() {
			if view, ok := views[c.Name()]; ok && c.RunE != nil {
				withTextView(c, view)
			}
		}
	}
}

func withTextView(c *cobra.Command, view subnetcli.TextView) {
	run := c.RunE
	c.RunE = func(cmd *cobra.Command, args []string) error {
		clientCtx, err := client.GetClientQueryContext(cmd)
		if err != nil {
			return err
		}
		if !subnetcli.WantsText(cmd, clientCtx) {
			return run(cmd, args)
		}
		return view(cmd, clientCtx, args)
	}
}
