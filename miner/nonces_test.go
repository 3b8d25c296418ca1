package miner

import (
	"errors"
	"math/rand/v2"
	"testing"
)

// Nonces arrive out of order (concurrent requests); each is forgotten
// exactly when the floor passes it, never before, and a caller that stops
// sending is forgotten entirely by the next sweep.
func TestNonceCacheExpiresByTimeOnly(t *testing.T) {
	const window = 1000
	c := newNonceCache(1<<10, window)
	rng := rand.New(rand.NewPCG(5, 6))
	nonces := rng.Perm(500)
	for _, n := range nonces {
		if err := c.add("a", int64(n), 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.add("a", 7, 0); !errors.Is(err, errReplayed) {
		t.Fatalf("repeat: %v", err)
	}
	for floor := int64(0); floor <= 500; floor += 50 {
		if err := c.add("a", 1000+floor, floor); err != nil {
			t.Fatal(err)
		}
		for n := range int64(500) {
			if want := n >= floor; c.used("a", n) != want {
				t.Fatalf("floor %d: nonce %d remembered %v, want %v", floor, n, !want, want)
			}
		}
	}
	if err := c.add("b", 5000, 500); err != nil {
		t.Fatal(err)
	}
	// "a" sends nothing more; a window later its nonces are all below the floor.
	if err := c.add("b", 5001, 500+window+2000); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.byKey["a"]; ok {
		t.Fatalf("an idle caller is still remembered: %d nonces", len(c.byKey["a"].heap))
	}
}

func TestNonceCacheFull(t *testing.T) {
	c := newNonceCache(2, 100)
	for n := range int64(2) {
		if err := c.add("a", 10+n, 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.add("a", 12, 0); !errors.Is(err, errNonceFull) {
		t.Fatalf("third live nonce: %v", err)
	}
	if err := c.add("b", 12, 0); err != nil {
		t.Fatalf("another caller: %v", err)
	}
	if err := c.add("a", 12, 11); err != nil { // nonce 10 expired: room again
		t.Fatal(err)
	}
	if !c.used("a", 11) || c.used("a", 10) {
		t.Fatal("expired the wrong nonce")
	}
}
