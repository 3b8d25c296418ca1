// Package client is shared by the miner and the validator: the chain client
// (queries and signed txs) and the synapse client (the dendrite side of the
// Axon protocol), plus the exact byte formats both sides sign and verify.
package client

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/cosmos/cosmos-sdk/types/bech32"
	"google.golang.org/protobuf/proto"

	"github.com/assay-network/assay/app/params"
	synapsev1 "github.com/assay-network/assay/synapse/v1"
)

// Bech32Prefix is the account prefix of hotkeys, the app's (DESIGN §2).
// Addresses are encoded here without the SDK's global config, so a library
// user need not set it up first.
const Bech32Prefix = params.Bech32Prefix

// gRPC metadata keys of a signed Infer request. Keys ending in "-bin" carry
// raw bytes (gRPC base64-encodes them on the wire).
const (
	MDHotkey    = "x-assay-hotkey"        // caller hotkey, bech32
	MDNonce     = "x-assay-nonce"         // unix nanoseconds, decimal
	MDPubKey    = "x-assay-pubkey-bin"    // caller's compressed secp256k1 key, 33 bytes
	MDSignature = "x-assay-signature-bin" // 64-byte r‖s signature over RequestSignBytes
)

// Domain tags make a request signature useless as a response signature (and
// neither can pass for a Cosmos SignDoc, which is a protobuf message), even
// though the same hotkeys sign all three.
const (
	requestTag  = "assay/synapse/v1/infer-request\n"
	responseTag = "assay/synapse/v1/infer-response\n"
)

// ErrBadSignature is returned when a signature, key or address does not check out.
var ErrBadSignature = errors.New("synapse: bad signature")

// NewInferRequest packs rows (each the same length) into a request's
// row-major matrix. The rows are copied.
func NewInferRequest(netuid uint16, rows [][]float64) *synapsev1.InferRequest {
	req := &synapsev1.InferRequest{Netuid: uint32(netuid), Rows: uint32(len(rows))}
	if len(rows) > 0 {
		req.Cols = uint32(len(rows[0]))
		req.Values = make([]float64, 0, len(rows)*len(rows[0]))
	}
	for _, r := range rows {
		req.Values = append(req.Values, r...)
	}
	return req
}

// RequestRows checks req's shape (rows × cols = len(values)) and returns its
// rows as sub-slices of req.Values (not copies). Errors name the field.
func RequestRows(req *synapsev1.InferRequest) ([][]float64, error) {
	return matrixRows(req.GetRows(), req.GetCols(), req.GetValues(), "rows", "cols", "values")
}

// ResponseRows checks resp's shape (rows × classes = len(probabilities)) and
// returns its rows as sub-slices of resp.Probabilities.
func ResponseRows(resp *synapsev1.InferResponse) ([][]float64, error) {
	return matrixRows(resp.GetRows(), resp.GetClasses(), resp.GetProbabilities(), "rows", "classes", "probabilities")
}

func matrixRows(rows, cols uint32, v []float64, rowsName, colsName, valuesName string) ([][]float64, error) {
	if uint64(rows)*uint64(cols) != uint64(len(v)) {
		return nil, fmt.Errorf("%s: %d values, want %s × %s = %d × %d = %d", valuesName, len(v), rowsName, colsName, rows, cols, uint64(rows)*uint64(cols))
	}
	out := make([][]float64, rows)
	c := int(cols)
	for i := range out {
		out[i] = v[i*c : (i+1)*c : (i+1)*c]
	}
	return out, nil
}

// MarshalBody is the canonical request body: deterministic protobuf (fields
// in number order, values packed). The request hash is sha256 of the exact
// bytes sent; clients send this encoding (Dendrite does), so that anyone
// holding the decoded request can recompute the hash.
func MarshalBody(req *synapsev1.InferRequest) ([]byte, error) {
	return proto.MarshalOptions{Deterministic: true}.Marshal(req)
}

// BodyHash is sha256 of the canonical body: the "request hash".
func BodyHash(req *synapsev1.InferRequest) ([32]byte, error) {
	b, err := MarshalBody(req)
	if err != nil {
		return [32]byte{}, err
	}
	return sha256.Sum256(b), nil
}

// RequestSignBytes is what the caller's hotkey signs:
// tag ‖ sha256(body) (32 bytes) ‖ nonce (uint64 big-endian) ‖ miner hotkey (bech32 ASCII).
func RequestSignBytes(bodyHash [32]byte, nonce int64, minerHotkey string) []byte {
	b := make([]byte, 0, len(requestTag)+32+8+len(minerHotkey))
	b = append(b, requestTag...)
	b = append(b, bodyHash[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(nonce))
	return append(b, minerHotkey...)
}

// OutputsHash is sha256 over rows (uint32 BE), classes (uint32 BE), then
// each probability's IEEE-754 bits (uint64 BE), row-major. Bit-exact: it
// proves what was answered, not what a tolerance would accept.
func OutputsHash(rows, classes uint32, probabilities []float64) [32]byte {
	bp := hashBufs.Get().(*[]byte)
	b := binary.BigEndian.AppendUint32((*bp)[:0], rows)
	b = binary.BigEndian.AppendUint32(b, classes)
	for _, v := range probabilities {
		b = binary.BigEndian.AppendUint64(b, math.Float64bits(v))
	}
	sum := sha256.Sum256(b)
	*bp = b
	hashBufs.Put(bp)
	return sum
}

var hashBufs = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

func outputsHashOf(resp *synapsev1.InferResponse) [32]byte {
	return OutputsHash(resp.GetRows(), resp.GetClasses(), resp.GetProbabilities())
}

// RequestID names one signed request, which a response is bound to: the
// body's hash, the nonce and the caller who signed it. The miner called is
// the response's signer.
type RequestID struct {
	BodyHash [32]byte
	Nonce    int64
	Caller   string // the caller's hotkey, bech32
}

// ResponseSignBytes is what the miner's hotkey signs:
// tag ‖ sha256(RequestSignBytes(id.BodyHash, id.Nonce, minerHotkey)) (32) ‖
// outputs hash (32) ‖ model hash (32 raw bytes of the hex SHA-256) ‖ caller hotkey (bech32 ASCII).
// The request's sign bytes carry its nonce and the miner called, so a
// recorded answer verifies for no other request, even one with the same body.
func ResponseSignBytes(id RequestID, minerHotkey string, outputsHash [32]byte, modelHash string) ([]byte, error) {
	mh, err := hex.DecodeString(modelHash)
	if err != nil || len(mh) != 32 {
		return nil, fmt.Errorf("synapse: model hash %q is not 64 hex digits", modelHash)
	}
	if id.Caller == "" {
		return nil, errors.New("synapse: a response names the caller it answers (caller hotkey is empty)")
	}
	rq := sha256.Sum256(RequestSignBytes(id.BodyHash, id.Nonce, minerHotkey))
	b := make([]byte, 0, len(responseTag)+96+len(id.Caller))
	b = append(b, responseTag...)
	b = append(b, rq[:]...)
	b = append(b, outputsHash[:]...)
	b = append(b, mh...)
	return append(b, id.Caller...), nil
}

// AddressOf is the bech32 account address of a compressed secp256k1 key.
func AddressOf(pubKey []byte) (string, error) {
	if len(pubKey) != secp256k1.PubKeySize {
		return "", fmt.Errorf("%w: public key has %d bytes, want %d (compressed secp256k1)", ErrBadSignature, len(pubKey), secp256k1.PubKeySize)
	}
	pk := &secp256k1.PubKey{Key: pubKey}
	return bech32.ConvertAndEncode(Bech32Prefix, pk.Address())
}

// VerifySignature checks that pubKey belongs to address and signed msg,
// under the one signature rule of every path (verify.go).
func VerifySignature(address string, pubKey, msg, sig []byte) error {
	addr, err := AddressOf(pubKey)
	if err != nil {
		return err
	}
	if addr != address {
		return fmt.Errorf("%w: public key is %s's, not %s's", ErrBadSignature, addr, address)
	}
	if !canonicalScalars(sig) || !(&secp256k1.PubKey{Key: pubKey}).VerifySignature(msg, sig) {
		return errSigDoesNotVerify(address)
	}
	return nil
}

func errSigDoesNotVerify(address string) error {
	return fmt.Errorf("%w: signature by %s does not verify", ErrBadSignature, address)
}

// SignResponse binds resp to the request id (filling its request hash,
// nonce and caller) and signs it as s, filling the miner identity and
// signature.
func SignResponse(s Signer, id RequestID, resp *synapsev1.InferResponse) error {
	msg, err := ResponseSignBytes(id, s.Address(), outputsHashOf(resp), resp.ModelHash)
	if err != nil {
		return err
	}
	sig, err := s.Sign(msg)
	if err != nil {
		return fmt.Errorf("synapse: signing response: %w", err)
	}
	resp.RequestHash = bytes.Clone(id.BodyHash[:])
	resp.Nonce = id.Nonce
	resp.CallerHotkey = id.Caller
	resp.MinerHotkey = s.Address()
	resp.MinerPubkey = s.PubKey()
	resp.Signature = sig
	return nil
}

// VerifyResponse proves what a miner answered: resp must be signed by
// minerHotkey over (req's hash, the nonce and caller resp names, resp's
// outputs, wantModelHash). An empty wantModelHash accepts whatever model
// hash the response names (the signature still binds it). Anyone holding
// req and resp can re-run this; who asked, and when, is resp's CallerHotkey
// and Nonce.
func VerifyResponse(req *synapsev1.InferRequest, resp *synapsev1.InferResponse, minerHotkey, wantModelHash string) error {
	rh, err := BodyHash(req)
	if err != nil {
		return err
	}
	return verifyResponse(nil, RequestID{BodyHash: rh, Nonce: resp.GetNonce(), Caller: resp.GetCallerHotkey()}, resp, minerHotkey, wantModelHash)
}

// verifyResponse is VerifyResponse for the request id; v (optional)
// remembers the miner's key.
func verifyResponse(v *Verifier, id RequestID, resp *synapsev1.InferResponse, minerHotkey, wantModelHash string) error {
	if _, err := ResponseRows(resp); err != nil {
		return fmt.Errorf("synapse: malformed response: %w", err)
	}
	if len(resp.RequestHash) != 32 || [32]byte(resp.RequestHash) != id.BodyHash {
		return fmt.Errorf("%w: response answers another request (request_hash mismatch)", ErrBadSignature)
	}
	if resp.Nonce != id.Nonce || resp.CallerHotkey != id.Caller {
		return fmt.Errorf("%w: response answers another request (nonce %d from %q, want nonce %d from %s)",
			ErrBadSignature, resp.Nonce, resp.CallerHotkey, id.Nonce, id.Caller)
	}
	if resp.MinerHotkey != minerHotkey {
		return fmt.Errorf("%w: response signed as %q, want miner %s", ErrBadSignature, resp.MinerHotkey, minerHotkey)
	}
	if wantModelHash != "" && resp.ModelHash != wantModelHash {
		return fmt.Errorf("synapse: miner %s serves model %s, its axon announces %s", minerHotkey, resp.ModelHash, wantModelHash)
	}
	msg, err := ResponseSignBytes(id, minerHotkey, outputsHashOf(resp), resp.ModelHash)
	if err != nil {
		return err
	}
	if v != nil {
		return v.Verify(minerHotkey, resp.MinerPubkey, msg, resp.Signature, true)
	}
	return VerifySignature(minerHotkey, resp.MinerPubkey, msg, resp.Signature)
}
