package daemon

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/rs/zerolog"
	"github.com/spf13/pflag"

	"github.com/assay-network/assay/app/params"
	"github.com/assay-network/assay/client"
)

// PassphraseEnv holds the file keyring's passphrase for a daemon that must
// start unattended (systemd); --keyring-passphrase-file is the other way.
const PassphraseEnv = "ASSAY_KEYRING_PASSPHRASE"

// KeyringFlags are --home, --keyring-backend and --keyring-passphrase-file:
// where a daemon's keys are and how to unlock them without a prompt.
type KeyringFlags struct {
	Home           string
	Backend        string
	PassphraseFile string
}

// AddFlags registers the flags on f with their defaults ($ASSAY_HOME or
// ~/.assay, and the test backend the localnet scripts use).
func (k *KeyringFlags) AddFlags(f *pflag.FlagSet) {
	f.StringVar(&k.Home, "home", params.DefaultHome(), "directory holding the keyring")
	f.StringVar(&k.Backend, "keyring-backend", "test", "keyring backend: os, file, test (test is unencrypted: local networks only)")
	f.StringVar(&k.PassphraseFile, "keyring-passphrase-file", "",
		"file whose first line unlocks the file keyring without a prompt (or set "+PassphraseEnv+")")
}

// Open opens the keyring. The file backend's passphrase comes from
// --keyring-passphrase-file, else $ASSAY_KEYRING_PASSPHRASE, else in (a
// prompt). It first sets the SDK's process-wide account prefix, so the
// keyring's addresses read assay1…; keys decode with the chain client's
// codec.
func (k KeyringFlags) Open(in io.Reader) (keyring.Keyring, error) {
	sdk.GetConfig().SetBech32PrefixForAccount(params.Bech32Prefix, params.Bech32Prefix+sdk.PrefixPublic)
	if k.Backend == keyring.BackendFile {
		pass, ok, err := k.passphrase(os.Getenv)
		if err != nil {
			return nil, err
		}
		if ok {
			// The prompt asks once to unlock, twice when it creates the
			// keyring, and retries a wrong passphrase: answer every time.
			in = strings.NewReader(strings.Repeat(pass+"\n", 4))
		}
	}
	cdc, _ := client.Codec()
	kr, err := keyring.New(sdk.KeyringServiceName(), k.Backend, k.Home, in, cdc)
	if err != nil {
		return nil, fmt.Errorf("keyring (%s in %s): %w", k.Backend, k.Home, err)
	}
	return kr, nil
}

// passphrase is the file keyring's passphrase when one is configured.
func (k KeyringFlags) passphrase(getenv func(string) string) (string, bool, error) {
	if k.PassphraseFile != "" {
		f, err := os.Open(k.PassphraseFile)
		if err != nil {
			return "", false, fmt.Errorf("--keyring-passphrase-file: %w", err)
		}
		defer f.Close()
		line, err := bufio.NewReader(f).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", false, fmt.Errorf("--keyring-passphrase-file %s: %w", k.PassphraseFile, err)
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			return "", false, fmt.Errorf("--keyring-passphrase-file %s: the first line is empty", k.PassphraseFile)
		}
		return line, true, nil
	}
	if v := getenv(PassphraseEnv); v != "" {
		return v, true, nil
	}
	return "", false, nil
}

// localChainIDs are the networks this repository starts on loopback
// (scripts/localnet.sh, scripts/testnet.sh, make demo), where throwaway
// test-keyring keys are the point.
var localChainIDs = map[string]bool{"assay-localnet": true, "assay-testnet": true, "assay-demo": true}

// IsLocalChainID says whether chainID is one of those, or an in-process
// test network of the SDK's testutil (chain-XXXXXX).
func IsLocalChainID(chainID string) bool {
	return localChainIDs[chainID] || strings.HasPrefix(chainID, "chain-")
}

// WarnTestKeyring warns when a daemon signs with the unencrypted test
// keyring on a network that is not a local one: anyone who can read --home
// can take the keys and what they hold.
func WarnTestKeyring(log zerolog.Logger, backend, chainID string) bool {
	if backend != keyring.BackendTest || IsLocalChainID(chainID) {
		return false
	}
	log.Warn().Str("chain_id", chainID).Str("keyring_backend", backend).
		Msg("the test keyring stores keys unencrypted on disk; on a shared network use --keyring-backend file " +
			"(with --keyring-passphrase-file or " + PassphraseEnv + ") or os")
	return true
}
