package cmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// errNothingToExport is what `export` says on a home whose node never
// committed a block: the SDK modules' export would panic on the empty store.
var errNothingToExport = errors.New("no block committed in this home: nothing to export (run the node first, or point --home at a node's home)")

// quietExport makes `export` fail in one line: its errors are about the
// node's data, not its flags, and the SDK command would print its whole
// usage block above them.
func quietExport(root *cobra.Command) {
	export, _, err := root.Find([]string{"export"})
	if err != nil || export == root {
		return
	}
	run := export.RunE
	export.RunE = func(cmd *cobra.Command, args []string) error {
		cmd.SilenceUsage = true
		return run(cmd, args)
	}
}
