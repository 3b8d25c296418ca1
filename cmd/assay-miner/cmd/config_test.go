package cmd

import (
	"testing"

	"github.com/assay-network/assay/daemon"
)

// The example config the docs point at names only flags of serve, and a
// flag given on the command line wins over it.
func TestExampleConfigIsValid(t *testing.T) {
	serve, _, err := NewRootCmd().Find([]string{"serve"})
	if err != nil {
		t.Fatal(err)
	}
	if err := serve.ParseFlags([]string{"--config", "../../../scripts/systemd/miner.toml", "--listen", "127.0.0.1:8092"}); err != nil {
		t.Fatal(err)
	}
	if err := daemon.ApplyConfig(serve, func(string) string { return "" }); err != nil {
		t.Fatal(err)
	}
	for flag, want := range map[string]string{"listen": "127.0.0.1:8092", "announce": "203.0.113.7:8091", "netuid": "1", "keyring-backend": "file"} {
		if got := serve.Flags().Lookup(flag).Value.String(); got != want {
			t.Errorf("--%s = %q, want %q", flag, got, want)
		}
	}
}
