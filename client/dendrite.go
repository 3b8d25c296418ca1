package client

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/assay-network/assay/client/synapsev1"
)

// SignRequest returns the metadata that authenticates req to the miner
// minerHotkey, and the request hash the response must echo.
func SignRequest(s Signer, req *synapsev1.InferRequest, minerHotkey string, nonce int64) (metadata.MD, [32]byte, error) {
	h, err := BodyHash(req)
	if err != nil {
		return nil, h, err
	}
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
// deadline) and verifies the response signature and model hash. A gRPC
// error comes back unchanged, so status.Code works on it.
func (d *Dendrite) Infer(ctx context.Context, ax Axon, req *synapsev1.InferRequest, timeout time.Duration) (*synapsev1.InferResponse, error) {
	md, rh, err := SignRequest(d.signer, req, ax.Hotkey, d.nonce())
	if err != nil {
		return nil, err
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	ctx = metadata.NewOutgoingContext(ctx, md)
	resp, err := synapsev1.NewAxonClient(ax.Conn).Infer(ctx, req)
	if err != nil {
		return nil, err
	}
	if err := verifyResponse(&d.verifier, rh, resp, ax.Hotkey, ax.ModelHash); err != nil {
		return nil, err
	}
	if len(resp.Outputs) != len(req.Inputs) {
		return nil, fmt.Errorf("synapse: miner %s answered %d rows for %d inputs", ax.Hotkey, len(resp.Outputs), len(req.Inputs))
	}
	return resp, nil
}
