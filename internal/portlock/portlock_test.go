package portlock

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A second holder waits until the first lets go.
func TestLockWaitsForTheHolder(t *testing.T) {
	// A file of its own: the machine-wide one may be held by a chain test.
	path := filepath.Join(t.TempDir(), "ports.lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	released := make(chan struct{})
	go func() {
		time.Sleep(300 * time.Millisecond)
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		close(released)
	}()
	start := time.Now()
	t.Run("waits", func(t *testing.T) { lock(t, path, time.Minute) })
	<-released
	if took := time.Since(start); took < 300*time.Millisecond {
		t.Fatalf("took the lock after %s while it was held for 300ms", took)
	}
}
