package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/dataset"
	"github.com/assay-network/assay/task"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// builtinTask is a built-in task file (scripts/tasks/<name>.json), changed
// by mut, as the canonical JSON a MsgRegisterSubnet carries.
func builtinTask(t *testing.T, name string, mut ...func(*task.Spec)) string {
	t.Helper()
	raw, err := os.ReadFile(repoFile(t, "scripts/tasks/"+name+".json"))
	require.NoError(t, err)
	s, err := task.Parse(raw)
	require.NoError(t, err)
	for _, m := range mut {
		m(&s)
	}
	canonical, err := s.Canonical()
	require.NoError(t, err)
	return string(canonical)
}

// loadTask builds the dataset of a task (canonical JSON) from its files.
func loadTask(t *testing.T, spec string, paths map[string]string) *dataset.Dataset {
	t.Helper()
	s, err := task.Parse([]byte(spec))
	require.NoError(t, err)
	d, err := dataset.LoadTask(s, paths)
	require.NoError(t, err)
	return d
}

// germanCreditTask is the built-in german-credit task: counterfactual flip
// on personal_status, weight 0.5, 2 s deadline.
func germanCreditTask(t *testing.T) string { return builtinTask(t, "german-credit") }

// wrongHashRefused registers a task whose data, served from loopback, is
// not the bytes its hash names.
func wrongHashRefused(t *testing.T, c *Chain, owner string) {
	t.Helper()
	// The task names bytes no cache holds; the server sends others of the
	// same size, so the hash check is what refuses them.
	named := bytes.Repeat([]byte("y"), 25_000)
	served := bytes.Repeat([]byte("x"), len(named))
	want := sha256.Sum256(named)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(served) }))
	defer srv.Close()
	url := srv.URL + "/data.csv"
	spec := builtinTask(t, "cps1985-wages", func(s *task.Spec) {
		s.Dataset.Files[0] = task.File{Role: task.RoleData, SHA256: hex.EncodeToString(want[:]), SizeBytes: uint64(len(named)), URLs: []string{url}}
	})
	file := filepath.Join(t.TempDir(), "task.json")
	require.NoError(t, os.WriteFile(file, []byte(spec), 0o600))
	dataDir := t.TempDir()

	_, err := execTx(t, c, append([]string{"register-subnet", "--task-file", file, "--data-dir", dataDir}, txFlags(c, owner)...))
	got := sha256.Sum256(served)
	require.ErrorContains(t, err, url)
	require.ErrorContains(t, err, hex.EncodeToString(want[:]))
	require.ErrorContains(t, err, hex.EncodeToString(got[:]))
	left, _ := filepath.Glob(filepath.Join(dataDir, "sha256", "*"))
	require.Empty(t, left, "nothing cached")
	res, err := subnettypes.NewQueryClient(c.Ctx()).Subnets(t.Context(), &subnettypes.QuerySubnetsRequest{})
	require.NoError(t, err)
	require.Empty(t, res.Subnets, "no subnet registered")
}
