package daemon

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"
)

// configCmd is a daemon-like command: its flags after ApplyConfig are in got.
type configGot struct {
	netuid   uint16
	maxCost  string
	listen   string
	window   time.Duration
	announce string
	secret   string
}

func configCmd(got *configGot) *cobra.Command {
	c := &cobra.Command{Use: "serve", RunE: func(*cobra.Command, []string) error { return nil }}
	f := c.Flags()
	f.Uint16Var(&got.netuid, "netuid", 0, "")
	f.StringVar(&got.maxCost, "max-cost", "1000", "")
	f.StringVar(&got.listen, "listen", "127.0.0.1:8091", "")
	f.DurationVar(&got.window, "batch-window", 2*time.Millisecond, "")
	f.StringVar(&got.announce, "announce", "", "")
	f.StringVar(&got.secret, "api-token", "", "")
	AddConfigFlag(c)
	return c
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
	return p
}

// run parses args like cobra does, then applies the config with env.
func run(t *testing.T, env map[string]string, args ...string) (configGot, *cobra.Command, error) {
	t.Helper()
	var got configGot
	c := configCmd(&got)
	require.NoError(t, c.ParseFlags(args))
	err := ApplyConfig(c, func(k string) string { return env[k] })
	return got, c, err
}

// flag > ASSAY_<FLAG> > file > default, for TOML and YAML alike.
func TestApplyConfigPrecedence(t *testing.T) {
	files := map[string]string{
		"miner.toml": "netuid = 3\nmax-cost = \"5000\"\nlisten = \"0.0.0.0:9000\"\nbatch-window = \"5ms\"\n",
		"miner.yaml": "netuid: 3\nmax-cost: \"5000\"\nlisten: 0.0.0.0:9000\nbatch-window: 5ms\n",
	}
	for name, body := range files {
		t.Run(name, func(t *testing.T) {
			path := writeFile(t, name, body)
			got, _, err := run(t, map[string]string{"ASSAY_LISTEN": "10.0.0.1:1"}, "--config", path, "--max-cost", "7")
			require.NoError(t, err)
			require.Equal(t, uint16(3), got.netuid, "from the file")
			require.Equal(t, "7", got.maxCost, "the flag beats the file")
			require.Equal(t, "10.0.0.1:1", got.listen, "the environment beats the file")
			require.Equal(t, 5*time.Millisecond, got.window, "typed values parse")
			require.Empty(t, got.announce, "the default stays when nothing sets it")
		})
	}
	// ASSAY_CONFIG names the file when --config does not.
	path := writeFile(t, "m.toml", "netuid = 9\n")
	got, _, err := run(t, map[string]string{"ASSAY_CONFIG": path})
	require.NoError(t, err)
	require.Equal(t, uint16(9), got.netuid)
	// No file, no environment: defaults.
	got, _, err = run(t, nil)
	require.NoError(t, err)
	require.Equal(t, "1000", got.maxCost)
}

func TestApplyConfigErrorsNameFileAndKey(t *testing.T) {
	unknown := writeFile(t, "a.toml", "netuid = 1\nlisten-addr = \"x\"\n")
	_, _, err := run(t, nil, "--config", unknown)
	require.ErrorIs(t, err, ErrConfigFile)
	require.ErrorContains(t, err, unknown)
	require.ErrorContains(t, err, `"listen-addr" is not a flag`)

	bad := writeFile(t, "b.yaml", "netuid: lots\n")
	_, _, err = run(t, nil, "--config", bad)
	require.ErrorIs(t, err, ErrConfigFile)
	require.ErrorContains(t, err, "netuid")

	_, _, err = run(t, nil, "--config", writeFile(t, "c.ini", "netuid=1"))
	require.ErrorContains(t, err, "want .toml, .yaml or .yml")

	_, _, err = run(t, nil, "--config", filepath.Join(t.TempDir(), "missing.toml"))
	require.ErrorIs(t, err, ErrConfigFile)

	_, _, err = run(t, map[string]string{"ASSAY_NETUID": "x"})
	require.ErrorContains(t, err, "ASSAY_NETUID")
}

func TestEffectiveConfigMasksSecrets(t *testing.T) {
	_, c, err := run(t, nil, "--api-token", "hunter2", "--netuid", "2")
	require.NoError(t, err)
	eff := EffectiveConfig(c)
	require.Equal(t, "***", eff["api-token"])
	require.Equal(t, "2", eff["netuid"])
	require.Equal(t, "1000", eff["max-cost"])
	require.NotContains(t, eff, "help")
}

func TestEnvName(t *testing.T) {
	require.Equal(t, "ASSAY_MAX_COST", EnvName("max-cost"))
	require.Equal(t, "ASSAY_KEYRING_BACKEND", EnvName("keyring-backend"))
}
