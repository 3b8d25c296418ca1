// Command assay-gateway is Assay's inference API for app builders (issue
// 20): it routes HTTP requests to a subnet's best miners and answers with
// verifiable receipts. See gateway/README.md and docs/app-builder.md.
package main

import (
	"os"

	"github.com/assay-network/assay/cmd/assay-gateway/cmd"
)

func main() {
	if err := cmd.NewRootCmd().Execute(); err != nil {
		os.Exit(1)
	}
}
