package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/client"
)

const (
	lockPath = "/tmp/assay-ports.lock"
	chainID  = "assay-demo"
	rpcAddr  = "127.0.0.1:26657"
	grpcAddr = "127.0.0.1:9090"
	fund     = "1000000000000" // 1,000,000 ASSAY per key
	selfBond = "100000000000uassay"
)

// sharedPorts are the node's fixed loopback ports; other test suites on
// this machine use them too, hence the lock.
var sharedPorts = []string{rpcAddr, grpcAddr, "127.0.0.1:1317", "127.0.0.1:26656"}

// baseKeys are the test-keyring keys every demo chain has, each funded;
// validator hotkeys for the second subnet are added (see hotkey).
var baseKeys = []string{"alice", "bob", "owner", "miner1", "miner2", "miner3", "miner4", "validator1", "validator2"}

// lockPorts takes the machine-wide exclusive lock on the shared node ports,
// waiting (and saying so) while another chain holds it. The lock goes with
// the returned file: closing it, or this process ending, releases it.
func lockPorts(ctx context.Context, wait time.Duration) (*os.File, error) {
	f, err := os.OpenFile(lockPath, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", lockPath, err)
	}
	deadline := time.Now().Add(wait)
	said := false
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return f, nil
		}
		if err != syscall.EWOULDBLOCK {
			f.Close()
			return nil, fmt.Errorf("flock %s: %w", lockPath, err)
		}
		if !said {
			progress("waiting for %s: another local chain (a test or localnet) holds ports 26657/9090/1317/26656", lockPath)
			said = true
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("%s still held after %s: another chain is using ports 26657/9090/1317/26656", lockPath, wait)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// checkPortsFree fails if anything listens on the node's ports (e.g. a
// localnet started by scripts/localnet.sh, which does not take the lock).
func checkPortsFree() error {
	for _, a := range sharedPorts {
		l, err := net.Listen("tcp", a)
		if err != nil {
			return fmt.Errorf("port %s is in use (a node from `scripts/localnet.sh start`? stop it with `scripts/localnet.sh stop`): %w", a, err)
		}
		l.Close()
	}
	return nil
}

// freePort returns a loopback address with a port nobody listens on now.
func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func openKeyring(home string) (keyring.Keyring, error) {
	cdc, _ := client.Codec()
	return keyring.New(sdk.KeyringServiceName(), keyring.BackendTest, home, nil, cdc)
}

// initHome writes a one-node chain into home the way scripts/localnet.sh
// does (funded test-keyring keys, a gentx from alice, `localnet-genesis`
// periods, loopback ports, minimum gas price 0) with blockTime blocks.
func initHome(ctx context.Context, assayd, home string, keyNames []string, blockTime time.Duration) (keyring.Keyring, error) {
	d := func(args ...string) error {
		_, err := runTool(ctx, assayd, append(args, "--home", home)...)
		return err
	}
	if err := d("init", "demo", "--chain-id", chainID); err != nil {
		return nil, err
	}
	kr, err := openKeyring(home)
	if err != nil {
		return nil, err
	}
	type coin struct {
		Denom  string `json:"denom"`
		Amount string `json:"amount"`
	}
	type account struct {
		Address string `json:"address"`
		Coins   []coin `json:"coins"`
	}
	var accounts []account
	for _, k := range keyNames {
		rec, _, err := kr.NewMnemonic(k, keyring.English, sdk.FullFundraiserPath, keyring.DefaultBIP39Passphrase, hd.Secp256k1)
		if err != nil {
			return nil, fmt.Errorf("key %s: %w", k, err)
		}
		addr, err := rec.GetAddress()
		if err != nil {
			return nil, err
		}
		accounts = append(accounts, account{Address: addr.String(), Coins: []coin{{"uassay", fund}}})
	}
	bz, err := json.Marshal(accounts)
	if err != nil {
		return nil, err
	}
	accFile := filepath.Join(home, "accounts.json")
	if err := os.WriteFile(accFile, bz, 0o644); err != nil {
		return nil, err
	}
	steps := [][]string{
		{"genesis", "bulk-add-genesis-account", accFile},
		{"genesis", "gentx", "alice", selfBond, "--chain-id", chainID, "--keyring-backend", "test"},
		{"genesis", "collect-gentxs"},
		{"localnet-genesis"},
	}
	for _, s := range steps {
		if err := d(s...); err != nil {
			return nil, err
		}
	}
	cfg := filepath.Join(home, "config")
	if err := editFile(filepath.Join(cfg, "config.toml"), map[string]string{
		`timeout_commit = "5s"`:           fmt.Sprintf("timeout_commit = %q", blockTime.String()),
		`laddr = "tcp://0.0.0.0:26656"`:   `laddr = "tcp://127.0.0.1:26656"`,
		`pprof_laddr = "localhost:6060"`:  `pprof_laddr = ""`,
		`laddr = "tcp://127.0.0.1:26657"`: `laddr = "tcp://127.0.0.1:26657"`,
	}); err != nil {
		return nil, err
	}
	if err := editFile(filepath.Join(cfg, "app.toml"), map[string]string{
		`address = "localhost:9090"`:       `address = "127.0.0.1:9090"`,
		`address = "tcp://localhost:1317"`: `address = "tcp://127.0.0.1:1317"`,
	}); err != nil {
		return nil, err
	}
	clientToml := fmt.Sprintf("chain-id = %q\nkeyring-backend = \"test\"\nkeyring-default-keyname = \"\"\noutput = \"text\"\nnode = \"tcp://%s\"\nbroadcast-mode = \"sync\"\n", chainID, rpcAddr)
	if err := os.WriteFile(filepath.Join(cfg, "client.toml"), []byte(clientToml), 0o644); err != nil {
		return nil, err
	}
	if err := d("genesis", "validate"); err != nil {
		return nil, err
	}
	return kr, nil
}

// editFile replaces each old string with its new one; every old string must occur.
func editFile(path string, repl map[string]string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s := string(b)
	for old, nu := range repl {
		if !strings.Contains(s, old) {
			return fmt.Errorf("%s: %q not found (assayd init wrote an unexpected config)", path, old)
		}
		s = strings.ReplaceAll(s, old, nu)
	}
	return os.WriteFile(path, []byte(s), 0o644)
}
