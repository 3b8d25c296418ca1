package cmd

import "github.com/spf13/cobra"

// extraCommands are Assay's offline tools (e.g. `assayd yuma simulate`).
func extraCommands() []*cobra.Command {
	return nil
}
