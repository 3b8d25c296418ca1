package cmd

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/gateway"
)

func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := NewRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(append([]string{"--log-level", "warn"}, args...))
	err := root.ExecuteContext(t.Context())
	return out.String(), err
}

// keygen's output is a keys.toml entry the gateway loads, for the key it printed.
func TestKeygenPrintsAKeyAndItsEntry(t *testing.T) {
	out, err := run(t, "keygen", "--name", "my-app")
	require.NoError(t, err)
	key := regexp.MustCompile(`# (assay_[0-9a-f]{48})\n`).FindStringSubmatch(out)
	require.NotNil(t, key, out)
	p := filepath.Join(t.TempDir(), "keys.toml")
	require.NoError(t, os.WriteFile(p, []byte(out), 0o600))
	k, err := gateway.LoadKeys(p)
	require.NoError(t, err)
	require.NotNil(t, k)
}

func TestRunAndVerifyRefuseBadArguments(t *testing.T) {
	_, err := run(t, "run", "--netuid", "0", "--from", "x")
	require.ErrorContains(t, err, "--netuid 0: want 1..65535")
	p := filepath.Join(t.TempDir(), "keys.toml")
	require.NoError(t, os.WriteFile(p, []byte("[[key]]\nname = \"a\"\n"), 0o600))
	_, err = run(t, "run", "--netuid", "1", "--from", "x", "--keys", p)
	require.ErrorContains(t, err, `gateway keys: key[0] (a).sha256 "" is not 64 hex digits`)

	bad := filepath.Join(t.TempDir(), "receipt.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"version":1,"block":"x"}`), 0o600))
	_, err = run(t, "verify", bad, "--offline")
	require.ErrorContains(t, err, "receipt does not verify: malformed JSON")
	require.NoError(t, os.WriteFile(bad, []byte(`{"version":1}`), 0o600))
	_, err = run(t, "verify", bad, "--offline")
	require.ErrorContains(t, err, "receipt 0: receipt does not verify: request")
}
