package daemon

import (
	"strings"
	"testing"

	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
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
