package client

import (
	"bytes"
	"math/big"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	dsecp "github.com/decred/dcrd/dcrec/secp256k1/v4"
)

// The verifier's rule (verify.go) stated independently of it: the SDK's
// secp256k1 PubKey.VerifySignature, refusing r or s sent unreduced (≥ N).
func sdkAndRule(pub, msg, sig []byte) (sdk, rule bool) {
	sdk = (&secp256k1.PubKey{Key: pub}).VerifySignature(msg, sig)
	inRange := len(sig) == 64 && new(big.Int).SetBytes(sig[:32]).Cmp(curveN) < 0 && new(big.Int).SetBytes(sig[32:]).Cmp(curveN) < 0
	return sdk, sdk && inRange
}

// pathsAgree checks that every verification path answers want: the
// package's VerifySignature, a Verifier that does not know the key, the
// key's table, and a Verifier that remembers it.
func pathsAgree(t testing.TB, name string, pub []byte, tab *pubKeyTable, warm *Verifier, msg, sig []byte, want bool) {
	t.Helper()
	addr, err := AddressOf(pub)
	if err != nil {
		t.Fatal(err)
	}
	var cold Verifier
	got := map[string]bool{
		"VerifySignature":      VerifySignature(addr, pub, msg, sig) == nil,
		"Verifier, key new":    cold.Verify(addr, pub, msg, sig, false) == nil,
		"table":                verifyTable(tab, msg, sig),
		"Verifier, key cached": warm.Verify(addr, pub, msg, sig, true) == nil,
	}
	for path, ok := range got {
		if ok != want {
			t.Errorf("%s: %s says %v, the rule %v", name, path, ok, want)
		}
	}
}

// warmVerifier is a Verifier that remembers pub, and pub's table.
func warmVerifier(t testing.TB, pub []byte) (*Verifier, *pubKeyTable) {
	t.Helper()
	pk, err := dsecp.ParsePubKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	addr, _ := AddressOf(pub)
	v := new(Verifier)
	v.remember(addr, pub)
	return v, newPubKeyTable(pk)
}

// Crafted edges: the SDK answers as expected (so the cases test what they
// name), and every path of ours answers the stricter rule, whether or not
// the key is cached (before, a cold Verify took the SDK's answer and a
// cached one refused r or s ≥ N).
func TestVerifierEdgesOneRule(t *testing.T) {
	for _, ec := range edgeCases() {
		sdk, rule := sdkAndRule(ec.pub, ec.msg, ec.sig)
		if sdk != ec.sdk || rule != ec.ours {
			t.Fatalf("%s: SDK %v (want %v), rule %v (want %v)", ec.name, sdk, ec.sdk, rule, ec.ours)
		}
		warm, tab := warmVerifier(t, ec.pub)
		pathsAgree(t, ec.name, ec.pub, tab, warm, ec.msg, ec.sig, ec.ours)
	}
}

// Random keys, messages and signatures, good and damaged in every way a
// random test can reach: every path answers the SDK's answer (r and s of
// these are all below N, where the SDK and the rule agree) — except the
// unreduced ones, refused.
func TestVerifierMatchesSDKRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	keys, msgs := 32, 8 // ~0.5 s
	if testing.Short() || raceEnabled {
		keys = 3
	}
	other := secp256k1.GenPrivKey()
	for i := range keys {
		k := secp256k1.GenPrivKey()
		pub := k.PubKey().Bytes()
		warm, tab := warmVerifier(t, pub)
		for j := range msgs {
			msg := make([]byte, rng.IntN(300))
			for b := range msg {
				msg[b] = byte(rng.Uint32())
			}
			good, _ := k.Sign(msg)
			random := make([]byte, 64)
			for b := range random {
				random[b] = byte(rng.Uint32())
			}
			flip := bytes.Clone(good)
			flip[rng.IntN(64)] ^= 1 << rng.IntN(8)
			var s dsecp.ModNScalar
			s.SetByteSlice(good[32:])
			hs := s.Negate().Bytes()
			byOther, _ := other.Sign(msg)
			cases := map[string][]byte{
				"good": good, "bit flip": flip, "random": random, "other key": byOther,
				"r‖s swapped": append(bytes.Clone(good[32:]), good[:32]...),
				"high S":      append(bytes.Clone(good[:32]), hs[:]...),
				"short":       good[:63], "long": append(bytes.Clone(good), 0),
			}
			for name, sig := range cases {
				_, want := sdkAndRule(pub, msg, sig)
				if (name == "good") != want {
					t.Fatalf("key %d msg %d %s: the rule says %v", i, j, name, want)
				}
				pathsAgree(t, name, pub, tab, warm, msg, sig, want)
			}
			pathsAgree(t, "other message", pub, tab, warm, append(msg, 1), good, false)
		}
	}
}

// The key cache keeps the keys in use: the least recently used is
// forgotten first, not the oldest (with more keys than MaxKeys in rotation,
// oldest-first forgot a key still in use and rebuilt its table each time).
func TestVerifierForgetsLeastRecentlyUsed(t *testing.T) {
	msg := []byte("lru")
	var ks [3]*PrivKeySigner
	var sigs [3][]byte
	for i := range ks {
		ks[i] = NewPrivKeySigner(secp256k1.GenPrivKey())
		sigs[i], _ = ks[i].Sign(msg)
	}
	v := &Verifier{MaxKeys: 2}
	verify := func(i int) {
		t.Helper()
		if err := v.Verify(ks[i].Address(), ks[i].PubKey(), msg, sigs[i], true); err != nil {
			t.Fatal(err)
		}
	}
	cached := func(i int) bool { return v.lookup(ks[i].Address()) != nil }
	verify(0)
	verify(1)
	verify(0) // 0 is now the most recently used
	verify(2) // forgets 1, the least recently used
	if !cached(0) || cached(1) || !cached(2) {
		t.Fatalf("cached: 0 %v, 1 %v, 2 %v; want 0 and 2", cached(0), cached(1), cached(2))
	}
	if v.lru.Len() != 2 || len(v.keys) != 2 {
		t.Fatalf("%d keys in the list, %d in the map", v.lru.Len(), len(v.keys))
	}
}

// fuzzKeys are the fuzz target's keys, tables built once: three honest keys
// and one crafted so that its signature has R.x ≥ N.
var fuzzKeys = sync.OnceValue(func() []fuzzKey {
	var out []fuzzKey
	for i := range 3 {
		seed := bytes.Repeat([]byte{byte(i + 1)}, 32)
		k := &secp256k1.PrivKey{Key: seed}
		out = append(out, fuzzKey{priv: k, pub: k.PubKey().Bytes()})
	}
	c, _ := craft(xAboveN(), big.NewInt(12345), fuzzCraftedMsg)
	out = append(out, fuzzKey{pub: c.pub, sig: sigOf(c.r, c.s)})
	for i := range out {
		pk, err := dsecp.ParsePubKey(out[i].pub)
		if err != nil {
			panic(err)
		}
		out[i].table = newPubKeyTable(pk)
	}
	return out
})

var fuzzCraftedMsg = []byte("crafted")

type fuzzKey struct {
	priv  *secp256k1.PrivKey // nil: crafted, sig is its one signature (over fuzzCraftedMsg)
	pub   []byte
	sig   []byte
	table *pubKeyTable
}

// FuzzVerifier: for any key, message and signature, both paths (the table,
// and VerifySignature's range check on top of the SDK) answer the rule (the
// SDK's answer, refusing r or s ≥ N). sig empty signs msg and
// XORs tweak into the signature (cycled over its 64 bytes; an empty tweak
// leaves it valid); addN, if odd, adds N to r, if even and non-zero to s
// (when the result fits in 32 bytes).
func FuzzVerifier(f *testing.F) {
	f.Add(uint8(0), []byte("msg"), []byte{}, []byte{}, uint8(0))
	f.Add(uint8(1), []byte("msg"), []byte{}, []byte{0, 0, 1}, uint8(0))
	f.Add(uint8(2), []byte(""), make([]byte, 64), []byte{}, uint8(0))
	f.Add(uint8(3), fuzzCraftedMsg, []byte{}, []byte{}, uint8(0))
	f.Add(uint8(3), fuzzCraftedMsg, []byte{}, []byte{}, uint8(1))
	f.Add(uint8(3), fuzzCraftedMsg, []byte{}, []byte{}, uint8(2))
	f.Fuzz(func(t *testing.T, key uint8, msg, sig, tweak []byte, addN uint8) {
		keys := fuzzKeys()
		k := keys[int(key)%len(keys)]
		if len(sig) == 0 {
			if k.priv == nil {
				sig = bytes.Clone(k.sig)
			} else {
				sig, _ = k.priv.Sign(msg)
			}
			for i := range tweak {
				sig[i%64] ^= tweak[i]
			}
		}
		if len(sig) == 64 && addN != 0 {
			half := sig[32:]
			if addN%2 == 1 {
				half = sig[:32]
			}
			if v := new(big.Int).Add(new(big.Int).SetBytes(half), curveN); v.Cmp(maxBytes) <= 0 {
				copy(half, be32(v))
			}
		}
		sdk, want := sdkAndRule(k.pub, msg, sig)
		if got := verifyTable(k.table, msg, sig); got != want {
			t.Fatalf("key %d: table says %v, the rule %v (sig %x)", key, got, want, sig)
		}
		// VerifySignature is the SDK's answer and canonicalScalars: check
		// the latter (the SDK's verification is not run twice).
		if got := sdk && canonicalScalars(sig); got != want {
			t.Fatalf("key %d: VerifySignature would say %v, the rule %v (sig %x)", key, got, want, sig)
		}
	})
}
