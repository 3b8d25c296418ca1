package client

import (
	"crypto/sha256"
	"math/big"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	dsecp "github.com/decred/dcrd/dcrec/secp256k1/v4"
)

// Crafted signatures for the verifier's edge cases. An honest signer picks
// R = k·G and cannot choose r or s; a test can choose both R and s and then
// solve for the public key that makes (r, s) verify: with r = R.x mod N and
// e = sha256(msg), Q = r⁻¹·(s·R − e·G) gives u1·G + u2·Q = (e/s)·G +
// (r/s)·r⁻¹·(s·R − e·G) = R. That reaches signatures no random test does:
// R.x ≥ N (the verifier's second comparison), s exactly N/2, and r or s
// small enough that r+N or s+N still fit in 32 bytes.

var (
	curveN   = dsecp.S256().N
	curveP   = dsecp.S256().P
	halfN    = new(big.Int).Rsh(curveN, 1)
	maxBytes = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
)

// be32 is x as 32 big-endian bytes (x < 2^256).
func be32(x *big.Int) []byte { return x.FillBytes(make([]byte, 32)) }

func sigOf(r, s *big.Int) []byte { return append(be32(r), be32(s)...) }

// crafted is a public key and a signature over msg that verifies under it.
type crafted struct {
	pub  []byte
	r, s *big.Int // r = R.x mod N
	rx   *big.Int // R.x, which may be ≥ N
}

// craft builds a key for which (R.x mod N, s) signs msg, R being the point
// with x coordinate rx and even y; ok is false if rx is not on the curve.
func craft(rx, s *big.Int, msg []byte) (crafted, bool) {
	var x, y dsecp.FieldVal
	if x.SetByteSlice(be32(rx)) {
		panic("craft: x ≥ P")
	}
	if !dsecp.DecompressY(&x, false, &y) {
		return crafted{}, false
	}
	r := new(big.Int).Mod(rx, curveN)
	if r.Sign() == 0 {
		return crafted{}, false
	}
	R := dsecp.JacobianPoint{X: x, Y: y}
	R.Z.SetInt(1)
	var rs, ss, es, rInv dsecp.ModNScalar
	rs.SetByteSlice(be32(r))
	ss.SetByteSlice(be32(s))
	h := sha256.Sum256(msg)
	es.SetByteSlice(h[:])
	rInv.InverseValNonConst(&rs)
	var sR, eG, sum, Q dsecp.JacobianPoint
	dsecp.ScalarMultNonConst(&ss, &R, &sR)
	dsecp.ScalarBaseMultNonConst(&es, &eG)
	eG.ToAffine()
	eG.Y.Negate(1).Normalize()
	dsecp.AddNonConst(&sR, &eG, &sum)
	dsecp.ScalarMultNonConst(&rInv, &sum, &Q)
	Q.ToAffine()
	return crafted{pub: dsecp.NewPublicKey(&Q.X, &Q.Y).SerializeCompressed(), r: r, s: s, rx: rx}, true
}

// firstOnCurve is the smallest x ≥ from that is a point's x coordinate.
func firstOnCurve(from *big.Int) *big.Int {
	x := new(big.Int).Set(from)
	for range 64 {
		var f, y dsecp.FieldVal
		f.SetByteSlice(be32(x))
		if x.Cmp(curveP) < 0 && dsecp.DecompressY(&f, false, &y) {
			return x
		}
		x.Add(x, big.NewInt(1))
	}
	panic("firstOnCurve: no point in 64 tries") // each x is one with probability ~1/2
}

// xAboveN is the smallest point x coordinate above N (N itself is one:
// R.x = N would make r = 0).
func xAboveN() *big.Int { return firstOnCurve(new(big.Int).Add(curveN, big.NewInt(1))) }

// edgeCase is one crafted verification: the SDK's answer is sdk, the
// verifier's (the stricter rule) ours.
type edgeCase struct {
	name      string
	pub       []byte
	msg       []byte
	sig       []byte
	sdk, ours bool
}

// edgeCases are the crafted edges of the verifier's rule (see verify.go).
func edgeCases() []edgeCase {
	msg := []byte("assay/synapse/v1/infer-request\nedge")
	one := big.NewInt(1)
	add := func(a, b *big.Int) *big.Int { return new(big.Int).Add(a, b) }
	sub := func(a, b *big.Int) *big.Int { return new(big.Int).Sub(a, b) }
	var out []edgeCase
	with := func(name string, c crafted, r, s *big.Int, sdk, ours bool) {
		out = append(out, edgeCase{name, c.pub, msg, sigOf(r, s), sdk, ours})
	}

	// An ordinary R (x just above 2^255) with s = N/2: the largest low S.
	mid := firstOnCurve(new(big.Int).Lsh(one, 255))
	c, _ := craft(mid, halfN, msg)
	with("s = N/2", c, c.r, c.s, true, true)
	c, _ = craft(mid, add(halfN, one), msg)
	with("s = N/2+1 (high S)", c, c.r, c.s, false, false)
	// (r, N−s) verifies whenever (r, s) does (−R has R's x): the twin of
	// s = N/2+1 is s = N/2.
	with("s = N/2+1's low-S twin N/2", c, c.r, sub(curveN, c.s), true, true)
	c, _ = craft(mid, sub(curveN, big.NewInt(7)), msg)
	with("s = N−7 (high S)", c, c.r, c.s, false, false)
	with("s = N−7's low-S twin 7", c, c.r, big.NewInt(7), true, true)
	with("s = 7 sent as 7 + N (s ≥ N)", c, c.r, add(big.NewInt(7), curveN), true, false)

	// R.x ≥ N: r = R.x − N, found by the verifier's second comparison.
	hi := xAboveN()
	c, _ = craft(hi, big.NewInt(12345), msg)
	with("R.x ≥ N, r = R.x − N", c, c.r, c.s, true, true)
	with("R.x ≥ N, r sent unreduced as R.x (r ≥ N)", c, c.rx, c.s, true, false)
	// A small s: s + N still fits in 32 bytes.
	with("s sent as s + N (s ≥ N)", c, c.r, add(c.s, curveN), true, false)
	with("r and s both + N", c, c.rx, add(c.s, curveN), true, false)

	// A small R.x: r itself small, so r + N fits too.
	lo := firstOnCurve(one)
	c, _ = craft(lo, halfN, msg)
	with("small r", c, c.r, c.s, true, true)
	with("small r sent as r + N", c, add(c.r, curveN), c.s, true, false)

	// Out-of-range scalars under an honest key: refused by both.
	k := secp256k1.GenPrivKey()
	good, _ := k.Sign(msg)
	pub := k.PubKey().Bytes()
	r, s := new(big.Int).SetBytes(good[:32]), new(big.Int).SetBytes(good[32:])
	zero := new(big.Int)
	for _, bad := range []struct {
		name string
		r, s *big.Int
	}{
		{"r = 0", zero, s}, {"s = 0", r, zero},
		{"r = N−1", sub(curveN, one), s}, {"s = N−1", r, sub(curveN, one)},
		{"r = N", curveN, s}, {"s = N", r, curveN},
		{"r = N+1", add(curveN, one), s}, {"s = N+1", r, add(curveN, one)},
		{"r = 2^256−1", maxBytes, s}, {"s = 2^256−1", r, maxBytes},
		{"high S", r, sub(curveN, s)},
	} {
		out = append(out, edgeCase{bad.name, pub, msg, sigOf(bad.r, bad.s), false, false})
	}
	out = append(out, edgeCase{"honest", pub, msg, good, true, true})

	// r = N−1 from a real point, if x = N−1 is on the curve.
	if c, ok := craft(sub(curveN, one), halfN, msg); ok {
		with("R.x = N−1", c, c.r, c.s, true, true)
	}
	return out
}
