package portlock

import (
	"os"
	"syscall"
	"testing"
	"time"
)

// A second holder waits for the first and gives up at its limit, naming
// the file.
func TestLockWaitsForTheHolder(t *testing.T) {
	f, err := os.OpenFile(Path, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Skipf("%s is held by a chain test running now; this test needs it free", Path)
	}
	released := make(chan struct{})
	go func() {
		time.Sleep(300 * time.Millisecond)
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		close(released)
	}()
	start := time.Now()
	t.Run("waits", func(t *testing.T) { Lock(t, time.Minute) })
	<-released
	if took := time.Since(start); took < 300*time.Millisecond {
		t.Fatalf("took the lock after %s while it was held for 300ms", took)
	}
}
