// Package client is shared by the miner and the validator: the chain client
// (queries and signed txs) and the synapse client (the dendrite side of the
// Axon protocol), plus the exact byte formats both sides sign and verify.
package client

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/cosmos/cosmos-sdk/types/bech32"
	"google.golang.org/protobuf/proto"

	"github.com/assay-network/assay/client/synapsev1"
)

// Bech32Prefix is the account prefix of hotkeys (DESIGN §2). Addresses are
// encoded here without the SDK's global config, so a library user need not
// set it up first.
const Bech32Prefix = "assay"

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

// MarshalBody is the canonical request body: deterministic protobuf.
// Both sides hash these bytes, so the miner re-marshals what it decoded
// rather than trusting any particular client encoder.
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

// OutputsHash is sha256 over rows (uint32 BE), then per row its length
// (uint32 BE) and each probability's IEEE-754 bits (uint64 BE). Bit-exact:
// it proves what was answered, not what a tolerance would accept.
func OutputsHash(outputs []*synapsev1.Probabilities) [32]byte {
	h := sha256.New()
	var buf [8]byte
	binary.BigEndian.PutUint32(buf[:4], uint32(len(outputs)))
	h.Write(buf[:4])
	for _, row := range outputs {
		binary.BigEndian.PutUint32(buf[:4], uint32(len(row.GetValues())))
		h.Write(buf[:4])
		for _, v := range row.GetValues() {
			binary.BigEndian.PutUint64(buf[:], math.Float64bits(v))
			h.Write(buf[:])
		}
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// ResponseSignBytes is what the miner's hotkey signs:
// tag ‖ request hash (32) ‖ outputs hash (32) ‖ model hash (32 raw bytes of the hex SHA-256).
func ResponseSignBytes(requestHash, outputsHash [32]byte, modelHash string) ([]byte, error) {
	mh, err := hex.DecodeString(modelHash)
	if err != nil || len(mh) != 32 {
		return nil, fmt.Errorf("synapse: model hash %q is not 64 hex digits", modelHash)
	}
	b := make([]byte, 0, len(responseTag)+96)
	b = append(b, responseTag...)
	b = append(b, requestHash[:]...)
	b = append(b, outputsHash[:]...)
	return append(b, mh...), nil
}

// AddressOf is the bech32 account address of a compressed secp256k1 key.
func AddressOf(pubKey []byte) (string, error) {
	if len(pubKey) != secp256k1.PubKeySize {
		return "", fmt.Errorf("%w: public key has %d bytes, want %d (compressed secp256k1)", ErrBadSignature, len(pubKey), secp256k1.PubKeySize)
	}
	pk := &secp256k1.PubKey{Key: pubKey}
	return bech32.ConvertAndEncode(Bech32Prefix, pk.Address())
}

// VerifySignature checks that pubKey belongs to address and signed msg.
func VerifySignature(address string, pubKey, msg, sig []byte) error {
	addr, err := AddressOf(pubKey)
	if err != nil {
		return err
	}
	if addr != address {
		return fmt.Errorf("%w: public key is %s's, not %s's", ErrBadSignature, addr, address)
	}
	if !(&secp256k1.PubKey{Key: pubKey}).VerifySignature(msg, sig) {
		return errSigDoesNotVerify(address)
	}
	return nil
}

func errSigDoesNotVerify(address string) error {
	return fmt.Errorf("%w: signature by %s does not verify", ErrBadSignature, address)
}

// SignResponse fills resp's request hash, miner identity and signature.
func SignResponse(s Signer, requestHash [32]byte, resp *synapsev1.InferResponse) error {
	msg, err := ResponseSignBytes(requestHash, OutputsHash(resp.Outputs), resp.ModelHash)
	if err != nil {
		return err
	}
	sig, err := s.Sign(msg)
	if err != nil {
		return fmt.Errorf("synapse: signing response: %w", err)
	}
	resp.RequestHash = requestHash[:]
	resp.MinerHotkey = s.Address()
	resp.MinerPubkey = s.PubKey()
	resp.Signature = sig
	return nil
}

// VerifyResponse proves what a miner answered: resp must be signed by
// minerHotkey over (the hash of req, resp's outputs, wantModelHash). An
// empty wantModelHash accepts whatever model hash the response names (the
// signature still binds it). Anyone holding req and resp can re-run this.
func VerifyResponse(req *synapsev1.InferRequest, resp *synapsev1.InferResponse, minerHotkey, wantModelHash string) error {
	rh, err := BodyHash(req)
	if err != nil {
		return err
	}
	return verifyResponse(nil, rh, resp, minerHotkey, wantModelHash)
}

// verifyResponse is VerifyResponse given the request hash; v (optional)
// remembers the miner's key.
func verifyResponse(v *Verifier, rh [32]byte, resp *synapsev1.InferResponse, minerHotkey, wantModelHash string) error {
	if len(resp.RequestHash) != 32 || [32]byte(resp.RequestHash) != rh {
		return fmt.Errorf("%w: response answers another request (request_hash mismatch)", ErrBadSignature)
	}
	if resp.MinerHotkey != minerHotkey {
		return fmt.Errorf("%w: response signed as %q, want miner %s", ErrBadSignature, resp.MinerHotkey, minerHotkey)
	}
	if wantModelHash != "" && resp.ModelHash != wantModelHash {
		return fmt.Errorf("synapse: miner %s serves model %s, its axon announces %s", minerHotkey, resp.ModelHash, wantModelHash)
	}
	msg, err := ResponseSignBytes(rh, OutputsHash(resp.Outputs), resp.ModelHash)
	if err != nil {
		return err
	}
	if v != nil {
		return v.Verify(minerHotkey, resp.MinerPubkey, msg, resp.Signature, true)
	}
	return VerifySignature(minerHotkey, resp.MinerPubkey, msg, resp.Signature)
}
