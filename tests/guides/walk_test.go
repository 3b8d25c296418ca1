package guides

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/internal/portlock"
)

// walkOrder is the guides in the order a new network meets its operators:
// the owner registers subnet 1, a validator joins it, a miner serves it,
// a staker delegates to the validator, and an operator makes their own
// keys. Each guide starts with its own prerequisites block, which the walk
// runs too.
var walkOrder = []string{"subnet-owner.md", "validator.md", "miner.md", "staker.md", "wallets.md"}

// typed is what the walk types at a prompt: the passphrase wallets.md
// chooses for the file keyring, which asks for it (twice when it creates
// the keyring). Finite, so a daemon a command leaves running cannot hold
// the walk on its stdin.
var typed = strings.Repeat("your passphrase\n", 20)

// commandTimeout bounds one command (training a model is the longest).
const commandTimeout = 3 * time.Minute

// TestGuidesRunAsWritten runs every command of the guides' ```sh blocks
// with bash, from the repository root, as a reader pastes them: the
// prerequisites block builds, starts scripts/localnet.sh on a fresh home
// and exports PATH and ASSAY_HOME, and the later commands see what the
// earlier ones exported. A block marked "in another terminal" (a daemon)
// runs in the background until the walk ends, and the walk goes on once its
// ready URL answers. At a prompt the walk types `typed`. A command fails
// the walk when it exits non-zero, or
// when a transaction it broadcast is refused or fails in its block; the
// walk waits for each transaction to be included before the next command,
// as an operator reading the result would.
func TestGuidesRunAsWritten(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a localnet and the daemons; skipped with -short")
	}
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	locking := time.Now()
	portlock.Lock(t, portlock.Wait)
	t.Logf("ports lock taken in %s", time.Since(locking).Round(time.Second))
	freshLocalnet(t, root)
	removeNewFiles(t, root)

	w := &walker{t: t, root: root, env: filepath.Join(t.TempDir(), "env.sh")}
	require.NoError(t, os.WriteFile(w.env, nil, 0o644))
	t.Cleanup(w.stopDaemons)
	start := time.Now()
	for _, guide := range walkOrder {
		b, err := os.ReadFile(filepath.Join(root, "docs", guide))
		require.NoError(t, err)
		blocks := ParseBlocks(string(b))
		require.NotEmpty(t, blocks, "%s has no sh blocks", guide)
		began := time.Now()
		for i, blk := range blocks {
			if blk.Background() {
				w.background(guide, i, blk)
				continue
			}
			for _, c := range blk.Commands {
				w.run(guide, i, c)
			}
		}
		t.Logf("%s: %d blocks in %s", guide, len(blocks), time.Since(began).Round(time.Second))
	}
	t.Logf("walk: %s", time.Since(start).Round(time.Second))
}

// freshLocalnet makes the repository's .localnet, where the guides'
// prerequisites put the chain, start empty: an existing one is moved aside
// and put back after the walk, which stops and deletes its own.
func freshLocalnet(t *testing.T, root string) {
	home := filepath.Join(root, ".localnet")
	if pid, err := os.ReadFile(filepath.Join(home, "assayd.pid")); err == nil {
		if n, err := strconv.Atoi(strings.TrimSpace(string(pid))); err == nil && syscall.Kill(n, 0) == nil {
			t.Fatalf("a localnet runs from %s (pid %d); the guide walk needs that home and its ports: scripts/localnet.sh stop", home, n)
		}
	}
	aside := ""
	if _, err := os.Stat(home); err == nil {
		aside = home + ".before-guides-test"
		require.NoError(t, os.RemoveAll(aside))
		require.NoError(t, os.Rename(home, aside))
	}
	t.Cleanup(func() {
		cmd := exec.Command("bash", "scripts/localnet.sh", "stop")
		cmd.Dir, cmd.Env = root, append(os.Environ(), "ASSAY_HOME="+home)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Logf("localnet stop: %v\n%s", err, out)
		}
		if t.Failed() {
			if log, err := os.ReadFile(filepath.Join(home, "assayd.log")); err == nil {
				t.Logf("assayd.log (tail):\n%s", tail(string(log), 40))
			}
		}
		require.NoError(t, os.RemoveAll(home))
		if aside != "" {
			require.NoError(t, os.Rename(aside, home))
		}
	})
}

// removeNewFiles deletes, after the walk, what the guides wrote at the top
// of the repository (a trained model, say): every name not there before.
func removeNewFiles(t *testing.T, root string) {
	before := map[string]bool{}
	entries, err := os.ReadDir(root)
	require.NoError(t, err)
	for _, e := range entries {
		before[e.Name()] = true
	}
	t.Cleanup(func() {
		entries, err := os.ReadDir(root)
		require.NoError(t, err)
		for _, e := range entries {
			if !before[e.Name()] && e.Name() != ".localnet" {
				t.Logf("removing %s, written by the guides", e.Name())
				require.NoError(t, os.RemoveAll(filepath.Join(root, e.Name())))
			}
		}
	})
}

type daemon struct {
	name string
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan struct{} // closed once the process has exited
}

type walker struct {
	t       *testing.T
	root    string
	env     string // the exports the commands so far left, sourced by the next
	daemons []daemon
}

// script runs command after the exports of the earlier ones and saves its own.
func (w *walker) script(command string) string {
	return fmt.Sprintf("set -eo pipefail\nsource %q\n%s\nexport -p > %q\n", w.env, command, w.env)
}

func (w *walker) run(guide string, block int, command string) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(w.t.Context(), commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", w.script(command))
	cmd.Dir, cmd.Stdin = w.root, strings.NewReader(typed)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	began := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(began).Round(100 * time.Millisecond)
	if err != nil {
		w.t.Fatalf("%s, block %d: %q failed after %s: %v\n%s", guide, block+1, command, took, err, out)
	}
	hashes := TxHashes(string(out))
	for _, h := range hashes {
		if err := w.waitTx(h); err != nil {
			w.t.Fatalf("%s, block %d: %q: %v\n%s", guide, block+1, command, err, out)
		}
	}
	note := ""
	if len(hashes) > 0 {
		note = fmt.Sprintf(", %d tx included with code 0", len(hashes))
	}
	w.t.Logf("%s, block %d: %s (%s%s)", guide, block+1, command, took, note)
}

// background starts a block an operator runs in another terminal and waits
// until its ready URL answers 200.
func (w *walker) background(guide string, block int, b Block) {
	w.t.Helper()
	cmd := exec.Command("bash", "-c", w.script(strings.Join(b.Commands, "\n")))
	cmd.Dir, cmd.Stdin = w.root, strings.NewReader(typed)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	require.NoError(w.t, cmd.Start())
	d := daemon{name: fmt.Sprintf("%s block %d", guide, block+1), cmd: cmd, out: out, done: make(chan struct{})}
	w.daemons = append(w.daemons, d)
	var exitErr error
	go func() { exitErr = cmd.Wait(); close(d.done) }()
	deadline := time.Now().Add(commandTimeout)
	for {
		select {
		case <-d.done:
			w.t.Fatalf("%s: exited before %s answered: %v\n%s", d.name, b.ReadyURL, exitErr, out)
		case <-time.After(500 * time.Millisecond):
		}
		if res, err := http.Get(b.ReadyURL); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				w.t.Logf("%s: %s answers", d.name, b.ReadyURL)
				return
			}
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("%s: %s did not answer in %s\n%s", d.name, b.ReadyURL, commandTimeout, out)
		}
	}
}

// stopDaemons stops the background blocks (SIGTERM to each process group,
// SIGKILL after 10 s) and shows their output when the walk failed.
func (w *walker) stopDaemons() {
	began := time.Now()
	defer func() { w.t.Logf("daemons stopped in %s", time.Since(began).Round(100*time.Millisecond)) }()
	for _, d := range w.daemons {
		_ = syscall.Kill(-d.cmd.Process.Pid, syscall.SIGTERM)
	}
	for _, d := range w.daemons {
		select {
		case <-d.done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
			<-d.done
		}
		if w.t.Failed() {
			w.t.Logf("%s output (tail):\n%s", d.name, tail(d.out.String(), 40))
		}
	}
}

// waitTx waits until the localnet has included hash and checks its result.
func (w *walker) waitTx(hash string) error {
	url := "http://127.0.0.1:26657/tx?hash=0x" + hash
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get(url)
		if err == nil {
			var body struct {
				Result *struct {
					Height   string `json:"height"`
					TxResult struct {
						Code uint32 `json:"code"`
						Log  string `json:"log"`
					} `json:"tx_result"`
				} `json:"result"`
			}
			err = json.NewDecoder(res.Body).Decode(&body)
			res.Body.Close()
			if err == nil && body.Result != nil {
				if c := body.Result.TxResult.Code; c != 0 {
					return fmt.Errorf("tx %s failed in block %s with code %d: %s", hash, body.Result.Height, c, body.Result.TxResult.Log)
				}
				return nil
			}
		}
		time.Sleep(300 * time.Millisecond)
	}
	return errors.New("tx " + hash + " was not included within 30 s")
}

func tail(s string, lines int) string {
	all := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}
