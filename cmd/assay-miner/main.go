// Command assay-miner trains, inspects and (later) serves Assay miner models.
package main

import (
	"os"

	"github.com/assay-network/assay/cmd/assay-miner/cmd"
)

func main() {
	if err := cmd.NewRootCmd().Execute(); err != nil {
		// cobra has already printed the error.
		os.Exit(1)
	}
}
