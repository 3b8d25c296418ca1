package client

import (
	"fmt"

	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
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

// KeyringSigner signs with a key from a Cosmos keyring (keyring.Sign).
type KeyringSigner struct {
	kr      keyring.Keyring
	name    string
	address string
	pubKey  []byte
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
	return &KeyringSigner{kr: kr, name: rec.Name, address: addr, pubKey: pk.Bytes()}, nil
}

func (s *KeyringSigner) Address() string { return s.address }
func (s *KeyringSigner) PubKey() []byte  { return s.pubKey }
func (s *KeyringSigner) Name() string    { return s.name }

// Sign uses keyring.Sign; the sign mode is ignored for raw bytes.
func (s *KeyringSigner) Sign(msg []byte) ([]byte, error) {
	sig, _, err := s.kr.Sign(s.name, msg, signing.SignMode_SIGN_MODE_DIRECT)
	return sig, err
}

// PrivKeySigner signs with an in-memory key (tests, benchmarks).
type PrivKeySigner struct {
	Key     *secp256k1.PrivKey
	address string
}

// NewPrivKeySigner wraps k.
func NewPrivKeySigner(k *secp256k1.PrivKey) *PrivKeySigner {
	addr, err := AddressOf(k.PubKey().Bytes())
	if err != nil {
		panic(err) // a secp256k1 key always has a 33-byte public key
	}
	return &PrivKeySigner{Key: k, address: addr}
}

func (s *PrivKeySigner) Address() string                 { return s.address }
func (s *PrivKeySigner) PubKey() []byte                  { return s.Key.PubKey().Bytes() }
func (s *PrivKeySigner) Sign(msg []byte) ([]byte, error) { return s.Key.Sign(msg) }
