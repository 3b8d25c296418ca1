package cmd

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/assay-network/assay/x/subnet/client/cli"
)

// TestCommitWeightsForgetsTheSaltWhenNothingWasSent: x/subnet README,
// commit-reveal CLI: commit-weights stores the salt before broadcasting,
// and deletes the file again when the commit could not be sent, so a later
// reveal-weights never picks a commit the chain does not hold.
func TestCommitWeightsForgetsTheSaltWhenNothingWasSent(t *testing.T) {
	home := t.TempDir()
	if out, err := execute(t, "keys", "add", "vali", "--keyring-backend", "test", "--home", home); err != nil {
		t.Fatalf("keys add: %v\n%s", err, out)
	}
	// Nothing listens on port 1: the tx cannot even be built (no account).
	out, err := execute(t, "tx", "subnet", "commit-weights", "1", "0=100,1=65535", "--from", "vali",
		"--keyring-backend", "test", "--home", home, "--node", "tcp://127.0.0.1:1", "--chain-id", "assay-test",
		"--yes", "--gas", "200000")
	if err == nil {
		t.Fatalf("commit-weights succeeded with no node:\n%s", out)
	}
	saved := regexp.MustCompile(`salt and weights saved to (\S+)`).FindStringSubmatch(out)
	if saved == nil {
		t.Fatalf("commit-weights did not say where it stored the salt before sending:\n%s", out)
	}
	if filepath.Dir(saved[1]) != filepath.Join(home, cli.CommitsDir) {
		t.Fatalf("salt stored at %s, want under %s", saved[1], filepath.Join(home, cli.CommitsDir))
	}
	if _, err := os.Stat(saved[1]); !os.IsNotExist(err) {
		t.Fatalf("the salt file of a commit that was never sent is still there (%v)", err)
	}
	left, _ := filepath.Glob(filepath.Join(home, cli.CommitsDir, "*"))
	if len(left) != 0 {
		t.Fatalf("stored commits left behind: %v", left)
	}
}
