package client

import (
	"crypto/sha256"
	"testing"

	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	dsecp "github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
)

func BenchmarkCryptoParts(b *testing.B) {
	k := secp256k1.GenPrivKey()
	msg := make([]byte, 120)
	sig, _ := k.Sign(msg)
	pub := k.PubKey().Bytes()
	h := sha256.Sum256(msg)
	b.Run("sdk-sign", func(b *testing.B) {
		for b.Loop() {
			k.Sign(msg)
		}
	})
	dk := dsecp.PrivKeyFromBytes(k.Key)
	b.Run("dcrd-sign-cachedkey", func(b *testing.B) {
		for b.Loop() {
			ecdsa.Sign(dk, h[:])
		}
	})
	b.Run("sdk-verify", func(b *testing.B) {
		pk := &secp256k1.PubKey{Key: pub}
		for b.Loop() {
			if !pk.VerifySignature(msg, sig) {
				b.Fatal("x")
			}
		}
	})
	b.Run("parse-pubkey", func(b *testing.B) {
		for b.Loop() {
			dsecp.ParsePubKey(pub)
		}
	})
	pp, _ := dsecp.ParsePubKey(pub)
	var r, s dsecp.ModNScalar
	r.SetByteSlice(sig[:32])
	s.SetByteSlice(sig[32:])
	es := ecdsa.NewSignature(&r, &s)
	b.Run("dcrd-verify-parsed", func(b *testing.B) {
		for b.Loop() {
			if !es.Verify(h[:], pp) {
				b.Fatal("x")
			}
		}
	})
	b.Run("address-of", func(b *testing.B) {
		for b.Loop() {
			AddressOf(pub)
		}
	})
	rows := make([][]float64, 256)
	for i := range rows {
		v := make([]float64, 20)
		for j := range v {
			v[j] = float64(j) * 1.5
		}
		rows[i] = v
	}
	req := NewInferRequest(1, rows)
	b.Run("body-hash-256x20", func(b *testing.B) {
		for b.Loop() {
			BodyHash(req)
		}
	})
	outs := make([]float64, 256*2)
	for i := range outs {
		outs[i] = 0.3 + 0.4*float64(i%2)
	}
	b.Run("outputs-hash-256x2", func(b *testing.B) {
		for b.Loop() {
			OutputsHash(256, 2, outs)
		}
	})
}

func BenchmarkKeyringSign(b *testing.B) {
	for _, backend := range []string{keyring.BackendTest, keyring.BackendMemory} {
		b.Run(backend, func(b *testing.B) {
			cdc, _ := Codec()
			kr, err := keyring.New("assay", backend, b.TempDir(), nil, cdc)
			if err != nil {
				b.Fatal(err)
			}
			if _, _, err := kr.NewMnemonic("k", keyring.English, sdk.FullFundraiserPath, keyring.DefaultBIP39Passphrase, hd.Secp256k1); err != nil {
				b.Fatal(err)
			}
			s, err := NewKeyringSigner(kr, "k")
			if err != nil {
				b.Fatal(err)
			}
			msg := make([]byte, 100)
			for b.Loop() {
				if _, err := s.Sign(msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkTableVerify(b *testing.B) {
	k := secp256k1.GenPrivKey()
	msg := make([]byte, 120)
	sig, _ := k.Sign(msg)
	pp, _ := dsecp.ParsePubKey(k.PubKey().Bytes())
	b.Run("build", func(b *testing.B) {
		for b.Loop() {
			newPubKeyTable(pp)
		}
	})
	t := newPubKeyTable(pp)
	if !verifyTable(t, msg, sig) {
		b.Fatal("table verify refused a good signature")
	}
	b.Run("verify", func(b *testing.B) {
		for b.Loop() {
			if !verifyTable(t, msg, sig) {
				b.Fatal("x")
			}
		}
	})
}
