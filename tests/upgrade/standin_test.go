package upgrade

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// standIn does, for this test only, the part of cosmovisor the upgrade
// needs, on cosmovisor's own layout: run cosmovisor/current/bin/assayd;
// when data/upgrade-info.json names a plan the node is not yet running,
// stop the node, point current at upgrades/<plan> and start it again. It
// exists because the Go module proxy this project builds from refuses
// cosmossdk.io/tools/cosmovisor; with cosmovisor installed the test uses
// cosmovisor itself.
type standIn struct {
	home string
	bin  string // when set, the node binary instead of cosmovisor/current/bin/assayd
	log  *os.File

	mu      sync.Mutex
	node    *exec.Cmd
	nodeEnd chan error
	err     error // why the loop stopped early
	quit    chan struct{}
	done    chan struct{}
}

// layOut is `cosmovisor init OLD` plus `cosmovisor add-upgrade PLAN NEW`.
func layOut(t *testing.T, home, oldBin, plan, newBin string) {
	t.Helper()
	cv := filepath.Join(home, "cosmovisor")
	for dir, bin := range map[string]string{"genesis": oldBin, filepath.Join("upgrades", plan): newBin} {
		dst := filepath.Join(cv, dir, "bin", "assayd")
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := copyFile(bin, dst); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(cv, "genesis"), filepath.Join(cv, "current")); err != nil {
		t.Fatal(err)
	}
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func startStandIn(t *testing.T, home string) supervisor {
	t.Helper()
	logf, err := os.Create(filepath.Join(home, "cosmovisor.log"))
	if err != nil {
		t.Fatal(err)
	}
	s := &standIn{home: home, log: logf, quit: make(chan struct{}), done: make(chan struct{})}
	if err := s.startNode(); err != nil {
		t.Fatal(err)
	}
	go s.loop()
	t.Cleanup(func() { s.stop(t) })
	return s
}

func (s *standIn) startNode() error {
	bin := s.bin
	if bin == "" {
		bin = filepath.Join(s.home, "cosmovisor", "current", "bin", "assayd")
	}
	cmd := exec.Command(bin, "start", "--home", s.home)
	cmd.Stdout, cmd.Stderr = s.log, s.log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", bin, err)
	}
	end := make(chan error, 1)
	go func() { end <- cmd.Wait() }()
	s.mu.Lock()
	s.node, s.nodeEnd = cmd, end
	s.mu.Unlock()
	return nil
}

// stopNode sends SIGTERM, then SIGKILL after 15 s, as cosmovisor's
// DAEMON_SHUTDOWN_GRACE would.
func (s *standIn) stopNode() {
	s.mu.Lock()
	cmd, end := s.node, s.nodeEnd
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	select {
	case err := <-end:
		end <- err
	case <-time.After(15 * time.Second):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		end <- <-end
	}
}

func (s *standIn) loop() {
	defer close(s.done)
	applied := ""
	for {
		select {
		case <-s.quit:
			s.stopNode()
			return
		case <-time.After(300 * time.Millisecond): // DAEMON_POLL_INTERVAL
		}
		plan, _, err := upgradeInfo(s.home)
		if err != nil {
			s.fail(err)
			return
		}
		if plan != "" && plan != applied {
			fmt.Fprintf(s.log, "stand-in: upgrade-info.json names %q: stopping the node, switching binaries\n", plan)
			s.stopNode()
			cv := filepath.Join(s.home, "cosmovisor")
			target := filepath.Join(cv, "upgrades", plan)
			if _, err := os.Stat(filepath.Join(target, "bin", "assayd")); err != nil {
				s.fail(fmt.Errorf("no binary for upgrade %q: %w", plan, err))
				return
			}
			tmp := filepath.Join(cv, "current.tmp")
			_ = os.Remove(tmp)
			if err := os.Symlink(target, tmp); err != nil {
				s.fail(err)
				return
			}
			if err := os.Rename(tmp, filepath.Join(cv, "current")); err != nil {
				s.fail(err)
				return
			}
			applied = plan
			if err := s.startNode(); err != nil {
				s.fail(err)
				return
			}
			continue
		}
		s.mu.Lock()
		end := s.nodeEnd
		s.mu.Unlock()
		select {
		case err := <-end:
			end <- err
			// The node stopped on its own; if upgrade-info.json appears now
			// (written just before the halt), the next round restarts it.
			if p, _, _ := upgradeInfo(s.home); p == "" || p == applied {
				s.fail(fmt.Errorf("node exited with no upgrade pending: %v", err))
				return
			}
		default:
		}
	}
}

func (s *standIn) fail(err error) {
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
	fmt.Fprintf(s.log, "stand-in: %v\n", err)
	s.stopNode()
}

func (s *standIn) exited() (bool, error) {
	select {
	case <-s.done:
		s.mu.Lock()
		defer s.mu.Unlock()
		return true, s.err
	default:
		return false, nil
	}
}

func (s *standIn) stop(t *testing.T) {
	select {
	case <-s.done:
	default:
		close(s.quit)
		<-s.done
	}
	s.log.Close()
	if t.Failed() {
		t.Logf("node log tail:\n%s", tail(s.log.Name(), 40))
	}
}
