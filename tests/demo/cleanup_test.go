package demo

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/assay-network/assay/internal/testtime"
)

var homeLine = regexp.MustCompile(`starting a one-node chain in (\S+) `)

// startDemo runs assay-demo --short (no explorer or gateway) with args and
// returns it, its temp home once it names it, and every progress line so
// far on a channel closed when stderr ends.
func startDemo(t *testing.T, args ...string) (*exec.Cmd, string, <-chan string) {
	t.Helper()
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if !haveData(t, repo, filepath.Join(repo, "data"), "german-credit") {
		t.Skip("german-credit data not fetched (run `make data`)")
	}
	bin := buildDemo(t, repo)
	cmd := exec.Command(filepath.Join(bin, "assay-demo"), append([]string{"--short", "--bin-dir", bin, "--repo", repo,
		"--models-dir", filepath.Join(repo, "models"), "--explorer", "", "--gateway", ""}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	lines := make(chan string, 256)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	// The demo first waits for the ports lock (up to its --lock-wait, 10
	// minutes) and may train models.
	limit := testtime.Scale(15 * time.Minute)
	deadline := time.After(limit)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("assay-demo ended before it started its chain")
			}
			if m := homeLine.FindStringSubmatch(l); m != nil {
				return cmd, m[1], lines
			}
		case <-deadline:
			t.Fatalf("assay-demo did not start its chain in %s", limit)
		}
	}
}

// waitLine reads progress until a line containing want; it returns every
// line read.
func waitLine(t *testing.T, lines <-chan string, want string, within time.Duration) string {
	t.Helper()
	var seen strings.Builder
	deadline := time.After(within)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("assay-demo ended before %q:\n%s", want, seen.String())
			}
			seen.WriteString(l + "\n")
			if strings.Contains(l, want) {
				return seen.String()
			}
		case <-deadline:
			t.Fatalf("no %q within %s:\n%s", want, within, seen.String())
		}
	}
}

// processesUsing lists the live processes whose command line names dir:
// the demo's children all run with --home (or a state path) inside it.
func processesUsing(dir string) []string {
	var out []string
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if cmd := strings.ReplaceAll(string(b), "\x00", " "); strings.Contains(cmd, dir) {
			out = append(out, filepath.Base(filepath.Dir(p))+": "+cmd)
		}
	}
	return out
}

func exitCode(t *testing.T, cmd *exec.Cmd, within time.Duration) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(within):
		t.Fatalf("assay-demo still running %s after it was told to stop", within)
		return -1
	}
}

// TestDemoCtrlCStopsAndRemovesEverything: README, "The demo": on Ctrl-C
// the demo stops every child (node, miners, validators) and deletes its
// temp home, and exits 130.
func TestDemoCtrlCStopsAndRemovesEverything(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real chain and its processes; skipped with -short")
	}
	cmd, home, lines := startDemo(t, "--timeout", "5m")
	waitLine(t, lines, "validators query the miners", testtime.Scale(3*time.Minute))
	if running := processesUsing(home); len(running) < 3 {
		t.Fatalf("expected the node, miners and validators running under %s, found %q", home, running)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = io.Copy(io.Discard, drain(lines)) }()
	if code := exitCode(t, cmd, testtime.Scale(time.Minute)); code != 130 {
		t.Fatalf("exit code %d after Ctrl-C, want 130", code)
	}
	if left := processesUsing(home); len(left) != 0 {
		t.Fatalf("children left running after Ctrl-C: %q", left)
	}
	if _, err := os.Stat(home); !os.IsNotExist(err) {
		t.Fatalf("temp home %s still there after Ctrl-C (%v)", home, err)
	}
}

// TestDemoTimeoutWithKeepStopsChildrenKeepsHome: when the demo gives up
// (--timeout) it fails, stops every child, and with --keep leaves the home
// and its logs for a post-mortem.
func TestDemoTimeoutWithKeepStopsChildrenKeepsHome(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real chain and its processes; skipped with -short")
	}
	cmd, home, lines := startDemo(t, "--timeout", "10s", "--keep")
	t.Cleanup(func() { os.RemoveAll(home) })
	rest := drain(lines)
	if code := exitCode(t, cmd, testtime.Scale(2*time.Minute)); code != 1 {
		t.Fatalf("exit code %d after the timeout, want 1", code)
	}
	if left := processesUsing(home); len(left) != 0 {
		t.Fatalf("children left running after the timeout: %q", left)
	}
	logs, err := os.ReadDir(filepath.Join(home, "logs"))
	if err != nil || len(logs) == 0 {
		t.Fatalf("--keep: no logs kept in %s/logs (%v)", home, err)
	}
	out, _ := io.ReadAll(rest)
	if !strings.Contains(string(out), "FAILED") || !strings.Contains(string(out), "kept "+home) {
		t.Fatalf("the demo did not say it failed and where it kept the home:\n%s", out)
	}
}

// drain turns the rest of the progress lines into a reader.
func drain(lines <-chan string) io.Reader {
	r, w := io.Pipe()
	go func() {
		for l := range lines {
			_, _ = io.WriteString(w, l+"\n")
		}
		w.Close()
	}()
	return r
}
