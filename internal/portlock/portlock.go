// Package portlock is the machine-wide lock every test that runs a chain
// on the localnet ports (or times blocks) takes, so that no two chains
// fight for ports or load the machine at once. cmd/assay-demo takes the
// same file.
package portlock

import (
	"errors"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/assay-network/assay/internal/testtime"
)

// Path is the lock file.
const Path = "/tmp/assay-ports.lock"

// Wait is how long Lock waits by default: a demo run holds the lock for
// several minutes.
const Wait = 10 * time.Minute

// Lock takes the lock for the rest of t, waiting up to limit (scaled by
// ASSAY_TEST_TIME_SCALE) while another holder has it.
func Lock(t testing.TB, limit time.Duration) {
	t.Helper()
	lock(t, Path, limit)
}

// lock is Lock on the file at path.
func lock(t testing.TB, path string, limit time.Duration) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { f.Close() })
	limit = testtime.Scale(limit)
	deadline := time.Now().Add(limit)
	said := false
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			t.Fatalf("flock %s: %v", path, err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s held by another chain test for %s", path, limit)
		}
		if !said {
			t.Logf("waiting for %s (another local chain holds it)", path)
			said = true
		}
		time.Sleep(250 * time.Millisecond)
	}
}
