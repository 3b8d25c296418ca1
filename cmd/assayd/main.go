// Command assayd is the Assay chain daemon and CLI.
package main

import (
	"fmt"
	"os"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"

	"github.com/assay-network/assay/app"
	"github.com/assay-network/assay/cmd/assayd/cmd"
)

func main() {
	root := cmd.NewRootCmd()
	if err := svrcmd.Execute(root, "ASSAY", app.DefaultNodeHome); err != nil {
		fmt.Fprintln(root.ErrOrStderr(), "Error:", cmd.FormatError(err))
		os.Exit(1)
	}
}
