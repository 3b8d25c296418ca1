package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// proc is one child process (assayd, a miner, a validator) whose stdout and
// stderr go to <home>/logs/<name>.log, or one in-process service (the swap
// miner, see swap.go) logging there, stopped the same way.
type proc struct {
	name    string
	cmd     *exec.Cmd          // nil for an in-process service
	cancel  context.CancelFunc // in-process: asks it to stop
	logPath string
	done    chan struct{}
	err     error // set before done closes
}

// procs owns every child: stopAll ends them in reverse start order.
type procs struct {
	mu     sync.Mutex
	logDir string
	list   []*proc
}

func newProcs(logDir string) (*procs, error) {
	if err := os.MkdirAll(logDir, 0o755); err != nil {
		return nil, err
	}
	return &procs{logDir: logDir}, nil
}

// start runs bin with args; the child gets its own process group (a Ctrl-C
// on the terminal reaches only us, and we stop children in order) and is
// killed by the kernel if this process dies without cleaning up.
func (p *procs) start(name, bin string, args ...string) (*proc, error) {
	logPath := filepath.Join(p.logDir, name+".log")
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start %s (%s): %w", name, bin, err)
	}
	pr := &proc{name: name, cmd: cmd, logPath: logPath, done: make(chan struct{})}
	go func() {
		pr.err = cmd.Wait()
		f.Close()
		close(pr.done)
	}()
	p.mu.Lock()
	p.list = append(p.list, pr)
	p.mu.Unlock()
	return pr, nil
}

// goRun runs an in-process service until stop or stopAll: run gets a
// context that ends then, and the service's log file. It is listed with
// the children, so a failure is noticed and its log dumped like theirs.
func (p *procs) goRun(name string, run func(ctx context.Context, log io.Writer) error) (*proc, error) {
	logPath := filepath.Join(p.logDir, name+".log")
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr := &proc{name: name, cancel: cancel, logPath: logPath, done: make(chan struct{})}
	go func() {
		pr.err = run(ctx, f)
		f.Close()
		close(pr.done)
	}()
	p.mu.Lock()
	p.list = append(p.list, pr)
	p.mu.Unlock()
	return pr, nil
}

// exited reports whether the child has ended, and how.
func (pr *proc) exited() (bool, error) {
	select {
	case <-pr.done:
		if pr.err == nil {
			return true, errors.New("exited with status 0")
		}
		return true, pr.err
	default:
		return false, nil
	}
}

// stop sends SIGTERM to the child's process group, then SIGKILL after grace;
// an in-process service is cancelled and given grace to return.
func (pr *proc) stop(grace time.Duration) {
	select {
	case <-pr.done:
		return
	default:
	}
	if pr.cmd == nil {
		pr.cancel()
		select {
		case <-pr.done:
		case <-time.After(grace): // leaked; the demo is ending anyway
		}
		return
	}
	pgid := pr.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-pr.done:
	case <-time.After(grace):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-pr.done
	}
}

// stopAll stops every child, newest first (validators and miners before the node).
func (p *procs) stopAll() {
	p.mu.Lock()
	list := append([]*proc(nil), p.list...)
	p.mu.Unlock()
	for i := len(list) - 1; i >= 0; i-- {
		list[i].stop(10 * time.Second)
	}
}

// failed returns the first child that has exited, if any.
func (p *procs) failed() (*proc, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, pr := range p.list {
		if gone, err := pr.exited(); gone {
			return pr, err
		}
	}
	return nil, nil
}

// dumpLogs writes the last lines of every child's log to w.
func (p *procs) dumpLogs(w io.Writer, lines int) {
	p.mu.Lock()
	list := append([]*proc(nil), p.list...)
	p.mu.Unlock()
	for _, pr := range list {
		fmt.Fprintf(w, "---- last %d lines of %s (%s)\n", lines, pr.name, pr.logPath)
		fmt.Fprintln(w, tail(pr.logPath, lines))
	}
}

func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	b = bytes.TrimRight(b, "\n")
	ls := strings.Split(string(b), "\n")
	if len(ls) > n {
		ls = ls[len(ls)-n:]
	}
	return strings.Join(ls, "\n")
}

// runTool runs a short-lived command (assayd init, keys, genesis) and
// returns its stdout; on failure the error carries its output.
func runTool(ctx context.Context, bin string, args ...string) ([]byte, error) {
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s %s: %w\n%s%s", filepath.Base(bin), strings.Join(args, " "), err, out.String(), errb.String())
	}
	return out.Bytes(), nil
}
