package miner

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/assay-network/assay/client"
	synapsev1 "github.com/assay-network/assay/synapse/v1"
)

// send signs req as signer with nonce and calls h's miner.
func send(t testing.TB, h *harness, signer client.Signer, req *synapsev1.InferRequest, nonce int64) error {
	t.Helper()
	md, _, err := client.SignRequest(signer, req, h.miner.Address(), nonce)
	if err != nil {
		t.Fatal(err)
	}
	return call(h, req, md)
}

// refused asserts that do fails with code, counted once under reason, and
// returns its error.
func refused(t testing.TB, h *harness, do func() error, code codes.Code, reason string) error {
	t.Helper()
	before := rejections(t, h, reason)
	err := do()
	if st, _ := status.FromError(err); st.Code() != code {
		t.Fatalf("got %v, want %v (%s)", err, code, reason)
	}
	if got := value(t, h.srv.m.rejections.WithLabelValues(reason)) - before; got != 1 {
		t.Errorf("rejections{%s} went up by %v, want 1", reason, got)
	}
	return err
}

func rejections(t testing.TB, h *harness, reason string) float64 {
	return value(t, h.srv.m.rejections.WithLabelValues(reason))
}

// fakeClock is the miner's clock, moved by the test.
type fakeClock struct{ ns atomic.Int64 }

func newFakeClock() *fakeClock {
	c := new(fakeClock)
	c.ns.Store(time.Now().UnixNano())
	return c
}

func (c *fakeClock) Now() time.Time            { return time.Unix(0, c.ns.Load()) }
func (c *fakeClock) Add(d time.Duration) int64 { return c.ns.Add(int64(d)) }
func (c *fakeClock) At(d time.Duration) int64  { return c.ns.Load() + int64(d) }
func withClock(c *fakeClock) func(*Deps)       { return func(d *Deps) { d.Clock = c.Now } }

// alsoPermit gives key a permit besides the harness's validator.
func alsoPermit(d *Deps, key client.Signer) {
	d.Permits.(mapPermits)[key.Address()] = Permit{UID: 2, Stake: 100}
}

// Flush-then-replay: callers without a permit, however many, cannot push a
// validator's nonce out of the cache (they were recorded before their
// permit was checked, into a FIFO they could flush, and the captured
// request was then accepted again).
func TestStrangersCannotFlushNonces(t *testing.T) {
	h := startServer(t, Config{NonceCacheSize: 4}, nil)
	req := request(t, 0, 2)
	md, _, err := client.SignRequest(h.validator, req, h.miner.Address(), time.Now().UnixNano())
	if err != nil {
		t.Fatal(err)
	}
	if err := call(h, req, md); err != nil {
		t.Fatal(err)
	}
	stranger := newKey()
	before := rejections(t, h, "no_permit")
	n := time.Now().UnixNano()
	for i := range 16 {
		if st, _ := status.FromError(send(t, h, stranger, req, n+int64(i))); st.Code() != codes.PermissionDenied {
			t.Fatalf("stranger: %v", st.Err())
		}
	}
	if got := rejections(t, h, "no_permit") - before; got != 16 {
		t.Fatalf("rejections{no_permit} +%v, want 16", got)
	}
	refused(t, h, func() error { return call(h, req, md) }, codes.Unauthenticated, "replayed_nonce")
}

// A caller's live nonces are never evicted: at NonceCacheSize live nonces
// its next request is refused (ResourceExhausted), its old nonces stay
// refused as replays, other callers are unaffected, and the nonces are
// forgotten once they fall out of the window.
func TestNonceCacheRefusesRatherThanEvicts(t *testing.T) {
	clock := newFakeClock()
	other := newKey()
	h := startServer(t, Config{NonceCacheSize: 3, NonceWindow: 30 * time.Second}, func(d *Deps) {
		d.Clock = clock.Now
		alsoPermit(d, other)
	})
	req := request(t, 0, 1)
	for i := range 3 {
		if err := send(t, h, h.validator, req, clock.At(time.Duration(i+1))); err != nil {
			t.Fatalf("nonce %d: %v", i, err)
		}
	}
	refused(t, h, func() error { return send(t, h, h.validator, req, clock.At(4)) }, codes.ResourceExhausted, "nonce_cache_full")
	refused(t, h, func() error { return send(t, h, h.validator, req, clock.At(1)) }, codes.Unauthenticated, "replayed_nonce")
	if err := send(t, h, other, req, clock.At(1)); err != nil {
		t.Fatalf("another caller, same nonce: %v", err)
	}

	clock.Add(30*time.Second + 3) // nonces 1 and 2 are now older than the window, 3 is exactly its age
	if err := send(t, h, h.validator, req, clock.At(0)); err != nil {
		t.Fatalf("after two nonces expired: %v", err)
	}
	if err := send(t, h, h.validator, req, clock.At(1)); err != nil {
		t.Fatalf("second slot: %v", err)
	}
	refused(t, h, func() error { return send(t, h, h.validator, req, clock.At(2)) }, codes.ResourceExhausted, "nonce_cache_full")
	refused(t, h, func() error { return send(t, h, h.validator, req, clock.At(-30*time.Second)) }, codes.Unauthenticated, "replayed_nonce")
	refused(t, h, func() error { return send(t, h, h.validator, req, clock.At(-30*time.Second-2)) }, codes.Unauthenticated, "stale_nonce")
}

// A request captured before the miner restarts is refused after it: its
// nonce predates the new process, whose nonce cache is empty.
func TestReplayAfterRestartRefused(t *testing.T) {
	h1 := startServer(t, Config{}, nil)
	req := request(t, 0, 2)
	nonce := time.Now().UnixNano()
	md, _, err := client.SignRequest(h1.validator, req, h1.miner.Address(), nonce)
	if err != nil {
		t.Fatal(err)
	}
	if err := call(h1, req, md); err != nil {
		t.Fatal(err)
	}
	clock := newFakeClock()
	clock.ns.Store(nonce + int64(time.Second)) // restarted a second later
	h2 := startServer(t, Config{}, func(d *Deps) {
		d.Signer = h1.miner
		d.Permits = mapPermits{h1.validator.Address(): {UID: 1, Stake: 100}}
		d.Clock = clock.Now
	})
	h2.miner = h1.miner
	err = refused(t, h2, func() error { return call(h2, req, md) }, codes.Unauthenticated, "stale_nonce")
	if !strings.Contains(status.Convert(err).Message(), "predates this miner's start") {
		t.Errorf("message %q", status.Convert(err).Message())
	}
	// A new request after the restart is served.
	if err := send(t, h2, h1.validator, req, clock.At(time.Millisecond)); err != nil {
		t.Fatal(err)
	}
}

// A nonce may be at most NonceFuture (5 s) ahead of the miner's clock: a
// nonce dated ahead by the whole past window lived twice as long.
func TestNonceFromTheFuture(t *testing.T) {
	clock := newFakeClock()
	h := startServer(t, Config{}, withClock(clock))
	clock.Add(time.Minute) // the miner has been up a minute: its start is out of the way
	req := request(t, 0, 1)
	refused(t, h, func() error { return send(t, h, h.validator, req, clock.At(6*time.Second)) }, codes.Unauthenticated, "stale_nonce")
	if err := send(t, h, h.validator, req, clock.At(4*time.Second)); err != nil {
		t.Fatalf("4 s ahead: %v", err)
	}
	if err := send(t, h, h.validator, req, clock.At(-29*time.Second)); err != nil {
		t.Fatalf("29 s old: %v", err)
	}
	refused(t, h, func() error { return send(t, h, h.validator, req, clock.At(-31*time.Second)) }, codes.Unauthenticated, "stale_nonce")
}

// The metadata, nonce and permit are checked before a body is read: a
// caller without a permit (or without a signature) sending a body past
// gRPC's own limit is refused for who it is, counted, and its bytes are
// never received (gRPC would have refused the size, uncounted).
func TestRefusedBeforeBodyIsRead(t *testing.T) {
	h := startServer(t, Config{MaxBodyBytes: 64 << 10}, nil)
	big := &synapsev1.InferRequest{Netuid: testNetuid, Rows: 1, Cols: 1, Values: make([]float64, (64<<10+recvMargin)/8+1)}
	refused(t, h, func() error { return send(t, h, newKey(), big, time.Now().UnixNano()) }, codes.PermissionDenied, "no_permit")
	refused(t, h, func() error { return call(h, big, nil) }, codes.Unauthenticated, "unsigned")
	if got := value(t, h.srv.m.requests.WithLabelValues(codes.PermissionDenied.String())); got != 1 {
		t.Errorf("requests{PermissionDenied} = %v, want 1", got)
	}
	// A permitted caller's body past the margin is refused by gRPC itself.
	err := send(t, h, h.validator, big, time.Now().UnixNano())
	if st, _ := status.FromError(err); st.Code() != codes.ResourceExhausted || !strings.Contains(st.Message(), "larger than max") {
		t.Fatalf("permitted, past the margin: %v", err)
	}
}

// replayConn records the miner's answer to each call and, once replay is
// set, answers with the recorded one instead (a man in the middle).
type replayConn struct {
	grpc.ClientConnInterface
	last   *synapsev1.InferResponse
	replay bool
}

func (c *replayConn) Invoke(ctx context.Context, method string, args, reply any, opts ...grpc.CallOption) error {
	out := reply.(*synapsev1.InferResponse)
	if c.replay {
		proto.Merge(out, c.last)
		return nil
	}
	if err := c.ClientConnInterface.Invoke(ctx, method, args, reply, opts...); err != nil {
		return err
	}
	c.last = proto.Clone(out).(*synapsev1.InferResponse)
	return nil
}

// Response reuse: a round sends one body to every miner, so a recorded
// answer to one validator's request must not verify as the answer to
// another request with the same body, another validator's or the same
// validator's later one.
func TestRecordedAnswerNotReusable(t *testing.T) {
	second := newKey()
	h := startServer(t, Config{}, func(d *Deps) { alsoPermit(d, second) })
	conn := &replayConn{ClientConnInterface: h.conn}
	axon := h.axon
	axon.Conn = conn
	req := request(t, 0, 4)
	first := client.NewDendrite(h.validator, nil)
	if _, err := first.Infer(context.Background(), axon, req, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	conn.replay = true
	for name, d := range map[string]*client.Dendrite{"another validator": client.NewDendrite(second, nil), "the same validator later": first} {
		if _, err := d.Infer(context.Background(), axon, req, 5*time.Second); err == nil {
			t.Errorf("%s accepted a recorded answer to another request with the same body", name)
		}
	}
}
