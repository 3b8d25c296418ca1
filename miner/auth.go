package miner

import (
	"context"
	"crypto/sha256"
	"errors"
	"strconv"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/tap"

	"github.com/assay-network/assay/client"
	synapsev1 "github.com/assay-network/assay/synapse/v1"
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
// Permit is called on a gRPC connection's reader goroutine, before the
// request's body is read (Server.tap): it must answer from memory, without
// blocking.
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

// caller is an authenticated request's origin: who signed it, under which
// nonce (the response is bound to both), and its permit.
type caller struct {
	hotkey string
	nonce  int64
	permit Permit
}

// signedHeader is a signed request's (Infer, GetModel) authentication
// metadata, parsed.
type signedHeader struct {
	caller
	pub, sig string
}

// admit checks what the metadata alone can tell, cheapest first: the four
// keys are present, the nonce is an integer inside the window (at most
// NonceWindow old, NonceFuture ahead, and not older than this process), the
// nonce was not used before, and the hotkey holds a permit. It reads no
// body, so the gRPC tap (tap) runs it before a request's bytes are received:
// a caller without a permit costs the miner no buffering, hashing or
// decoding.
func (s *Server) admit(ctx context.Context, md metadata.MD) (signedHeader, *rejection) {
	get := func(k string) (string, bool) {
		v := md.Get(k)
		if len(v) != 1 || v[0] == "" {
			return "", false
		}
		return v[0], true
	}
	var h signedHeader
	var ok [4]bool
	var nonceStr string
	h.hotkey, ok[0] = get(client.MDHotkey)
	nonceStr, ok[1] = get(client.MDNonce)
	h.pub, ok[2] = get(client.MDPubKey)
	h.sig, ok[3] = get(client.MDSignature)
	if ok != [4]bool{true, true, true, true} {
		return h, reject("unsigned", codes.Unauthenticated,
			"unsigned request: metadata %s, %s, %s and %s are required (see miner/README.md)",
			client.MDHotkey, client.MDNonce, client.MDPubKey, client.MDSignature)
	}
	var err error
	if h.nonce, err = strconv.ParseInt(nonceStr, 10, 64); err != nil {
		return h, reject("bad_signature", codes.Unauthenticated, "%s %q: want unix nanoseconds", client.MDNonce, nonceStr)
	}
	now := s.deps.Clock()
	switch d := now.Sub(time.Unix(0, h.nonce)); {
	case d > s.cfg.NonceWindow || d < -s.cfg.NonceFuture:
		return h, reject("stale_nonce", codes.Unauthenticated,
			"stale nonce: %s is %v from the miner's clock, accepted from %v before to %v after",
			client.MDNonce, d.Round(time.Millisecond), s.cfg.NonceWindow, s.cfg.NonceFuture)
	case h.nonce < s.started:
		return h, reject("stale_nonce", codes.Unauthenticated,
			"stale nonce: %s predates this miner's start %v ago; a request signed before a restart is not accepted after it",
			client.MDNonce, now.Sub(time.Unix(0, s.started)).Round(time.Millisecond))
	}
	if s.nonces.used(h.hotkey, h.nonce) {
		return h, rejectReplay(h.hotkey, h.nonce)
	}
	if h.permit, err = s.deps.Permits.Permit(ctx, h.hotkey); err != nil {
		if errors.Is(err, ErrNoPermit) {
			return h, reject("no_permit", codes.PermissionDenied, "%s may not query netuid %d: %v", h.hotkey, s.cfg.Netuid, err)
		}
		return h, reject("permit_unavailable", codes.Unavailable, "checking %s's permit: %v", h.hotkey, err)
	}
	return h, nil
}

// authenticate admits the request, then verifies its signature over the
// received body's hash, then records its nonce (only a permitted caller's
// verified nonce is recorded, so nobody else can fill the cache).
func (s *Server) authenticate(ctx context.Context, bodyHash [32]byte) (caller, *rejection) {
	md, _ := metadata.FromIncomingContext(ctx)
	h, rej := s.admit(ctx, md)
	if rej != nil {
		return caller{}, rej
	}
	// Only permitted callers get here: the verifier remembers their keys
	// (and then checks their signatures ~2× faster).
	msg := client.RequestSignBytes(bodyHash, h.nonce, s.deps.Signer.Address())
	if err := s.verifier.Verify(h.hotkey, []byte(h.pub), msg, []byte(h.sig), true); err != nil {
		return caller{}, reject("bad_signature", codes.Unauthenticated, "%v (signed bytes: see miner/README.md; miner hotkey %s)", err, s.deps.Signer.Address())
	}
	switch err := s.nonces.add(h.hotkey, h.nonce, s.nonceFloor()); {
	case errors.Is(err, errReplayed):
		return caller{}, rejectReplay(h.hotkey, h.nonce)
	case errors.Is(err, errNonceFull):
		return caller{}, reject("nonce_cache_full", codes.ResourceExhausted,
			"%s has %d requests inside the last %v, the most this miner remembers per caller; retry later",
			h.hotkey, s.cfg.NonceCacheSize, s.cfg.NonceWindow+s.cfg.NonceFuture)
	}
	return h.caller, nil
}

func rejectReplay(hotkey string, nonce int64) *rejection {
	return reject("replayed_nonce", codes.Unauthenticated, "replayed request: nonce %d from %s was already used", nonce, hotkey)
}

// nonceFloor is the oldest nonce admit accepts now.
func (s *Server) nonceFloor() int64 {
	return max(s.deps.Clock().Add(-s.cfg.NonceWindow).UnixNano(), s.started)
}

// tap is the gRPC server's InTapHandle: it runs admit on an Infer or
// GetModel request's headers, before its body is read, and refuses it there
// (with the same status and metric as in the handler). It runs on the
// connection's reader goroutine, so admit must stay a few map reads.
func (s *Server) tap(ctx context.Context, info *tap.Info) (context.Context, error) {
	switch info.FullMethodName {
	case synapsev1.Axon_Infer_FullMethodName, synapsev1.Axon_GetModel_FullMethodName:
	default:
		return ctx, nil
	}
	if _, rej := s.admit(ctx, info.Header); rej != nil {
		s.count(rej)
		return ctx, rej.err
	}
	return ctx, nil
}

func sha256Sum(b []byte) [32]byte { return sha256.Sum256(b) }
