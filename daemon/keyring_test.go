package daemon

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/rs/zerolog"
	"github.com/spf13/pflag"
)

func TestKeyringFlagsOpen(t *testing.T) {
	var k KeyringFlags
	f := pflag.NewFlagSet("t", pflag.ContinueOnError)
	k.AddFlags(f)
	home := t.TempDir()
	if err := f.Parse([]string{"--home", home}); err != nil {
		t.Fatal(err)
	}
	if k.Home != home || k.Backend != "test" {
		t.Fatalf("flags %+v", k)
	}
	kr, err := k.Open(strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	rec, _, err := kr.NewMnemonic("hot", keyring.English, "m/44'/118'/0'/0/0", keyring.DefaultBIP39Passphrase, hd.Secp256k1)
	if err != nil {
		t.Fatal(err)
	}
	addr, err := rec.GetAddress()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(addr.String(), "assay1") {
		t.Errorf("address %s lacks the chain's prefix", addr)
	}
	// Reopening finds the key on disk.
	kr2, err := k.Open(strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kr2.Key("hot"); err != nil {
		t.Errorf("key not found after reopening: %v", err)
	}

	k.Backend = "nosuch"
	if _, err := k.Open(strings.NewReader("")); err == nil || !strings.Contains(err.Error(), "keyring (nosuch in "+home+")") {
		t.Errorf("bad backend: %v", err)
	}
}

// The file keyring opens without a prompt from --keyring-passphrase-file or
// ASSAY_KEYRING_PASSPHRASE, which a systemd unit can give it.
func TestFileKeyringPassphraseWithoutPrompt(t *testing.T) {
	home := t.TempDir()
	pass := filepath.Join(t.TempDir(), "pass")
	if err := os.WriteFile(pass, []byte("correct horse battery\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	k := KeyringFlags{Home: home, Backend: keyring.BackendFile, PassphraseFile: pass}
	kr, err := k.Open(strings.NewReader("")) // an empty stdin: a prompt would fail
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := kr.NewMnemonic("hot", keyring.English, "m/44'/118'/0'/0/0", keyring.DefaultBIP39Passphrase, hd.Secp256k1); err != nil {
		t.Fatal(err)
	}

	t.Setenv(PassphraseEnv, "correct horse battery")
	kr, err = KeyringFlags{Home: home, Backend: keyring.BackendFile}.Open(strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kr.Key("hot"); err != nil {
		t.Errorf("key not readable with the passphrase from %s: %v", PassphraseEnv, err)
	}

	t.Setenv(PassphraseEnv, "wrong")
	kr, err = KeyringFlags{Home: home, Backend: keyring.BackendFile}.Open(strings.NewReader(""))
	if err == nil {
		_, err = kr.Key("hot")
	}
	if err == nil {
		t.Error("a wrong passphrase opened the file keyring")
	}

	empty := filepath.Join(t.TempDir(), "empty")
	_ = os.WriteFile(empty, nil, 0o600)
	_, err = KeyringFlags{Home: home, Backend: keyring.BackendFile, PassphraseFile: empty}.Open(strings.NewReader(""))
	if err == nil || !strings.Contains(err.Error(), "--keyring-passphrase-file") {
		t.Errorf("empty passphrase file: %v", err)
	}
}

func TestWarnTestKeyring(t *testing.T) {
	var out bytes.Buffer
	log := zerolog.New(&out)
	for _, tc := range []struct {
		backend, chain string
		warn           bool
	}{
		{"test", "assay-localnet", false},
		{"test", "assay-testnet", false},
		{"test", "chain-Ab12Cd", false},
		{"test", "assay-1", true},
		{"file", "assay-1", false},
		{"os", "assay-1", false},
	} {
		out.Reset()
		if got := WarnTestKeyring(log, tc.backend, tc.chain); got != tc.warn {
			t.Errorf("%s on %s: warned %v, want %v", tc.backend, tc.chain, got, tc.warn)
		}
		if tc.warn && !strings.Contains(out.String(), "unencrypted") {
			t.Errorf("warning %q does not say why", out.String())
		}
	}
}
