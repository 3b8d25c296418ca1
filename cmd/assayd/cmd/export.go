package cmd

import (
	"errors"

	"github.com/cosmos/cosmos-sdk/server"
	"github.com/spf13/cobra"
)

// errZeroHeightExport is what `export --for-zero-height` says until the
// app can prepare a zero-height genesis (app/export.go refuses it too).
var errZeroHeightExport = errors.New("export --for-zero-height is not supported by assayd yet; `assayd export` without it writes the state at the last height")

// refuseZeroHeightExport makes `export --for-zero-height` fail with one
// line before it opens the database; the SDK's command would print its
// whole usage block above an error the user did not make.
func refuseZeroHeightExport(root *cobra.Command) {
	export, _, err := root.Find([]string{"export"})
	if err != nil || export == root {
		return
	}
	run := export.RunE
	export.RunE = func(cmd *cobra.Command, args []string) error {
		if zero, _ := cmd.Flags().GetBool(server.FlagForZeroHeight); zero {
			cmd.SilenceUsage = true
			return errZeroHeightExport
		}
		return run(cmd, args)
	}
}
