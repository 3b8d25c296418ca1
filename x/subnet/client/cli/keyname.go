package cli

import (
	"errors"
	"fmt"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/spf13/cobra"
)

var (
	// ErrNotKeyOrAddress: an argument that takes an address is neither a key
	// in the keyring nor a bech32 address.
	ErrNotKeyOrAddress = errors.New("neither a keyring key name nor a bech32 address")
	// ErrAmbiguousKey: the argument is a valid address and also the name of
	// a key holding another address; guessing would stake to the wrong one.
	ErrAmbiguousKey = errors.New("both a keyring key name and a different bech32 address")
)

// KeyNamesResolvedAnnotation marks a command that resolves its address
// arguments itself, so assayd's wrapper for autocli commands leaves it alone.
const KeyNamesResolvedAnnotation = "assay/key-names-resolved"

// KeyNamesResolved is the Annotations value of such a command.
func KeyNamesResolved() map[string]string {
	return map[string]string{KeyNamesResolvedAnnotation: "true"}
}

// AddressArgNames are the positional argument names (as written in a
// command's Use, e.g. "[hotkey]") that take an address and so also take a
// keyring key name, as `assay-miner serve --hotkey` does.
var AddressArgNames = map[string]bool{"hotkey": true, "coldkey": true, "owner": true, "address": true}

// ResolveAddress reads arg, the value of the argument called name, as a key
// name of the client's keyring or a bech32 address, and returns the address.
// A key name that is also a different valid address is refused naming both
// readings; with no keyring (or no such key) arg must be an address.
func ResolveAddress(clientCtx client.Context, name, arg string) (string, error) {
	keyAddr, keyErr := keyAddress(clientCtx.Keyring, arg)
	_, addrErr := sdk.AccAddressFromBech32(arg)
	switch {
	case keyErr == nil && addrErr == nil && keyAddr != arg:
		return "", fmt.Errorf("%s %q: %w: key %q is %s; pass that address or rename the key",
			name, arg, ErrAmbiguousKey, arg, keyAddr)
	case keyErr == nil:
		return keyAddr, nil
	case addrErr == nil:
		return arg, nil
	}
	where := "no keyring opened (queries read keyring-backend from client.toml, or --keyring-backend)"
	if clientCtx.Keyring != nil {
		where = fmt.Sprintf("no key %q in the %s keyring in %s", arg, clientCtx.Keyring.Backend(), clientCtx.KeyringDir)
	}
	return "", fmt.Errorf("%s %q: %w (%s; as an address: %v)", name, arg, ErrNotKeyOrAddress, where, addrErr)
}

// AddKeyNameFlags gives a query command --keyring-backend and --keyring-dir,
// so its address arguments can name keys of a keyring other than the one
// client.toml names.
func AddKeyNameFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	if f.Lookup(flags.FlagKeyringBackend) == nil {
		f.String(flags.FlagKeyringBackend, "", "keyring to read key names from (default: client.toml's keyring-backend)")
	}
	if f.Lookup(flags.FlagKeyringDir) == nil {
		f.String(flags.FlagKeyringDir, "", "directory of that keyring (default: --home)")
	}
}

func keyAddress(kr keyring.Keyring, name string) (string, error) {
	if kr == nil {
		return "", errors.New("no keyring")
	}
	rec, err := kr.Key(name)
	if err != nil {
		return "", err
	}
	addr, err := rec.GetAddress()
	if err != nil {
		return "", err
	}
	return addr.String(), nil
}
