package client

import (
	"context"
	"crypto/sha256"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"

	synapsev1 "github.com/assay-network/assay/synapse/v1"
)

// recordingAxon is a miner reached without a network: it answers each
// request honestly (signed for the request's nonce and caller) and keeps
// the last answer, or, once replay is set, sends that recorded answer
// instead, as a man in the middle would.
type recordingAxon struct {
	miner  Signer
	hash   string
	last   *synapsev1.InferResponse
	replay *synapsev1.InferResponse
}

func (a *recordingAxon) Invoke(ctx context.Context, _ string, args, reply any, _ ...grpc.CallOption) error {
	out := reply.(*synapsev1.InferResponse)
	if a.replay != nil {
		proto.Merge(out, a.replay)
		return nil
	}
	body := args.(EncodedRequest)
	var req synapsev1.InferRequest
	if err := proto.Unmarshal(body, &req); err != nil {
		return err
	}
	md, _ := metadata.FromOutgoingContext(ctx)
	nonce, err := strconv.ParseInt(md.Get(MDNonce)[0], 10, 64)
	if err != nil {
		return err
	}
	resp := &synapsev1.InferResponse{ModelHash: a.hash, Rows: req.Rows, Classes: 2}
	for range req.Rows {
		resp.Probabilities = append(resp.Probabilities, 0.5, 0.5)
	}
	id := RequestID{BodyHash: sha256.Sum256(body), Nonce: nonce, Caller: md.Get(MDHotkey)[0]}
	if err := SignResponse(a.miner, id, resp); err != nil {
		return err
	}
	a.last = resp
	proto.Merge(out, resp)
	return nil
}

func (*recordingAxon) NewStream(context.Context, *grpc.StreamDesc, string, ...grpc.CallOption) (grpc.ClientStream, error) {
	return nil, errors.New("no streams")
}

// A round sends one body to every miner: a recorded answer to it must not
// pass for the answer to another request with the same body, whether
// another validator's or a later one of the same validator's.
func TestDendriteRefusesAnswerToAnotherRequest(t *testing.T) {
	miner := NewPrivKeySigner(secp256k1.GenPrivKey())
	ax := &recordingAxon{miner: miner, hash: strings.Repeat("ab", 32)}
	axon := Axon{Hotkey: miner.Address(), ModelHash: ax.hash, Conn: ax}
	req := testRequest(2)
	first := NewDendrite(NewPrivKeySigner(secp256k1.GenPrivKey()), nil)
	if _, err := first.Infer(context.Background(), axon, req, 0); err != nil {
		t.Fatalf("honest answer: %v", err)
	}
	if err := VerifyResponse(req, ax.last, miner.Address(), ax.hash); err != nil {
		t.Fatalf("a third party re-proves the answer: %v", err)
	}
	ax.replay = ax.last
	for name, d := range map[string]*Dendrite{
		"another validator":  NewDendrite(NewPrivKeySigner(secp256k1.GenPrivKey()), nil),
		"the same one later": first,
	} {
		_, err := d.Infer(context.Background(), axon, req, 0)
		if !errors.Is(err, ErrBadSignature) || !strings.Contains(err.Error(), "answers another request") {
			t.Errorf("%s, same body, replayed answer: %v", name, err)
		}
	}
}

// The response signature covers the nonce and the caller: rewriting either
// in a recorded answer (to make it match another request) breaks it.
func TestResponseSignatureBindsNonceAndCaller(t *testing.T) {
	miner, caller := NewPrivKeySigner(secp256k1.GenPrivKey()), NewPrivKeySigner(secp256k1.GenPrivKey())
	req := testRequest(1)
	hash := strings.Repeat("cd", 32)
	resp := &synapsev1.InferResponse{ModelHash: hash, Rows: 1, Classes: 2, Probabilities: []float64{0.5, 0.5}}
	id := RequestID{BodyHash: mustBodyHash(req), Nonce: 42, Caller: caller.Address()}
	if err := SignResponse(miner, id, resp); err != nil {
		t.Fatal(err)
	}
	if resp.Nonce != 42 || resp.CallerHotkey != caller.Address() {
		t.Fatalf("response names nonce %d, caller %q", resp.Nonce, resp.CallerHotkey)
	}
	for name, edit := range map[string]func(r *synapsev1.InferResponse){
		"nonce":  func(r *synapsev1.InferResponse) { r.Nonce = 43 },
		"caller": func(r *synapsev1.InferResponse) { r.CallerHotkey = miner.Address() },
	} {
		r := proto.Clone(resp).(*synapsev1.InferResponse)
		edit(r)
		if err := VerifyResponse(req, r, miner.Address(), hash); !errors.Is(err, ErrBadSignature) || !strings.Contains(err.Error(), "does not verify") {
			t.Errorf("%s rewritten: %v", name, err)
		}
	}
	if err := SignResponse(miner, RequestID{BodyHash: id.BodyHash, Nonce: 1}, resp); err == nil {
		t.Error("a response signed for no caller")
	}
}
