package cmd

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assay-network/assay/daemon"
)

// `run --config FILE` takes its required flags from the file, a flag on the
// command line overrides the file, and the effective config is logged at
// start-up. The run stops at --from (no such key in the empty keyring),
// which shows the file's value reached the command.
func TestRunConfigFile(t *testing.T) {
	home := t.TempDir()
	cfg := filepath.Join(t.TempDir(), "validator.toml")
	body := "netuid = 4\nfrom = \"val-from-file\"\nhome = \"" + home + "\"\nround-interval = \"30s\"\ngrpc = \"127.0.0.1:1\"\n"
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args     []string
		wantFrom string
	}{
		{[]string{"run", "--config", cfg}, "val-from-file"},
		{[]string{"run", "--config", cfg, "--from", "val-from-flag"}, "val-from-flag"},
	} {
		root := NewRootCmd()
		var logs bytes.Buffer
		root.SetErr(&logs)
		root.SetArgs(append([]string{"--log-format", "json"}, tc.args...))
		err := root.ExecuteContext(context.Background())
		if err == nil || !strings.Contains(err.Error(), "--from") || !strings.Contains(err.Error(), tc.wantFrom) {
			t.Errorf("%v: err %v, want --from %s not found", tc.args, err, tc.wantFrom)
		}
		for _, want := range []string{`"effective config"`, `"netuid":"4"`, `"round-interval":"30s"`, `"from":"` + tc.wantFrom + `"`} {
			if !strings.Contains(logs.String(), want) {
				t.Errorf("%v: start-up log lacks %s:\n%s", tc.args, want, logs.String())
			}
		}
	}
}

// The example config the docs point at names only flags of run.
func TestExampleConfigIsValid(t *testing.T) {
	root := NewRootCmd()
	run, _, err := root.Find([]string{"run"})
	if err != nil {
		t.Fatal(err)
	}
	if err := run.ParseFlags([]string{"--config", "../../../scripts/systemd/validator.toml"}); err != nil {
		t.Fatal(err)
	}
	if err := daemon.ApplyConfig(run, func(string) string { return "" }); err != nil {
		t.Fatal(err)
	}
	if got := run.Flags().Lookup("data-dir").Value.String(); got != "/var/lib/assay/data" {
		t.Errorf("data-dir %q", got)
	}
}
