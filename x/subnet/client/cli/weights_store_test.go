package cli_test

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/weightcommit"
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

func TestSaveStoredCommitRoundTripsThroughFindStoredCommit(t *testing.T) {
	home := t.TempDir()
	hot := sdk.AccAddress(make([]byte, 20))
	sc := cli.StoredCommit{Netuid: 2, Hotkey: hot.String(), Record: weightcommit.Record{
		Hash: "abcd", UIDs: []uint32{3, 2}, Weights: []uint32{40, 60}, Salt: "0011", VersionKey: 7}}
	path, err := cli.SaveStoredCommit(home, sc)
	require.NoError(t, err)
	require.Equal(t, cli.CommitPath(home, 2, hot.String(), "abcd"), path)
	st, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "the file holds a salt")
	ents, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	require.Len(t, ents, 1, "no temp file is left beside the commit")

	for _, hash := range []string{"ABCD", ""} { // by hash, and the only one stored
		got, gotPath, err := cli.FindStoredCommit(home, 2, hot, hash)
		require.NoError(t, err)
		require.Equal(t, path, gotPath)
		require.Equal(t, sc, got)
	}
}

// TestFindStoredCommitReadsTheOldFieldOrder: files written before StoredCommit
// embedded weightcommit.Record (hash last) still load.
func TestFindStoredCommitReadsTheOldFieldOrder(t *testing.T) {
	home := t.TempDir()
	hot := sdk.AccAddress(make([]byte, 20))
	p := cli.CommitPath(home, 1, hot.String(), "beef")
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o700))
	old := `{
  "netuid": 1,
  "hotkey": "` + hot.String() + `",
  "uids": [
    3,
    2
  ],
  "weights": [
    40,
    60
  ],
  "salt": "0011",
  "version_key": 0,
  "hash": "beef"
}`
	require.NoError(t, os.WriteFile(p, []byte(old), 0o600))
	got, _, err := cli.FindStoredCommit(home, 1, hot, "beef")
	require.NoError(t, err)
	require.Equal(t, cli.StoredCommit{Netuid: 1, Hotkey: hot.String(), Record: weightcommit.Record{
		Hash: "beef", UIDs: []uint32{3, 2}, Weights: []uint32{40, 60}, Salt: "0011"}}, got)
}
