package client

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	dsecp "github.com/decred/dcrd/dcrec/secp256k1/v4"

	synapsev1 "github.com/assay-network/assay/synapse/v1"
)

// The table verifier must agree with the SDK's verification on good
// signatures, on every kind of bad one, and on high-S (malleated) ones.
func TestVerifyTableMatchesSDK(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 40
	if testing.Short() {
		n = 10
	}
	for i := range n {
		k := secp256k1.GenPrivKey()
		pub := k.PubKey().(*secp256k1.PubKey)
		pk, err := dsecp.ParsePubKey(pub.Key)
		if err != nil {
			t.Fatal(err)
		}
		tab := newPubKeyTable(pk)
		other := secp256k1.GenPrivKey()
		for j := range 8 {
			msg := make([]byte, rng.IntN(200))
			for b := range msg {
				msg[b] = byte(rng.Uint32())
			}
			good, _ := k.Sign(msg)
			cases := map[string][]byte{"good": good}
			flip := bytes.Clone(good)
			flip[rng.IntN(64)] ^= 1 << rng.IntN(8)
			cases["bitflip"] = flip
			cases["other key"], _ = other.Sign(msg)
			cases["short"] = good[:63]
			cases["zero r"] = append(make([]byte, 32), good[32:]...)
			cases["zero s"] = append(bytes.Clone(good[:32]), make([]byte, 32)...)
			// high S: s' = N - s verifies as plain ECDSA, both must refuse it.
			var s dsecp.ModNScalar
			s.SetByteSlice(good[32:])
			s.Negate()
			sb := s.Bytes()
			cases["high s"] = append(bytes.Clone(good[:32]), sb[:]...)
			for name, sig := range cases {
				want := pub.VerifySignature(msg, sig)
				if got := verifyTable(tab, msg, sig); got != want {
					t.Fatalf("key %d msg %d %s: table says %v, SDK %v", i, j, name, got, want)
				}
				if name == "good" && !want {
					t.Fatal("SDK refused a good signature")
				}
				if name != "good" && want {
					t.Fatalf("SDK accepted %s", name)
				}
			}
			if verifyTable(tab, append(msg, 0), good) {
				t.Fatal("table accepted a signature over another message")
			}
		}
	}
}

func TestVerifierRemembers(t *testing.T) {
	a, b := NewPrivKeySigner(secp256k1.GenPrivKey()), NewPrivKeySigner(secp256k1.GenPrivKey())
	msg := []byte("hello")
	sigA, _ := a.Sign(msg)
	sigB, _ := b.Sign(msg)
	v := &Verifier{MaxKeys: 1}

	// Forged: b's key claimed as a's address, a's signature under b's key.
	if err := v.Verify(a.Address(), b.PubKey(), msg, sigB, true); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("key of another address: %v", err)
	}
	if err := v.Verify(a.Address(), a.PubKey(), msg, sigB, true); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("signature by another key: %v", err)
	}
	if len(v.keys) != 0 {
		t.Fatal("a failed verification remembered a key")
	}
	if err := v.Verify(a.Address(), a.PubKey(), msg, sigA, false); err != nil || len(v.keys) != 0 {
		t.Fatalf("remember=false: %v, %d keys", err, len(v.keys))
	}
	if err := v.Verify(a.Address(), a.PubKey(), msg, sigA, true); err != nil || v.keys[a.Address()] == nil {
		t.Fatalf("remember=true: %v", err)
	}
	// Remembered: the table path still refuses bad signatures and other keys.
	if err := v.Verify(a.Address(), a.PubKey(), append(msg, '!'), sigA, true); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("remembered key, other message: %v", err)
	}
	if err := v.Verify(a.Address(), b.PubKey(), msg, sigB, true); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("remembered address, other key: %v", err)
	}
	if err := v.Verify(a.Address(), a.PubKey(), msg, sigA, true); err != nil {
		t.Fatal(err)
	}
	// MaxKeys 1: remembering b forgets a.
	if err := v.Verify(b.Address(), b.PubKey(), msg, sigB, true); err != nil || len(v.keys) != 1 || v.keys[b.Address()] == nil {
		t.Fatalf("eviction: %v, %d keys", err, len(v.keys))
	}
}

// The fast signers produce the SDK's exact signature bytes (RFC 6979 is
// deterministic), and a KeyringSigner's equal keyring.Sign's.
func TestSignersMatchSDK(t *testing.T) {
	k := secp256k1.GenPrivKey()
	ps := NewPrivKeySigner(k)
	msg := []byte("assay/synapse/v1/infer-request\n...")
	want, _ := k.Sign(msg)
	if got, _ := ps.Sign(msg); !bytes.Equal(got, want) {
		t.Fatalf("PrivKeySigner: %x, SDK %x", got, want)
	}
	if !bytes.Equal(ps.PubKey(), k.PubKey().Bytes()) {
		t.Fatal("PrivKeySigner public key")
	}

	cdc, _ := Codec()
	kr, err := keyring.New("assay", keyring.BackendTest, t.TempDir(), nil, cdc)
	if err != nil {
		t.Fatal(err)
	}
	rec, _, err := kr.NewMnemonic("hot", keyring.English, sdk.FullFundraiserPath, keyring.DefaultBIP39Passphrase, hd.Secp256k1)
	if err != nil {
		t.Fatal(err)
	}
	addr, _ := rec.GetAddress()
	for _, name := range []string{"hot", addr.String()} {
		ks, err := NewKeyringSigner(kr, name)
		if err != nil {
			t.Fatal(err)
		}
		if ks.priv == nil {
			t.Fatal("a local key was not loaded: every Sign would decrypt the key file")
		}
		got, err := ks.Sign(msg)
		if err != nil {
			t.Fatal(err)
		}
		want, _, err := kr.Sign("hot", msg, signing.SignMode_SIGN_MODE_DIRECT)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("KeyringSigner %x, keyring.Sign %x", got, want)
		}
		if err := VerifySignature(ks.Address(), ks.PubKey(), msg, got); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := NewKeyringSigner(kr, "nobody"); err == nil || !strings.Contains(err.Error(), "nobody") {
		t.Fatalf("missing key: %v", err)
	}
}

func testRequest(rows int) *synapsev1.InferRequest {
	rs := make([][]float64, rows)
	for i := range rs {
		rs[i] = []float64{float64(i), 0.5, -3}
	}
	return NewInferRequest(1, rs)
}

// A request and its response signed and checked end to end through the
// exact byte formats of miner/README.md.
func TestSignRoundTrip(t *testing.T) {
	validator, miner := NewPrivKeySigner(secp256k1.GenPrivKey()), NewPrivKeySigner(secp256k1.GenPrivKey())
	req := testRequest(3)
	const nonce = 1_700_000_000_000_000_000
	md, rh, err := SignRequest(validator, req, miner.Address(), nonce)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := MarshalBody(req)
	if rh != sha256.Sum256(body) {
		t.Fatal("request hash is not sha256(canonical body)")
	}
	if got := md.Get(MDNonce); len(got) != 1 || got[0] != "1700000000000000000" {
		t.Fatalf("nonce metadata %v", got)
	}
	signBytes := RequestSignBytes(rh, nonce, miner.Address())
	if !strings.HasPrefix(string(signBytes), "assay/synapse/v1/infer-request\n") || len(signBytes) != 31+32+8+len(miner.Address()) {
		t.Fatalf("request sign bytes layout: %d bytes", len(signBytes))
	}
	if err := VerifySignature(md.Get(MDHotkey)[0], []byte(md.Get(MDPubKey)[0]), signBytes, []byte(md.Get(MDSignature)[0])); err != nil {
		t.Fatalf("request signature: %v", err)
	}
	// Signed for another miner, or with another nonce: does not verify.
	other := NewPrivKeySigner(secp256k1.GenPrivKey())
	if VerifySignature(validator.Address(), validator.PubKey(), RequestSignBytes(rh, nonce, other.Address()), []byte(md.Get(MDSignature)[0])) == nil {
		t.Fatal("a request signature for one miner verified for another")
	}
	if VerifySignature(validator.Address(), validator.PubKey(), RequestSignBytes(rh, nonce+1, miner.Address()), []byte(md.Get(MDSignature)[0])) == nil {
		t.Fatal("a request signature verified with another nonce")
	}

	modelHash := strings.Repeat("ab", 32)
	resp := &synapsev1.InferResponse{ModelHash: modelHash, Rows: 3, Classes: 2, Probabilities: []float64{0.25, 0.75, 1, 0, 0.5, 0.5}}
	id := RequestID{BodyHash: rh, Nonce: nonce, Caller: validator.Address()}
	if err := SignResponse(miner, id, resp); err != nil {
		t.Fatal(err)
	}
	if err := VerifyResponse(req, resp, miner.Address(), modelHash); err != nil {
		t.Fatal(err)
	}
	var v Verifier
	for range 2 { // the second time through the remembered key's table
		if err := verifyResponse(&v, id, resp, miner.Address(), modelHash); err != nil {
			t.Fatal(err)
		}
	}
	tamper := func(name string, f func(r *synapsev1.InferResponse, q *synapsev1.InferRequest), want string) {
		t.Helper()
		r := &synapsev1.InferResponse{ModelHash: resp.ModelHash, MinerHotkey: resp.MinerHotkey, MinerPubkey: resp.MinerPubkey,
			RequestHash: bytes.Clone(resp.RequestHash), Signature: bytes.Clone(resp.Signature),
			Nonce: resp.Nonce, CallerHotkey: resp.CallerHotkey, Rows: resp.Rows, Classes: resp.Classes, Probabilities: slices.Clone(resp.Probabilities)}
		q := testRequest(3)
		f(r, q)
		for _, err := range []error{VerifyResponse(q, r, miner.Address(), modelHash), verifyResponse(&v, RequestID{BodyHash: mustBodyHash(q), Nonce: nonce, Caller: validator.Address()}, r, miner.Address(), modelHash)} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("%s: %v, want %q", name, err, want)
			}
		}
	}
	tamper("output changed", func(r *synapsev1.InferResponse, _ *synapsev1.InferRequest) { r.Probabilities[2] = 0.999 }, "does not verify")
	tamper("row dropped", func(r *synapsev1.InferResponse, _ *synapsev1.InferRequest) {
		r.Rows, r.Probabilities = 2, r.Probabilities[:4]
	}, "does not verify")
	tamper("reshaped", func(r *synapsev1.InferResponse, _ *synapsev1.InferRequest) { r.Rows, r.Classes = 2, 3 }, "does not verify")
	tamper("ragged", func(r *synapsev1.InferResponse, _ *synapsev1.InferRequest) { r.Probabilities = r.Probabilities[:5] }, "probabilities: 5 values")
	tamper("other request", func(_ *synapsev1.InferResponse, q *synapsev1.InferRequest) { q.Values[0] = 42 }, "request_hash mismatch")
	tamper("other model", func(r *synapsev1.InferResponse, _ *synapsev1.InferRequest) { r.ModelHash = strings.Repeat("cd", 32) }, "its axon announces")
	tamper("other signer", func(r *synapsev1.InferResponse, _ *synapsev1.InferRequest) { r.MinerPubkey = other.PubKey() }, "public key is")
	tamper("impostor", func(r *synapsev1.InferResponse, _ *synapsev1.InferRequest) { r.MinerHotkey = other.Address() }, "want miner")
}

func mustBodyHash(req *synapsev1.InferRequest) [32]byte {
	h, err := BodyHash(req)
	if err != nil {
		panic(err)
	}
	return h
}
