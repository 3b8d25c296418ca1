package params

import (
	"os"
	"path/filepath"
)

// DefaultHome is where assayd and the daemons keep their files (config,
// keyring): $ASSAY_HOME, else ~/.assay (./.assay when there is no user home).
func DefaultHome() string {
	if h := os.Getenv("ASSAY_HOME"); h != "" {
		return h
	}
	home, err := os.UserHomeDir()
	if err != nil {
		home = "."
	}
	return filepath.Join(home, ".assay")
}
