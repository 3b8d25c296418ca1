package cmd

import (
	"github.com/spf13/cobra"

	"github.com/assay-network/assay/x/emission/yuma/simulate"
)

// extraCommands are Assay's offline tools and localnet helpers.
func extraCommands() []*cobra.Command {
	yuma := &cobra.Command{
		Use:   "yuma",
		Short: "Yuma consensus tools (offline)",
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	yuma.AddCommand(simulate.NewCommand())
	return []*cobra.Command{yuma, newLocalnetGenesisCmd()}
}
