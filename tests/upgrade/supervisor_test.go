package upgrade

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The node runs under cosmovisor's layout in its home:
//
//	cosmovisor/genesis/bin/assayd          the binary the chain started with
//	cosmovisor/upgrades/<plan>/bin/assayd  the binary for upgrade <plan>
//	cosmovisor/current -> genesis | upgrades/<plan>
//
// and is supervised by cosmovisor v1.7.1 (scripts/cosmovisor.sh), which
// watches data/upgrade-info.json, written by x/upgrade when the old binary
// halts at the plan's height, then stops the node, points current at the
// plan's binary and starts it again.

// supervisor keeps the node running across the upgrade: cosmovisor, or
// where scripts/cosmovisor.sh cannot install it, standIn.
type supervisor interface {
	stop(t *testing.T)
	exited() (bool, error)
}

// cosmovisorProc is a running `cosmovisor run start`.
type cosmovisorProc struct {
	cmd  *exec.Cmd
	done chan error
	log  string
}

// cosmovisorEnv is the configuration an operator puts in the environment
// of cosmovisor (docs/upgrades.md).
func cosmovisorEnv(home string) []string {
	return append(os.Environ(),
		"DAEMON_NAME=assayd",
		"DAEMON_HOME="+home,
		"DAEMON_RESTART_AFTER_UPGRADE=true",
		"DAEMON_ALLOW_DOWNLOAD_BINARIES=false",
		"DAEMON_POLL_INTERVAL=300ms",
		// A copy of data/ before the upgrade is what an operator wants; the
		// test's chain is thrown away.
		"UNSAFE_SKIP_BACKUP=true",
	)
}

// installBinaries lays out the old binary as genesis and the new one as
// upgrade plan with `cosmovisor init` and `cosmovisor add-upgrade`.
func installBinaries(t *testing.T, ctx context.Context, cosmovisor, home, oldBin, plan, newBin string) {
	t.Helper()
	for _, args := range [][]string{{"init", oldBin}, {"add-upgrade", plan, newBin}} {
		cmd := exec.CommandContext(ctx, cosmovisor, args...)
		cmd.Env = cosmovisorEnv(home)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("cosmovisor %v: %v\n%s", args, err, out)
		}
	}
	for _, p := range []string{"cosmovisor/genesis/bin/assayd", "cosmovisor/upgrades/" + plan + "/bin/assayd"} {
		if fi, err := os.Stat(filepath.Join(home, p)); err != nil || fi.Mode()&0o111 == 0 {
			t.Fatalf("%s after cosmovisor init/add-upgrade: %v", p, err)
		}
	}
}

// startCosmovisor runs `cosmovisor run start --home HOME` in its own process
// group (so the node it starts goes with it at cleanup).
func startCosmovisor(t *testing.T, cosmovisor, home string) supervisor {
	t.Helper()
	logPath := filepath.Join(home, "cosmovisor.log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(cosmovisor, "run", "start", "--home", home)
	cmd.Env = cosmovisorEnv(home)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting cosmovisor: %v", err)
	}
	s := &cosmovisorProc{cmd: cmd, done: make(chan error, 1), log: logPath}
	go func() { s.done <- cmd.Wait(); logf.Close() }()
	t.Cleanup(func() { s.stop(t) })
	return s
}

// stop ends the supervisor's process group: SIGTERM, then SIGKILL after 15 s.
func (s *cosmovisorProc) stop(t *testing.T) {
	pgid := s.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		t.Logf("cosmovisor (pgid %d) ignored SIGTERM for 15 s; killing it", pgid)
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-s.done
	}
	// The node may have outlived its parent in the group.
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	if t.Failed() {
		t.Logf("cosmovisor log tail:\n%s", tail(s.log, 40))
	}
}

// exited reports whether cosmovisor has stopped, and how.
func (s *cosmovisorProc) exited() (bool, error) {
	select {
	case err := <-s.done:
		s.done <- err
		return true, err
	default:
		return false, nil
	}
}

// currentLink is where cosmovisor/current points, relative to cosmovisor/.
func currentLink(home string) string {
	dst, err := os.Readlink(filepath.Join(home, "cosmovisor", "current"))
	if err != nil {
		return "(" + err.Error() + ")"
	}
	if !filepath.IsAbs(dst) {
		return dst
	}
	rel, err := filepath.Rel(filepath.Join(home, "cosmovisor"), dst)
	if err != nil {
		return dst
	}
	return rel
}

// upgradeInfo is data/upgrade-info.json, once the old binary wrote it.
func upgradeInfo(home string) (name string, height int64, err error) {
	b, err := os.ReadFile(filepath.Join(home, "data", "upgrade-info.json"))
	if errors.Is(err, os.ErrNotExist) {
		return "", 0, nil
	}
	if err != nil {
		return "", 0, err
	}
	var info struct {
		Name   string `json:"name"`
		Height int64  `json:"height"`
	}
	err = json.Unmarshal(b, &info)
	return info.Name, info.Height, err
}

// cosmovisorBinary installs (once) and returns build/tools/cosmovisor via
// scripts/cosmovisor.sh, the one way the project gets it. It returns ""
// with the script's reason when the Go module proxy does not serve
// cosmovisor (the script's exit 3); any other failure fails the test.
func cosmovisorBinary(t *testing.T, ctx context.Context, root string) (string, string) {
	t.Helper()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(root, "scripts", "cosmovisor.sh"))
	cmd.Dir = root
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 3 {
		return "", strings.TrimSpace(stderr.String())
	}
	if err != nil {
		t.Fatalf("scripts/cosmovisor.sh: %v\n%s", err, stderr.String())
	}
	return lastLine(string(out)), ""
}
