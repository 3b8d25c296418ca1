package testnet

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/genutil"

	"github.com/assay-network/assay/app"
)

// Node is one initialised node of the network.
type Node struct {
	Moniker  string
	Home     string
	NodeID   string // CometBFT p2p id
	Operator string // the key whose self-delegation makes it a validator
	Ports    Ports
}

// Init writes the homes of a cfg.Nodes-validator network: one test keyring
// with every funded key (the same in every home), each node's validator
// keys, one shared genesis with a gentx per node, and each node's config
// with the others as persistent peers. a supplies the codecs, default
// genesis and genesis validation. If it fails, it removes what it wrote.
func Init(ctx context.Context, a *app.App, cfg Config) (nodes []Node, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	owned, err := claimHomes(cfg)
	defer func() {
		if err != nil {
			for i := len(owned) - 1; i >= 0; i-- {
				os.RemoveAll(owned[i])
			}
		}
	}()
	if err != nil {
		return nil, err
	}

	cdc := a.AppCodec()
	addrs, err := createKeys(cfg.Home(0), cdc, cfg.fundedKeys())
	if err != nil {
		return nil, err
	}
	for i := 1; i < cfg.Nodes; i++ {
		if err := copyKeyring(cfg.Home(0), cfg.Home(i)); err != nil {
			return nil, fmt.Errorf("%s: keyring: %w", Moniker(i), err)
		}
	}

	ops := cfg.Operators()
	gentxs := make([]sdk.Tx, cfg.Nodes)
	nodes = make([]Node, cfg.Nodes)
	for i := range nodes {
		vk, err := initValidatorKeys(cfg, i)
		if err != nil {
			return nil, err
		}
		if gentxs[i], err = signGentx(ctx, cdc, a.TxConfig(), cfg, i, vk); err != nil {
			return nil, err
		}
		nodes[i] = Node{Moniker: Moniker(i), Home: cfg.Home(i), NodeID: vk.nodeID, Operator: ops[i], Ports: PortsOf(cfg.PortOffset, i)}
	}

	g, err := buildGenesis(a, cfg, addrs, gentxs)
	if err != nil {
		return nil, err
	}
	for i, n := range nodes {
		if err := writeNodeConfig(cfg, i, peersOf(nodes, i)); err != nil {
			return nil, fmt.Errorf("%s: config: %w", n.Moniker, err)
		}
		if err := genutil.ExportGenesisFile(g, filepath.Join(n.Home, "config", "genesis.json")); err != nil {
			return nil, fmt.Errorf("%s: genesis: %w", n.Moniker, err)
		}
	}
	return nodes, nil
}

// peersOf is every node but i, in node order, as CometBFT persistent peers.
func peersOf(nodes []Node, i int) []string {
	var peers []string
	for j, n := range nodes {
		if j != i {
			peers = append(peers, n.Ports.PeerAddress(n.NodeID))
		}
	}
	return peers
}

// nodeDirs are what Init writes into a home; a home holding any of them
// already is a node.
var nodeDirs = []string{"config", "data", keyringDir}

// claimHomes creates every node home with its config and data directories,
// refusing a home that already holds a node. It returns the paths it
// created, so a failed Init can remove exactly those: a one-node OutputDir
// may already hold other files (make demo keeps its logs there).
func claimHomes(cfg Config) (owned []string, err error) {
	for i := 0; i < cfg.Nodes; i++ {
		home := cfg.Home(i)
		for _, d := range nodeDirs {
			if _, err := os.Stat(filepath.Join(home, d)); err == nil {
				return owned, fmt.Errorf("%s already holds a node (%s/ exists): remove it (scripts/localnet.sh reset) or choose another --output-dir", home, d)
			} else if !errors.Is(err, fs.ErrNotExist) {
				return owned, err
			}
		}
	}
	if _, err := os.Stat(cfg.OutputDir); errors.Is(err, fs.ErrNotExist) {
		owned = append(owned, cfg.OutputDir)
	}
	for i := 0; i < cfg.Nodes; i++ {
		home := cfg.Home(i)
		if _, err := os.Stat(home); errors.Is(err, fs.ErrNotExist) {
			owned = append(owned, home)
		}
		for _, d := range nodeDirs {
			owned = append(owned, filepath.Join(home, d))
		}
		for _, d := range []string{"config", "data"} {
			if err := os.MkdirAll(filepath.Join(home, d), 0o700); err != nil {
				return owned, err
			}
		}
	}
	return owned, nil
}
