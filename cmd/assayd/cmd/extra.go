package cmd

import (
	"github.com/spf13/cobra"

	"github.com/assay-network/assay/app"
	"github.com/assay-network/assay/cmd/assayd/cmd/testnet"
	"github.com/assay-network/assay/x/emission/yuma/simulate"
)

// extraCommands are Assay's offline tools and dev-network bootstrap.
func extraCommands(tempApp *app.App) []*cobra.Command {
	yuma := &cobra.Command{
		Use:   "yuma",
		Short: "Yuma consensus tools (offline)",
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	yuma.AddCommand(simulate.NewCommand())
	return []*cobra.Command{yuma, testnet.NewCommand(tempApp), testnet.NewLocalnetGenesisCommand()}
}
