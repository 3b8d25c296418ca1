package client

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	synapsev1 "github.com/assay-network/assay/synapse/v1"
)

// SignRequest returns the metadata that authenticates req to the miner
// minerHotkey, and the request hash the response must echo. The hash is of
// MarshalBody(req): send exactly those bytes (SignEncoded + EncodedRequest)
// or req through an encoder producing the same bytes.
func SignRequest(s Signer, req *synapsev1.InferRequest, minerHotkey string, nonce int64) (metadata.MD, [32]byte, error) {
	body, err := MarshalBody(req)
	if err != nil {
		return nil, [32]byte{}, err
	}
	return SignEncoded(s, body, minerHotkey, nonce)
}

// SignEncoded is SignRequest over an already encoded body.
func SignEncoded(s Signer, body []byte, minerHotkey string, nonce int64) (metadata.MD, [32]byte, error) {
	h := sha256.Sum256(body)
	sig, err := s.Sign(RequestSignBytes(h, nonce, minerHotkey))
	if err != nil {
		return nil, h, fmt.Errorf("synapse: signing request: %w", err)
	}
	md := metadata.Pairs(
		MDHotkey, s.Address(),
		MDNonce, strconv.FormatInt(nonce, 10),
		MDPubKey, string(s.PubKey()),
		MDSignature, string(sig),
	)
	return md, h, nil
}

// Dendrite is the caller side of the synapse protocol: it signs requests
// with a validator hotkey and verifies every answer (remembering the miners'
// keys: the axons it calls come from the metagraph, so they are few).
// Safe for concurrent use.
type Dendrite struct {
	signer   Signer
	now      func() time.Time
	last     atomic.Int64
	verifier Verifier
}

// NewDendrite signs with s; now defaults to time.Now.
func NewDendrite(s Signer, now func() time.Time) *Dendrite {
	if now == nil {
		now = time.Now
	}
	return &Dendrite{signer: s, now: now}
}

// nonce is the clock in unix nanoseconds, bumped so that no two calls from
// this dendrite share one (the miner refuses a repeated nonce as a replay).
func (d *Dendrite) nonce() int64 {
	for {
		last := d.last.Load()
		n := max(d.now().UnixNano(), last+1)
		if d.last.CompareAndSwap(last, n) {
			return n
		}
	}
}

// Axon is one miner endpoint as the chain announces it.
type Axon struct {
	Hotkey    string
	ModelHash string // empty: accept any (still signed)
	Conn      grpc.ClientConnInterface
}

// Infer signs req, calls the miner with timeout (0: the context's own
// deadline) and verifies the response signature (over this request's body,
// nonce and caller) and model hash. A gRPC
// error comes back unchanged, so status.Code works on it.
func (d *Dendrite) Infer(ctx context.Context, ax Axon, req *synapsev1.InferRequest, timeout time.Duration) (*synapsev1.InferResponse, error) {
	body, err := MarshalBody(req)
	if err != nil {
		return nil, err
	}
	return d.InferEncoded(ctx, ax, body, req.GetRows(), timeout)
}

// InferEncoded is Infer for a body already encoded with MarshalBody (of a
// request with rows rows): a validator asking many miners the same
// question encodes it once.
func (d *Dendrite) InferEncoded(ctx context.Context, ax Axon, body []byte, rows uint32, timeout time.Duration) (*synapsev1.InferResponse, error) {
	nonce := d.nonce()
	md, rh, err := SignEncoded(d.signer, body, ax.Hotkey, nonce)
	if err != nil {
		return nil, err
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	ctx = metadata.NewOutgoingContext(ctx, md)
	resp := new(synapsev1.InferResponse)
	// The exact signed bytes go on the wire (RawCodec), not a re-encoding.
	if err := ax.Conn.Invoke(ctx, synapsev1.Axon_Infer_FullMethodName, EncodedRequest(body), resp, grpc.ForceCodecV2(RawCodec{})); err != nil {
		return nil, err
	}
	// Bound to this call: a recorded answer to another request with the same
	// body (another validator's, or an earlier one of ours) does not verify.
	id := RequestID{BodyHash: rh, Nonce: nonce, Caller: d.signer.Address()}
	if err := verifyResponse(&d.verifier, id, resp, ax.Hotkey, ax.ModelHash); err != nil {
		return nil, err
	}
	if resp.Rows != rows {
		return nil, fmt.Errorf("synapse: miner %s answered %d rows for %d inputs", ax.Hotkey, resp.Rows, rows)
	}
	return resp, nil
}
