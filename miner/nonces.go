package miner

import (
	"errors"
	"sync"
)

var (
	errReplayed  = errors.New("nonce already used")
	errNonceFull = errors.New("too many live nonces")
)

// nonceCache remembers, per caller, the nonces it used that are still live:
// a nonce below the cache's floor (now − NonceWindow, or the process start
// if later) is refused as stale before it gets here, so only nonces at or
// above the floor need remembering, and they are forgotten by time alone
// when the floor passes them. A caller's live nonces are never evicted to
// make room: at perKey live nonces its next request is refused (the caller
// is sending more than perKey requests per window), so no amount of traffic
// can make the miner forget a nonce that would still be accepted. Only
// callers holding a permit whose signature verified are recorded, so the
// memory is at most (permitted callers) × perKey × ~20 bytes.
type nonceCache struct {
	mu     sync.Mutex
	perKey int
	byKey  map[string]*usedNonces
	swept  int64 // the floor at the last sweep of every caller
	window int64 // nanoseconds between sweeps
}

// usedNonces is one caller's live nonces: a set, and the same nonces as a
// min-heap so the oldest are dropped first when the floor passes them.
type usedNonces struct {
	seen map[int64]struct{}
	heap []int64
}

func newNonceCache(perKey int, window int64) *nonceCache {
	return &nonceCache{perKey: perKey, byKey: make(map[string]*usedNonces), window: window}
}

// used reports whether hotkey already used nonce (a replay). It records
// nothing: the tap asks it before a request's body arrives.
func (c *nonceCache) used(hotkey string, nonce int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	u := c.byKey[hotkey]
	if u == nil {
		return false
	}
	_, dup := u.seen[nonce]
	return dup
}

// add records hotkey's nonce, forgetting the nonces below floor; it fails
// with errReplayed if the nonce was used, errNonceFull if the caller already
// has perKey live nonces.
func (c *nonceCache) add(hotkey string, nonce, floor int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if floor-c.swept >= c.window {
		c.sweep(floor)
	}
	u := c.byKey[hotkey]
	if u == nil {
		u = &usedNonces{seen: make(map[int64]struct{})}
		c.byKey[hotkey] = u
	}
	u.expire(floor)
	if _, dup := u.seen[nonce]; dup {
		return errReplayed
	}
	if len(u.heap) >= c.perKey {
		return errNonceFull
	}
	u.seen[nonce] = struct{}{}
	u.push(nonce)
	return nil
}

// sweep drops every caller's expired nonces, and callers left with none
// (a caller that lost its permit stops adding, so add alone would never
// forget it). Once per window: O(live nonces).
func (c *nonceCache) sweep(floor int64) {
	c.swept = floor
	for k, u := range c.byKey {
		if u.expire(floor); len(u.heap) == 0 {
			delete(c.byKey, k)
		}
	}
}

// expire forgets the nonces below floor.
func (u *usedNonces) expire(floor int64) {
	for len(u.heap) > 0 && u.heap[0] < floor {
		delete(u.seen, u.heap[0])
		u.pop()
	}
}

func (u *usedNonces) push(n int64) {
	h := append(u.heap, n)
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if h[p] <= h[i] {
			break
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
	u.heap = h
}

func (u *usedNonces) pop() {
	h := u.heap
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < len(h) && h[l] < h[m] {
			m = l
		}
		if r := l + 1; r < len(h) && h[r] < h[m] {
			m = r
		}
		if m == i {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	u.heap = h
}
