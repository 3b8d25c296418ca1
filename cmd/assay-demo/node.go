package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/client"
)

const (
	lockPath = "/tmp/assay-ports.lock"
	chainID  = "assay-demo"
	grpcAddr = "127.0.0.1:9090"
)

// sharedPorts are the node's fixed loopback ports (RPC, gRPC, REST, p2p);
// other test suites on this machine use them too, hence the lock.
var sharedPorts = []string{"127.0.0.1:26657", grpcAddr, "127.0.0.1:1317", "127.0.0.1:26656"}

// baseKeys are the test-keyring keys every demo chain has, each funded;
// validator hotkeys for the second subnet are added (see hotkey).
var baseKeys = []string{"alice", "bob", "owner", "miner1", "miner2", "miner3", "miner4", "miner5", "miner6", "miner7", "validator1", "validator2"}

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

// initHome writes a one-node chain into home with `assayd testnet init`,
// the bootstrap scripts/localnet.sh uses too (funded test-keyring keys, alice
// the validator, the localnet x/subnet periods, loopback ports, REST on,
// minimum gas price 0), with the demo's chain id and keys and blockTime
// blocks, and opens its keyring.
func initHome(ctx context.Context, assayd, home string, keyNames []string, blockTime time.Duration) (keyring.Keyring, error) {
	if _, err := runTool(ctx, assayd, "testnet", "init", "--output-dir", home, "--chain-id", chainID,
		"--keys", strings.Join(keyNames, ","), "--commit-timeout", blockTime.String()); err != nil {
		return nil, err
	}
	return openKeyring(home)
}
