package client

import (
	"bytes"
	"container/list"
	"crypto/sha256"
	"sync"

	dsecp "github.com/decred/dcrd/dcrec/secp256k1/v4"
)

// The signature rule, the same on every path (VerifySignature, and
// Verifier with or without a remembered key): a signature is 64 bytes r‖s,
// big-endian, with 1 ≤ r < N and 1 ≤ s ≤ N/2, that verifies as ECDSA over
// sha256(msg). That is the Cosmos SDK's secp256k1 PubKey.VerifySignature
// (dcrd's ecdsa.Verify, lower-S only) plus one refusal: the SDK reduces r
// and s mod N, so it also accepts r+N or s+N in place of r or s (which fit
// in 32 bytes only when r or s < 2^256 − N ≈ 2^128.3: an honest signer's r
// never, an s only if chosen). Refusing those unreduced encodings is the
// stricter of the two rules, and gives every signature one encoding.
// differential_test.go checks the rule against the SDK on random and crafted
// signatures, FuzzVerifier keeps checking it.

// canonicalScalars reports whether sig is 64 bytes whose r and s are both
// below N (their ranges and low S are checked by the verification itself).
func canonicalScalars(sig []byte) bool {
	if len(sig) != 64 {
		return false
	}
	var r, s dsecp.ModNScalar
	return !r.SetByteSlice(sig[:32]) && !s.SetByteSlice(sig[32:])
}

// Verifier checks synapse signatures like VerifySignature, remembering the
// keys it is told to: for a remembered hotkey the public key is not
// re-parsed or re-hashed to its address, and u2·Q comes from a per-key table
// (about 2.3× faster than dcrd's generic verification, see miner/README.md).
// At most MaxKeys are remembered; the least recently used is forgotten
// first, so a caller verifying more keys than that in rotation still keeps
// the ones it sees most. A table is 77 KiB and takes ~1.5 ms to build. Safe
// for concurrent use; the zero value remembers up to 512 keys.
type Verifier struct {
	MaxKeys int

	mu   sync.Mutex
	keys map[string]*list.Element // by bech32 address; values are *verifyKey
	lru  list.List                // most recently used first
}

type verifyKey struct {
	address string
	pub     []byte
	table   *pubKeyTable
}

// Verify checks that pubKey belongs to address and signed msg (the rule
// above). remember asks to keep the key for next time, which only happens
// once a signature by it verified: callers pass true only for keys they
// expect to see again (the miner: callers holding a permit), so forged keys
// cannot fill the cache or make it build tables.
func (v *Verifier) Verify(address string, pubKey, msg, sig []byte, remember bool) error {
	if k := v.lookup(address); k != nil && bytes.Equal(k.pub, pubKey) {
		if !verifyTable(k.table, msg, sig) {
			return errSigDoesNotVerify(address)
		}
		return nil
	}
	if err := VerifySignature(address, pubKey, msg, sig); err != nil {
		return err
	}
	if remember {
		v.remember(address, pubKey)
	}
	return nil
}

// lookup returns address's remembered key, marking it most recently used.
func (v *Verifier) lookup(address string) *verifyKey {
	v.mu.Lock()
	defer v.mu.Unlock()
	e := v.keys[address]
	if e == nil {
		return nil
	}
	v.lru.MoveToFront(e)
	return e.Value.(*verifyKey)
}

func (v *Verifier) remember(address string, pubKey []byte) {
	pk, err := dsecp.ParsePubKey(pubKey)
	if err != nil {
		return // VerifySignature accepted it, so unreachable
	}
	k := &verifyKey{address: address, pub: bytes.Clone(pubKey), table: newPubKeyTable(pk)} // ~1.5 ms, outside the lock
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.keys == nil {
		v.keys = make(map[string]*list.Element)
	}
	if e := v.keys[address]; e != nil {
		e.Value = k
		v.lru.MoveToFront(e)
	} else {
		v.keys[address] = v.lru.PushFront(k)
	}
	maxKeys := v.MaxKeys
	if maxKeys <= 0 {
		maxKeys = 512
	}
	for v.lru.Len() > maxKeys {
		old := v.lru.Back()
		v.lru.Remove(old)
		delete(v.keys, old.Value.(*verifyKey).address)
	}
}

// The miner verifies a signature from the same few validator hotkeys on every
// request (and a validator verifies the same miners' responses), so the
// expensive half of ECDSA verification — u2·Q for a variable public key Q,
// done by dcrd with a fresh GLV/wNAF ladder each time — can use a table of
// multiples of Q computed once per key, exactly as dcrd already does for the
// fixed base point G (u1·G). The result is the same equation, R = u1·G + u2·Q,
// checked the same way; only how u2·Q is summed changes.

// tableWindow bits per window: 256/tableWindow windows of 2^tableWindow
// affine points (80 bytes each).
const (
	tableWindow  = 4
	tableWindows = 256 / tableWindow
	tableEntries = 1 << tableWindow
)

type affinePoint struct{ x, y dsecp.FieldVal }

// pubKeyTable holds j·16^i·Q for every window i and digit j ≥ 1, in affine
// coordinates (so additions take dcrd's cheaper Z=1 path).
type pubKeyTable [tableWindows][tableEntries - 1]affinePoint

func newPubKeyTable(pk *dsecp.PublicKey) *pubKeyTable {
	t := new(pubKeyTable)
	var base, acc dsecp.JacobianPoint
	pk.AsJacobian(&base)
	const n = tableWindows * (tableEntries - 1)
	pts := make([]dsecp.JacobianPoint, 0, n)
	for range tableWindows {
		acc.Set(&base)
		for j := 1; j < tableEntries; j++ {
			if j > 1 {
				dsecp.AddNonConst(&acc, &base, &acc)
			}
			pts = append(pts, acc)
		}
		for range tableWindow { // the next window's base: 2^tableWindow · base
			dsecp.DoubleNonConst(&base, &base)
		}
	}
	// To affine with one field inversion (Montgomery's trick): prefix[i] =
	// Z_0·…·Z_i, invert the whole product, then walk back. A multiple j·Q
	// with j < N is never the point at infinity, so no Z is zero.
	prefix := make([]dsecp.FieldVal, n)
	prefix[0].Set(&pts[0].Z)
	for i := 1; i < n; i++ {
		prefix[i].Mul2(&prefix[i-1], &pts[i].Z)
	}
	var inv, zInv, zInv2 dsecp.FieldVal
	inv.Set(&prefix[n-1]).Inverse()
	for i := n - 1; i >= 0; i-- {
		if i > 0 {
			zInv.Mul2(&inv, &prefix[i-1]) // 1/Z_i
			inv.Mul(&pts[i].Z)            // 1/(Z_0·…·Z_{i-1})
		} else {
			zInv.Set(&inv)
		}
		zInv2.SquareVal(&zInv)
		e := &t[i/(tableEntries-1)][i%(tableEntries-1)]
		e.x.Mul2(&pts[i].X, &zInv2).Normalize()
		e.y.Mul2(&pts[i].Y, zInv2.Mul(&zInv)).Normalize()
	}
	return t
}

// mul sets result = k·Q.
func (t *pubKeyTable) mul(k *dsecp.ModNScalar, result *dsecp.JacobianPoint) {
	result.X.Zero()
	result.Y.Zero()
	result.Z.Zero()
	kb := k.Bytes() // big-endian
	var p dsecp.JacobianPoint
	p.Z.SetInt(1)
	for i := range tableWindows {
		// window i covers bits [i*w, (i+1)*w) counted from the least significant.
		byteIdx := 31 - (i*tableWindow)/8
		shift := uint((i * tableWindow) % 8)
		d := (kb[byteIdx] >> shift) & (tableEntries - 1)
		if d == 0 {
			continue
		}
		e := &t[i][d-1]
		p.X, p.Y = e.x, e.y
		dsecp.AddNonConst(result, &p, result)
	}
}

// orderAsField is the group order N as a field element (N < P).
var orderAsField = func() dsecp.FieldVal {
	var f dsecp.FieldVal
	f.SetByteSlice([]byte{
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
		0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
	})
	return f
}()

// verifyTable checks a 64-byte r‖s signature over sha256(msg) by the rule
// above (refusing r or s ≥ N, as VerifySignature does).
func verifyTable(t *pubKeyTable, msg, sig []byte) bool {
	if len(sig) != 64 {
		return false
	}
	var r, s dsecp.ModNScalar
	if r.SetByteSlice(sig[:32]) || s.SetByteSlice(sig[32:]) {
		return false // ≥ N
	}
	if r.IsZero() || s.IsZero() || s.IsOverHalfOrder() {
		return false
	}
	h := sha256.Sum256(msg)
	var e dsecp.ModNScalar
	e.SetByteSlice(h[:])
	w := new(dsecp.ModNScalar).InverseValNonConst(&s)
	u1 := new(dsecp.ModNScalar).Mul2(&e, w)
	u2 := new(dsecp.ModNScalar).Mul2(&r, w)
	var X, u1G, u2Q dsecp.JacobianPoint
	dsecp.ScalarBaseMultNonConst(u1, &u1G)
	t.mul(u2, &u2Q)
	dsecp.AddNonConst(&u1G, &u2Q, &X)
	if (X.X.IsZero() && X.Y.IsZero()) || X.Z.IsZero() {
		return false
	}
	// As in dcrd: compare in Jacobian coordinates, R·Z² == X (mod P), or
	// (R+N)·Z² == X when R+N < P.
	z := new(dsecp.FieldVal).SquareVal(&X.Z)
	X.X.Normalize()
	rb := r.Bytes()
	var rf dsecp.FieldVal
	rf.SetBytes(&rb)
	res := new(dsecp.FieldVal).Mul2(&rf, z).Normalize()
	if res.Equals(&X.X) {
		return true
	}
	if rf.IsGtOrEqPrimeMinusOrder() {
		return false
	}
	rf.Add(&orderAsField)
	res.Mul2(&rf, z).Normalize()
	return res.Equals(&X.X)
}
