package miner

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/miner/model"
	synapsev1 "github.com/assay-network/assay/synapse/v1"
)

// signModelRequest signs a GetModel request for hash as signer with nonce.
func signModelRequest(t testing.TB, h *harness, signer client.Signer, hash string, nonce int64) (metadata.MD, []byte) {
	t.Helper()
	body, err := client.MarshalModelRequest(&synapsev1.GetModelRequest{ModelHash: hash})
	if err != nil {
		t.Fatal(err)
	}
	md, _, err := client.SignEncoded(signer, body, h.miner.Address(), nonce)
	if err != nil {
		t.Fatal(err)
	}
	return md, body
}

// getModel calls GetModel with md and body as they are and returns every
// chunk until the stream ends.
func getModel(h *harness, md metadata.MD, body []byte) ([]*synapsev1.ModelChunk, error) {
	ctx, cancel := context.WithTimeout(metadata.NewOutgoingContext(context.Background(), md), 10*time.Second)
	defer cancel()
	stream, err := h.conn.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true}, synapsev1.Axon_GetModel_FullMethodName,
		grpc.ForceCodecV2(client.RawCodec{}))
	if err != nil {
		return nil, err
	}
	if err := stream.SendMsg(client.EncodedRequest(body)); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if err := stream.CloseSend(); err != nil {
		return nil, err
	}
	var chunks []*synapsev1.ModelChunk
	for {
		c := new(synapsev1.ModelChunk)
		if err := stream.RecvMsg(c); errors.Is(err, io.EOF) {
			return chunks, nil
		} else if err != nil {
			return chunks, err
		}
		chunks = append(chunks, c)
	}
}

// The dendrite fetches the exact bytes of the model file the miner loaded,
// and they hash to the model hash the miner serves.
func TestGetModelRoundTrip(t *testing.T) {
	h := startServer(t, Config{}, nil)
	want, err := h.srv.deps.Model.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	got, err := client.NewDendrite(h.validator, nil).FetchModel(context.Background(), h.axon, 64<<20, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("fetched %d bytes, the model file is %d bytes and differs", len(got), len(want))
	}
	if hash := model.HashBytes(got); hash != h.axon.ModelHash {
		t.Fatalf("fetched file hashes to %s, the miner serves %s", hash, h.axon.ModelHash)
	}
	if n := value(t, h.srv.m.requests.WithLabelValues(codes.OK.String())); n != 1 {
		t.Errorf("requests{OK} = %v, want 1", n)
	}
}

// A file over 1 MiB goes in contiguous chunks of at most 1 MiB, each with
// the file's total size, and the dendrite reassembles it.
func TestGetModelChunksLargeFile(t *testing.T) {
	file := make([]byte, 2*client.MaxModelChunk+12345)
	if _, err := rand.Read(file); err != nil {
		t.Fatal(err)
	}
	h := startServer(t, Config{}, func(d *Deps) { d.ModelFile = file })
	if h.axon.ModelHash != model.HashBytes(file) {
		t.Fatalf("served hash %s is not the file's", h.axon.ModelHash)
	}
	md, body := signModelRequest(t, h, h.validator, h.axon.ModelHash, time.Now().UnixNano())
	chunks, err := getModel(h, md, body)
	if err != nil {
		t.Fatal(err)
	}
	wantSizes := []int{client.MaxModelChunk, client.MaxModelChunk, 12345}
	if len(chunks) != len(wantSizes) {
		t.Fatalf("%d chunks, want %d", len(chunks), len(wantSizes))
	}
	off := 0
	for i, c := range chunks {
		if len(c.Data) != wantSizes[i] || c.Offset != uint64(off) || c.TotalSize != uint64(len(file)) {
			t.Fatalf("chunk %d: %d bytes at %d of %d, want %d at %d of %d", i, len(c.Data), c.Offset, c.TotalSize, wantSizes[i], off, len(file))
		}
		if !bytes.Equal(c.Data, file[off:off+len(c.Data)]) {
			t.Fatalf("chunk %d: bytes differ from the file's", i)
		}
		off += len(c.Data)
	}
	got, err := client.NewDendrite(h.validator, nil).FetchModel(context.Background(), h.axon, int64(len(file)), 10*time.Second)
	if err != nil || !bytes.Equal(got, file) {
		t.Fatalf("FetchModel: %d bytes, %v", len(got), err)
	}
}

// GetModel is refused like Infer, with the same codes and reasons: no
// signature, a caller without a permit, a replayed nonce, a signature over
// other bytes, a stale nonce.
func TestGetModelRefusedLikeInfer(t *testing.T) {
	clock := newFakeClock()
	h := startServer(t, Config{}, withClock(clock))
	hash := h.axon.ModelHash

	_, body := signModelRequest(t, h, h.validator, hash, clock.At(1))
	refused(t, h, func() error { _, err := getModel(h, nil, body); return err }, codes.Unauthenticated, "unsigned")

	stranger := newKey()
	md, body := signModelRequest(t, h, stranger, hash, clock.At(2))
	refused(t, h, func() error { _, err := getModel(h, md, body); return err }, codes.PermissionDenied, "no_permit")

	md, body = signModelRequest(t, h, h.validator, hash, clock.At(3))
	if _, err := getModel(h, md, body); err != nil {
		t.Fatal(err)
	}
	refused(t, h, func() error { _, err := getModel(h, md, body); return err }, codes.Unauthenticated, "replayed_nonce")

	md, _ = signModelRequest(t, h, h.validator, hash, clock.At(4))
	_, other := signModelRequest(t, h, h.validator, strings.Repeat("0", 64), clock.At(4))
	refused(t, h, func() error { _, err := getModel(h, md, other); return err }, codes.Unauthenticated, "bad_signature")

	md, body = signModelRequest(t, h, h.validator, hash, clock.At(-time.Hour))
	refused(t, h, func() error { _, err := getModel(h, md, body); return err }, codes.Unauthenticated, "stale_nonce")

	// An Infer nonce is spent for GetModel too: one nonce cache per caller.
	req := request(t, 0, 1)
	if err := send(t, h, h.validator, req, clock.At(5)); err != nil {
		t.Fatal(err)
	}
	md, body = signModelRequest(t, h, h.validator, hash, clock.At(5))
	refused(t, h, func() error { _, err := getModel(h, md, body); return err }, codes.Unauthenticated, "replayed_nonce")
}

// A request naming another model is NotFound, naming both hashes, and
// streams nothing.
func TestGetModelWrongHash(t *testing.T) {
	h := startServer(t, Config{}, nil)
	other := strings.Repeat("ab", 32)
	md, body := signModelRequest(t, h, h.validator, other, time.Now().UnixNano())
	var chunks []*synapsev1.ModelChunk
	err := refused(t, h, func() (err error) { chunks, err = getModel(h, md, body); return err }, codes.NotFound, "unknown_model")
	if msg := status.Convert(err).Message(); !strings.Contains(msg, other) || !strings.Contains(msg, h.axon.ModelHash) {
		t.Errorf("message %q names not both %s and %s", msg, other, h.axon.ModelHash)
	}
	if len(chunks) != 0 {
		t.Errorf("%d chunks streamed before the refusal", len(chunks))
	}
	ax := h.axon
	ax.ModelHash = other
	if _, err := client.NewDendrite(h.validator, nil).FetchModel(context.Background(), ax, 64<<20, 10*time.Second); status.Code(err) != codes.NotFound {
		t.Errorf("FetchModel of another hash: %v, want NotFound", err)
	}
}

// New refuses a model hash that is not the served file's: a miner streams
// the file whose hash it publishes.
func TestNewRefusesHashOfAnotherFile(t *testing.T) {
	_, m := fixture(t)
	_, err := New(Config{Netuid: testNetuid}, Deps{Model: m, ModelHash: strings.Repeat("ab", 32), Signer: newKey(), Permits: mapPermits{}})
	if err == nil || !strings.Contains(err.Error(), "not the hash of the model file served") {
		t.Fatalf("New with a foreign hash: %v", err)
	}
}

// The miner README's GetModel limits: a body over 1 KiB is refused as
// oversized before it is read, and signed bytes that are not a
// GetModelRequest are malformed; neither streams a byte of the model.
func TestGetModelRefusesOversizedAndMalformed(t *testing.T) {
	clock := newFakeClock()
	h := startServer(t, Config{}, withClock(clock))
	sign := func(body []byte, nonce int64) metadata.MD {
		md, _, err := client.SignEncoded(h.validator, body, h.miner.Address(), nonce)
		if err != nil {
			t.Fatal(err)
		}
		return md
	}
	var chunks []*synapsev1.ModelChunk
	get := func(md metadata.MD, body []byte) func() error {
		return func() error {
			var err error
			chunks, err = getModel(h, md, body)
			return err
		}
	}

	// A valid request padded with an unknown field (tag 15, bytes) to n bytes.
	padded := func(n int) []byte {
		b, err := client.MarshalModelRequest(&synapsev1.GetModelRequest{ModelHash: h.axon.ModelHash})
		if err != nil {
			t.Fatal(err)
		}
		pad := bytes.Repeat([]byte{'x'}, n-len(b)-3)
		return append(append(b, 0x7a, byte(len(pad)&0x7f|0x80), byte(len(pad)>>7)), pad...)
	}
	big := padded(maxModelRequestBytes + 1)
	err := refused(t, h, get(sign(big, clock.At(1)), big), codes.ResourceExhausted, "oversized")
	if !strings.Contains(err.Error(), "limit 1024") || len(chunks) != 0 {
		t.Fatalf("oversized: %v, %d chunks", err, len(chunks))
	}

	garbage := []byte{0xff, 0xff, 0xff, 0xff}
	err = refused(t, h, get(sign(garbage, clock.At(2)), garbage), codes.InvalidArgument, "malformed")
	if !strings.Contains(err.Error(), "not a GetModelRequest") || len(chunks) != 0 {
		t.Fatalf("malformed: %v, %d chunks", err, len(chunks))
	}

	// Exactly at the limit is served: the limit is on the body's size.
	atLimit := padded(maxModelRequestBytes)
	if len(atLimit) != 1024 {
		t.Fatalf("built a %d-byte body", len(atLimit))
	}
	if _, err := getModel(h, sign(atLimit, clock.At(3)), atLimit); err != nil {
		t.Fatalf("a 1 KiB request: %v", err)
	}
}
