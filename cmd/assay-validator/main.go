// Command assay-validator is the Assay validator daemon (DESIGN §8).
package main

import (
	"os"

	"github.com/assay-network/assay/cmd/assay-validator/cmd"
)

func main() {
	if err := cmd.NewRootCmd().Execute(); err != nil {
		os.Exit(1)
	}
}
