package cli_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// goldenBlockTime is the block time the golden text views are printed at.
const goldenBlockTime = 6 * time.Second

var update = flag.Bool("update-golden", false, "rewrite the text views' golden files in testdata/")

// requireGolden compares got with testdata/name (or rewrites it with -update).
func requireGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update-golden to create %s", path)
	require.Equal(t, string(want), got)
}
