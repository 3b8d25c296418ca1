package client

import (
	"crypto/sha256"
	"fmt"

	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	dsecp "github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
)

// Signer is a hotkey that signs synapse messages. Implementations must be
// safe for concurrent use.
type Signer interface {
	// Address is the bech32 account address.
	Address() string
	// PubKey is the 33-byte compressed secp256k1 public key.
	PubKey() []byte
	// Sign returns a 64-byte r‖s secp256k1 signature over sha256(msg).
	Sign(msg []byte) ([]byte, error)
}

// KeyringSigner signs with a key from a Cosmos keyring. A local key's
// private key is read once, when the signer is made: keyring.Sign re-reads
// and decrypts the key file on every call (~1.7 ms with the test backend,
// more than the whole request), which a server signing every response cannot
// afford. Ledger and other non-local keys go through keyring.Sign.
type KeyringSigner struct {
	kr      keyring.Keyring
	name    string
	address string
	pubKey  []byte
	priv    *dsecp.PrivateKey // nil: sign through the keyring
}

// NewKeyringSigner looks key up by name or bech32 address; it must be a secp256k1 key.
func NewKeyringSigner(kr keyring.Keyring, key string) (*KeyringSigner, error) {
	rec, err := kr.Key(key)
	if err != nil {
		addr, aerr := sdk.AccAddressFromBech32(key)
		if aerr != nil {
			return nil, fmt.Errorf("no key %q in the keyring: %w", key, err)
		}
		if rec, err = kr.KeyByAddress(addr); err != nil {
			return nil, fmt.Errorf("address %s is not in the keyring: %w", key, err)
		}
	}
	pk, err := rec.GetPubKey()
	if err != nil {
		return nil, err
	}
	if _, ok := pk.(*secp256k1.PubKey); !ok {
		return nil, fmt.Errorf("key %q is %s, want secp256k1", rec.Name, pk.Type())
	}
	addr, err := AddressOf(pk.Bytes())
	if err != nil {
		return nil, err
	}
	ks := &KeyringSigner{kr: kr, name: rec.Name, address: addr, pubKey: pk.Bytes()}
	if local := rec.GetLocal(); local != nil && local.PrivKey != nil {
		if sk, ok := local.PrivKey.GetCachedValue().(*secp256k1.PrivKey); ok {
			ks.priv = dsecp.PrivKeyFromBytes(sk.Key)
		}
	}
	return ks, nil
}

func (s *KeyringSigner) Address() string { return s.address }
func (s *KeyringSigner) PubKey() []byte  { return s.pubKey }
func (s *KeyringSigner) Name() string    { return s.name }

// Sign signs with the key read at construction, or through keyring.Sign
// (the sign mode is ignored for raw bytes); the signature is the same.
func (s *KeyringSigner) Sign(msg []byte) ([]byte, error) {
	if s.priv != nil {
		return signSHA256(s.priv, msg), nil
	}
	sig, _, err := s.kr.Sign(s.name, msg, signing.SignMode_SIGN_MODE_DIRECT)
	return sig, err
}

// signSHA256 is the Cosmos SDK's secp256k1 PrivKey.Sign: RFC 6979 ECDSA over
// sha256(msg), 64-byte lower-S r‖s (the same bytes, without re-deriving the
// key from its encoding on every call).
func signSHA256(k *dsecp.PrivateKey, msg []byte) []byte {
	h := sha256.Sum256(msg)
	return ecdsa.SignCompact(k, h[:], false)[1:] // drop the recovery byte
}

// PrivKeySigner signs with an in-memory key (tests, benchmarks).
type PrivKeySigner struct {
	Key     *secp256k1.PrivKey
	address string
	pubKey  []byte
	priv    *dsecp.PrivateKey
}

// NewPrivKeySigner wraps k (which must not change afterwards).
func NewPrivKeySigner(k *secp256k1.PrivKey) *PrivKeySigner {
	pub := k.PubKey().Bytes() // derived once: a scalar multiplication
	addr, err := AddressOf(pub)
	if err != nil {
		panic(err) // a secp256k1 key always has a 33-byte public key
	}
	return &PrivKeySigner{Key: k, address: addr, pubKey: pub, priv: dsecp.PrivKeyFromBytes(k.Key)}
}

func (s *PrivKeySigner) Address() string                 { return s.address }
func (s *PrivKeySigner) PubKey() []byte                  { return s.pubKey }
func (s *PrivKeySigner) Sign(msg []byte) ([]byte, error) { return signSHA256(s.priv, msg), nil }
