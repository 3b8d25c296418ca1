package cli_test

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/subnet/client/cli"
	"github.com/assay-network/assay/x/subnet/types"
)

func TestPickStoredCommitRevealsTheOldestPendingAndForgetsStaleFiles(t *testing.T) {
	home := t.TempDir()
	hot := sdk.AccAddress(make([]byte, 20))
	write := func(hash []byte) string {
		p := cli.CommitPath(home, 1, hot.String(), hex.EncodeToString(hash))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o700))
		require.NoError(t, os.WriteFile(p, []byte("{}"), 0o600))
		return p
	}
	revealed := []byte{1, 1, 1}
	older := []byte{2, 2, 2}
	newer := []byte{3, 3, 3}
	stalePath, olderPath, newerPath := write(revealed), write(older), write(newer)

	pending := []types.WeightCommit{{Hash: older, Block: 10}, {Hash: newer, Block: 20}, {Hash: []byte{9}, Block: 30}}
	got, err := cli.PickStoredCommit(home, 1, hot, pending)
	require.NoError(t, err)
	require.Equal(t, hex.EncodeToString(older), got)
	require.NoFileExists(t, stalePath, "a commit no longer pending on chain is forgotten")
	require.FileExists(t, olderPath)
	require.FileExists(t, newerPath)

	_, err = cli.PickStoredCommit(home, 1, hot, []types.WeightCommit{{Hash: []byte{7}}})
	require.ErrorContains(t, err, "has a stored salt")
}
