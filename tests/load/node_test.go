// Package load drives one real assayd node with signed transfers,
// SetWeights and CommitWeights from many accounts, stepping the offered
// rate up, and reports accepted tx/s, block time and mempool size at each
// step, and the largest rate at which 1 s blocks and the supply invariant
// hold (issue 17).
//
// The test runs from `make test-ops` (CI runs it after `make test`, which
// leaves this package out).
package load

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/assay-network/assay/internal/buildcheck"
)

// node is a one-validator chain written by `assayd testnet init` (the
// localnet's homes, 1 s blocks) with the load test's many funded keys.
type node struct {
	home, bin string
	cmd       *exec.Cmd
	rpc, grpc string
}

const (
	portOffset = 3000 // clear of the localnet (0) and tests/testnet (2000)
	senders    = 200  // funded accounts that send transfers
	validators = 4    // hotkeys that send weights
	chainID    = "assay-load"
)

func senderName(i int) string    { return fmt.Sprintf("load%03d", i) }
func validatorName(i int) string { return fmt.Sprintf("val%d", i) }

func startNode(t *testing.T, bin string) *node {
	t.Helper()
	n := &node{home: t.TempDir(), bin: bin,
		rpc:  fmt.Sprintf("http://127.0.0.1:%d", 26657+portOffset),
		grpc: fmt.Sprintf("127.0.0.1:%d", 9090+portOffset)}
	keys := []string{"owner"} // the first key is the validator
	for i := 0; i < validators; i++ {
		keys = append(keys, validatorName(i))
	}
	for i := 0; i < senders; i++ {
		keys = append(keys, senderName(i))
	}
	out, err := exec.Command(bin, "testnet", "init", "--output-dir", n.home, "--chain-id", chainID,
		"--port-offset", fmt.Sprint(portOffset), "--keys", strings.Join(keys, ",")).CombinedOutput()
	if err != nil {
		t.Fatalf("assayd testnet init: %v\n%s", err, out)
	}
	log, err := os.Create(filepath.Join(n.home, "assayd.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	n.cmd = exec.Command(bin, "start", "--home", n.home)
	n.cmd.Stdout, n.cmd.Stderr = log, log
	// Started from the test goroutine, whose thread lives as long as the
	// binary in this package (nothing here ends threads), so Pdeathsig
	// only fires when the test binary dies without its cleanups.
	n.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := n.cmd.Start(); err != nil {
		t.Fatalf("assayd start: %v", err)
	}
	t.Cleanup(func() { n.stop(t) })
	return n
}

func (n *node) stop(t *testing.T) {
	if n.cmd == nil || n.cmd.Process == nil {
		return
	}
	_ = n.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = n.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = n.cmd.Process.Kill()
		<-done
	}
	if t.Failed() {
		b, _ := os.ReadFile(filepath.Join(n.home, "assayd.log"))
		lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
		if len(lines) > 15 {
			lines = lines[len(lines)-15:]
		}
		t.Logf("assayd log tail:\n%s", strings.Join(lines, "\n"))
	}
}

// assaydBinary: $ASSAYD, else build/assayd when newer than the sources,
// else a fresh build into a temp dir.
func assaydBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("ASSAYD"); bin != "" {
		return bin
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	bin, err := buildcheck.Binary(context.Background(), root, "assayd", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return bin
}
