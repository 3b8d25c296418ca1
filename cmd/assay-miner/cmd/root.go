// Package cmd holds assay-miner's cobra commands. Each subcommand lives in
// its own file and is registered in NewRootCmd; serve is added the same way.
package cmd

import (
	"github.com/spf13/cobra"

	"github.com/assay-network/assay/daemon"
)

// NewRootCmd builds the assay-miner command tree.
func NewRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "assay-miner",
		Short:         "Assay miner: train, inspect and serve Gorgonia models for a subnet task",
		SilenceUsage:  true,
		SilenceErrors: false,
	}
	daemon.SetupLogging(root)
	root.AddCommand(newTrainCmd(), newInspectCmd(), newServeCmd(), newDataCmd())
	return root
}
