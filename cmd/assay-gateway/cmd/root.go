// Package cmd holds assay-gateway's cobra commands: run, verify and keygen.
package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/assay-network/assay/daemon"
	"github.com/assay-network/assay/gateway"
)

// NewRootCmd builds the assay-gateway command tree.
func NewRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:          "assay-gateway",
		Short:        "Assay inference gateway: an HTTP API to a subnet's best miners, with verifiable receipts",
		SilenceUsage: true,
	}
	daemon.SetupLogging(root)
	root.AddCommand(newRunCmd(), newVerifyCmd(), newKeygenCmd())
	return root
}

func newKeygenCmd() *cobra.Command {
	var name string
	c := &cobra.Command{
		Use:   "keygen --name NAME",
		Short: "Make an API key: prints the key (give it to the app) and its keys.toml entry (keep it)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			secret, sum, err := gateway.NewKey()
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "# API key for %s (shown once; the gateway keeps only its sha256):\n# %s\n\n[[key]]\nname = %q\nsha256 = %q\nrequests_per_second = 10\nrows_per_second = 1000\n",
				name, secret, name, sum)
			return nil
		},
	}
	c.Flags().StringVar(&name, "name", "app", "the key's name in keys.toml and in metrics")
	return c
}
