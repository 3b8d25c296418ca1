// Package partition runs the four validators of `assayd testnet init` in
// Linux network namespaces it creates itself, splits and heals their
// network, and slows it down (issue 17, DESIGN §14): BFT safety (no fork
// while no side holds 2/3 of the power) and liveness (f < n/3 keeps going,
// a healed node catches up).
//
// These tests run from `make test-ops`, which sets ASSAY_OPS=1; without it
// they skip, so `make test` does not pay for them.
package partition

import (
	"os"
	"syscall"
	"testing"
	"time"
)

// requireOps skips unless make test-ops (ASSAY_OPS=1) asked for the
// operations tests.
func requireOps(t *testing.T) {
	t.Helper()
	if os.Getenv("ASSAY_OPS") != "1" {
		t.Skip("operations test: run by `make test-ops` (ASSAY_OPS=1)")
	}
}

// lockPorts takes /tmp/assay-ports.lock, as every chain-running suite
// does, so no other chain loads the machine while blocks are timed.
func lockPorts(t *testing.T) {
	t.Helper()
	f, err := os.OpenFile("/tmp/assay-ports.lock", os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		t.Fatal(err)
	}
	locked := make(chan error, 1)
	go func() { locked <- syscall.Flock(int(f.Fd()), syscall.LOCK_EX) }()
	select {
	case err := <-locked:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(8 * time.Minute):
		f.Close()
		t.Fatal("/tmp/assay-ports.lock held by another suite for 8 minutes")
	}
	t.Cleanup(func() { f.Close() })
}
