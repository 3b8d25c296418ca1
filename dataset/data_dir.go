package dataset

import (
	"os"
	"path/filepath"
)

// DefaultDataDir is $ASSAY_DATA_DIR, else <repo>/data for the repository
// containing the working directory, else ./data. Task files are cached in
// its sha256/ (DESIGN §11).
func DefaultDataDir() string {
	if d := os.Getenv("ASSAY_DATA_DIR"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		return "data"
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "data")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "data"
		}
		dir = parent
	}
}
