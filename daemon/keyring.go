package daemon

import (
	"fmt"
	"io"

	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/spf13/pflag"

	"github.com/assay-network/assay/app/params"
	"github.com/assay-network/assay/client"
)

// KeyringFlags are --home and --keyring-backend: where a daemon's keys are.
type KeyringFlags struct {
	Home    string
	Backend string
}

// AddFlags registers the flags on f with their defaults ($ASSAY_HOME or
// ~/.assay, and the test backend the localnet scripts use).
func (k *KeyringFlags) AddFlags(f *pflag.FlagSet) {
	f.StringVar(&k.Home, "home", params.DefaultHome(), "directory holding the keyring")
	f.StringVar(&k.Backend, "keyring-backend", "test", "keyring backend: os, file, test")
}

// Open opens the keyring (in answers the file and os backends' passphrase
// prompts). It first sets the SDK's process-wide account prefix, so the
// keyring's addresses read assay1…; keys decode with the chain client's
// codec.
func (k KeyringFlags) Open(in io.Reader) (keyring.Keyring, error) {
	sdk.GetConfig().SetBech32PrefixForAccount(params.Bech32Prefix, params.Bech32Prefix+sdk.PrefixPublic)
	cdc, _ := client.Codec()
	kr, err := keyring.New(sdk.KeyringServiceName(), k.Backend, k.Home, in, cdc)
	if err != nil {
		return nil, fmt.Errorf("keyring (%s in %s): %w", k.Backend, k.Home, err)
	}
	return kr, nil
}
