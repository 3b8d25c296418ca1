package client

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"

	synapsev1 "github.com/assay-network/assay/synapse/v1"
)

// MaxModelChunk is the most model-file bytes one ModelChunk carries
// (DESIGN §12): miners send at most this, FetchModel refuses more.
const MaxModelChunk = 1 << 20

// chunkRecvLimit is the largest ModelChunk message FetchModel receives: a
// full chunk plus its three fields' framing.
const chunkRecvLimit = MaxModelChunk + 64

var (
	// ErrModelHashMismatch: the fetched file's SHA-256 is not the expected model hash.
	ErrModelHashMismatch = errors.New("synapse: model hash mismatch")
	// ErrModelTooLarge: the miner announced or streamed more bytes than the caller's cap or its own total_size.
	ErrModelTooLarge = errors.New("synapse: model too large")
	// ErrModelStream: the chunks do not reassemble into one file (gap, overlap, changed total_size, empty or oversized chunk, early end).
	ErrModelStream = errors.New("synapse: bad model stream")
)

// MarshalModelRequest is the canonical GetModel body, signed like an
// Infer body.
func MarshalModelRequest(req *synapsev1.GetModelRequest) ([]byte, error) {
	return proto.MarshalOptions{Deterministic: true}.Marshal(req)
}

// FetchModel downloads the model file ax serves with a signed GetModel
// call and returns its bytes once their SHA-256 is ax.ModelHash (the
// on-chain hash). It reads at most maxBytes of model (a miner announcing
// more is refused at its first chunk) and holds at most one chunk beyond
// what it keeps; timeout (0: the context's own deadline) bounds the whole
// download, so a miner that stalls mid-stream costs no more than that. A
// gRPC error (refusal, deadline) comes back unchanged, so status.Code works
// on it; a stream that does not reassemble or verify is an error wrapping
// ErrModelTooLarge, ErrModelStream or ErrModelHashMismatch.
func (d *Dendrite) FetchModel(ctx context.Context, ax Axon, maxBytes int64, timeout time.Duration) ([]byte, error) {
	if ax.ModelHash == "" {
		return nil, fmt.Errorf("synapse: fetching %s's model: no expected model hash", ax.Hotkey)
	}
	if maxBytes <= 0 {
		return nil, fmt.Errorf("synapse: fetching %s's model: maxBytes %d, want > 0", ax.Hotkey, maxBytes)
	}
	body, err := MarshalModelRequest(&synapsev1.GetModelRequest{ModelHash: ax.ModelHash})
	if err != nil {
		return nil, err
	}
	md, _, err := SignEncoded(d.signer, body, ax.Hotkey, d.nonce())
	if err != nil {
		return nil, err
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	// Cancelling ends the stream when FetchModel returns early (an error,
	// or the file complete before the miner closes the stream).
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ctx = metadata.NewOutgoingContext(ctx, md)
	desc := &grpc.StreamDesc{StreamName: "GetModel", ServerStreams: true}
	stream, err := ax.Conn.NewStream(ctx, desc, synapsev1.Axon_GetModel_FullMethodName,
		grpc.ForceCodecV2(RawCodec{}), grpc.MaxCallRecvMsgSize(chunkRecvLimit))
	if err != nil {
		return nil, err
	}
	// The exact signed bytes go on the wire (RawCodec), not a re-encoding.
	if err := stream.SendMsg(EncodedRequest(body)); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if err := stream.CloseSend(); err != nil {
		return nil, err
	}
	file, err := reassemble(stream, maxBytes)
	if err != nil {
		return nil, fmt.Errorf("fetching %s's model %s: %w", ax.Hotkey, ax.ModelHash, err)
	}
	if got := sha256.Sum256(file); hex.EncodeToString(got[:]) != ax.ModelHash {
		return nil, fmt.Errorf("%w: %s served a file of %d bytes with SHA-256 %x, the expected model hash is %s",
			ErrModelHashMismatch, ax.Hotkey, len(file), got, ax.ModelHash)
	}
	return file, nil
}

// reassemble reads chunks until total_size bytes have arrived: every chunk
// non-empty, at most MaxModelChunk, at the offset where the previous one
// ended, under the same total_size, which is at most maxBytes. A gRPC
// error is returned unchanged (wrapped with %w, so status.Code still
// reads it).
func reassemble(stream grpc.ClientStream, maxBytes int64) ([]byte, error) {
	var file []byte
	var total uint64
	for i := 0; ; i++ {
		var c synapsev1.ModelChunk
		if err := stream.RecvMsg(&c); err != nil {
			if errors.Is(err, io.EOF) {
				if i == 0 {
					return nil, fmt.Errorf("%w: the stream ended without a chunk", ErrModelStream)
				}
				return nil, fmt.Errorf("%w: the stream ended at byte %d of total_size %d", ErrModelStream, len(file), total)
			}
			return nil, err
		}
		if i == 0 {
			total = c.TotalSize
			switch {
			case total == 0:
				return nil, fmt.Errorf("%w: total_size 0", ErrModelStream)
			case total > uint64(maxBytes):
				return nil, fmt.Errorf("%w: total_size %d bytes, the cap is %d", ErrModelTooLarge, total, maxBytes)
			}
			file = make([]byte, 0, total)
		}
		switch n := uint64(len(c.Data)); {
		case c.TotalSize != total:
			return nil, fmt.Errorf("%w: chunk %d: total_size %d, the first chunk said %d", ErrModelStream, i, c.TotalSize, total)
		case c.Offset != uint64(len(file)):
			return nil, fmt.Errorf("%w: chunk %d: offset %d, want %d (the end of the bytes received so far)", ErrModelStream, i, c.Offset, len(file))
		case n == 0 || n > MaxModelChunk:
			return nil, fmt.Errorf("%w: chunk %d at offset %d: %d bytes, want 1..%d", ErrModelStream, i, c.Offset, n, MaxModelChunk)
		case c.Offset+n > total:
			return nil, fmt.Errorf("%w: chunk %d at offset %d: %d bytes run past total_size %d", ErrModelTooLarge, i, c.Offset, n, total)
		}
		file = append(file, c.Data...)
		if uint64(len(file)) == total {
			return file, nil
		}
	}
}
