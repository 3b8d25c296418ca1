package miner

import (
	"context"
	"crypto/sha256"
	"errors"
	"strconv"
	"sync"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/assay-network/assay/client"
)

// Permit is what the miner knows about a permitted caller.
type Permit struct {
	UID uint32
	// Stake orders callers when the miner is saturated (higher first).
	Stake uint64
}

// ErrNoPermit is returned by a PermitChecker for a caller that may not query.
var ErrNoPermit = errors.New("no validator permit")

// PermitChecker decides whether a hotkey may query this miner.
// MetagraphPermits reads the chain's validator permits; tests pass a table.
type PermitChecker interface {
	// Permit returns the caller's permit, or an error wrapping ErrNoPermit.
	Permit(ctx context.Context, hotkey string) (Permit, error)
}

// rejection is a refused request: a gRPC status plus the metric reason.
type rejection struct {
	reason string
	err    error
}

func reject(reason string, c codes.Code, format string, a ...any) *rejection {
	return &rejection{reason: reason, err: status.Errorf(c, format, a...)}
}

// nonceCache remembers the (hotkey, nonce) pairs seen inside the freshness
// window, bounded: the oldest entry is evicted first. Because a nonce older
// than the window is refused as stale anyway, the cache only has to hold
// window × request rate entries; size it above that.
type nonceCache struct {
	mu   sync.Mutex
	seen map[nonceKey]struct{}
	ring []nonceKey
	next int
}

type nonceKey struct {
	hotkey string
	nonce  int64
}

func newNonceCache(size int) *nonceCache {
	return &nonceCache{seen: make(map[nonceKey]struct{}, size), ring: make([]nonceKey, 0, size)}
}

// add records k and reports false if it was already there (a replay).
func (c *nonceCache) add(k nonceKey) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, dup := c.seen[k]; dup {
		return false
	}
	if len(c.ring) < cap(c.ring) {
		c.ring = append(c.ring, k)
	} else {
		delete(c.seen, c.ring[c.next])
		c.ring[c.next] = k
		c.next = (c.next + 1) % len(c.ring)
	}
	c.seen[k] = struct{}{}
	return true
}

// caller is an authenticated request's origin.
type caller struct {
	hotkey string
	permit Permit
}

// authenticate checks, cheapest first: the metadata is present, the nonce is
// fresh, the signature verifies, the nonce is new (recorded only after the
// signature verified, so forged requests cannot fill the cache), and the
// caller holds a permit.
func (s *Server) authenticate(ctx context.Context, bodyHash [32]byte) (caller, *rejection) {
	md, _ := metadata.FromIncomingContext(ctx)
	get := func(k string) (string, bool) {
		v := md.Get(k)
		if len(v) != 1 || v[0] == "" {
			return "", false
		}
		return v[0], true
	}
	hotkey, ok1 := get(client.MDHotkey)
	nonceStr, ok2 := get(client.MDNonce)
	pub, ok3 := get(client.MDPubKey)
	sig, ok4 := get(client.MDSignature)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return caller{}, reject("unsigned", codes.Unauthenticated,
			"unsigned request: metadata %s, %s, %s and %s are required (see miner/README.md)",
			client.MDHotkey, client.MDNonce, client.MDPubKey, client.MDSignature)
	}
	nonce, err := strconv.ParseInt(nonceStr, 10, 64)
	if err != nil {
		return caller{}, reject("bad_signature", codes.Unauthenticated, "%s %q: want unix nanoseconds", client.MDNonce, nonceStr)
	}
	now := s.deps.Clock()
	if d := now.Sub(time.Unix(0, nonce)); d > s.cfg.NonceWindow || d < -s.cfg.NonceWindow {
		return caller{}, reject("stale_nonce", codes.Unauthenticated,
			"stale nonce: %s is %v from the miner's clock, window ±%v", client.MDNonce, d.Round(time.Millisecond), s.cfg.NonceWindow)
	}
	// The permit is looked up before the signature is checked (a map read)
	// but reported after it, so an unsigned or forged request is still
	// Unauthenticated. Only a permitted caller's key is remembered by the
	// verifier (which then checks its signatures ~2× faster).
	p, err := s.deps.Permits.Permit(ctx, hotkey)
	msg := client.RequestSignBytes(bodyHash, nonce, s.deps.Signer.Address())
	if verr := s.verifier.Verify(hotkey, []byte(pub), msg, []byte(sig), err == nil); verr != nil {
		return caller{}, reject("bad_signature", codes.Unauthenticated, "%v (signed bytes: see miner/README.md; miner hotkey %s)", verr, s.deps.Signer.Address())
	}
	if !s.nonces.add(nonceKey{hotkey, nonce}) {
		return caller{}, reject("replayed_nonce", codes.Unauthenticated, "replayed request: nonce %d from %s was already used", nonce, hotkey)
	}
	if err != nil {
		if errors.Is(err, ErrNoPermit) {
			return caller{}, reject("no_permit", codes.PermissionDenied, "%s may not query netuid %d: %v", hotkey, s.cfg.Netuid, err)
		}
		return caller{}, reject("permit_unavailable", codes.Unavailable, "checking %s's permit: %v", hotkey, err)
	}
	return caller{hotkey: hotkey, permit: p}, nil
}

func sha256Sum(b []byte) [32]byte { return sha256.Sum256(b) }
