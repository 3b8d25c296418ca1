package testnet

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// keyringDir is where the test backend keeps its files under a home.
const keyringDir = "keyring-test"

// OpenKeyring opens the test keyring of a node home, as `assayd keys
// --keyring-backend test --home HOME` does.
func OpenKeyring(home string, cdc codec.Codec) (keyring.Keyring, error) {
	return keyring.New(sdk.KeyringServiceName(), keyring.BackendTest, home, nil, cdc)
}

// createKeys adds a fresh secp256k1 key for each name to the keyring of
// home, derived as `assayd keys add` derives it, and returns the addresses.
func createKeys(home string, cdc codec.Codec, names []string) ([]sdk.AccAddress, error) {
	kr, err := OpenKeyring(home, cdc)
	if err != nil {
		return nil, fmt.Errorf("keyring in %s: %w", home, err)
	}
	addrs := make([]sdk.AccAddress, len(names))
	for i, name := range names {
		rec, _, err := kr.NewMnemonic(name, keyring.English, sdk.FullFundraiserPath, keyring.DefaultBIP39Passphrase, hd.Secp256k1)
		if err != nil {
			return nil, fmt.Errorf("key %s: %w", name, err)
		}
		if addrs[i], err = rec.GetAddress(); err != nil {
			return nil, fmt.Errorf("key %s: %w", name, err)
		}
	}
	return addrs, nil
}

// copyKeyring gives home `to` the same test keyring as home `from`, so every
// node can sign for every key (each node signs its own gentx).
func copyKeyring(from, to string) error {
	src, dst := filepath.Join(from, keyringDir), filepath.Join(to, keyringDir)
	if err := os.MkdirAll(dst, 0o700); err != nil {
		return err
	}
	ents, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o600); err != nil {
			return err
		}
	}
	return nil
}
