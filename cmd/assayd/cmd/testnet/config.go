// Package testnet writes the homes of a development network on loopback: the
// one-node localnet (scripts/localnet.sh, make demo) and the four-validator
// testnet (scripts/testnet.sh) come from the same code, `assayd testnet init`.
//
// Every node home gets the same genesis (funded test-keyring keys, one gentx
// per validator, the short x/subnet periods of SubnetParams), the same test
// keyring, and a config that listens only on 127.0.0.1 at the ports of Ports.
package testnet

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"time"

	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/app"
)

// Config is one `assayd testnet init`: how many nodes, where, and what the
// genesis funds. DefaultConfig gives the localnet's values.
type Config struct {
	Nodes     int    // validators, each in its own home
	OutputDir string // the home itself for one node, else the parent of node0..nodeN-1
	ChainID   string
	// PortOffset shifts every port of every node (Ports).
	PortOffset     int
	KeyringBackend string
	// Keys are the funded test-keyring keys every home holds.
	Keys          []string
	Fund          string // per key and per operator
	SelfStake     string // per validator
	CommitTimeout time.Duration
	MinGasPrices  string
}

// DefaultKeys are the funded keys of every localnet (DESIGN §10).
var DefaultKeys = []string{"alice", "bob", "owner", "miner1", "miner2", "miner3", "validator1", "validator2"}

// MaxNodes keeps ten port slots per node well inside the port range and the
// node kinds from running into each other (1317 + 10·i stays below 6060).
const MaxNodes = 100

// DefaultConfig is the one-node localnet: chain assay-localnet, 1 s blocks,
// 1,000,000 ASSAY per key, 100,000 ASSAY self-stake, zero minimum gas price.
func DefaultConfig() Config {
	return Config{
		Nodes:          1,
		ChainID:        "assay-localnet",
		KeyringBackend: keyring.BackendTest,
		Keys:           append([]string(nil), DefaultKeys...),
		Fund:           "1000000000000" + app.BondDenom,
		SelfStake:      "100000000000" + app.BondDenom,
		CommitTimeout:  time.Second,
		MinGasPrices:   "0" + app.BondDenom,
	}
}

// Moniker is node i's name, also the name of its home under OutputDir.
func Moniker(i int) string { return fmt.Sprintf("node%d", i) }

// Home is node i's home: OutputDir itself for one node (so the localnet
// home is $ASSAY_HOME), else OutputDir/nodeI.
func (c Config) Home(i int) string {
	if c.Nodes == 1 {
		return c.OutputDir
	}
	return filepath.Join(c.OutputDir, Moniker(i))
}

// Operators are the keys that sign the gentxs, one per node. A one-node
// net's validator is the first funded key (alice on the localnet, as it
// always was); several nodes get equal operators node0..nodeN-1 of their own.
func (c Config) Operators() []string {
	if c.Nodes == 1 {
		return []string{c.Keys[0]}
	}
	ops := make([]string, c.Nodes)
	for i := range ops {
		ops[i] = Moniker(i)
	}
	return ops
}

// fundedKeys are every key the genesis funds: Keys, then a multi-node net's
// operators node0..nodeN-1.
func (c Config) fundedKeys() []string {
	keys := append([]string(nil), c.Keys...)
	if c.Nodes > 1 {
		keys = append(keys, c.Operators()...)
	}
	return keys
}

var keyName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// Validate rejects a config that would write a broken network, naming the
// flag at fault.
func (c Config) Validate() error {
	if c.Nodes < 1 || c.Nodes > MaxNodes {
		return fmt.Errorf("--nodes %d: must be 1..%d", c.Nodes, MaxNodes)
	}
	if c.OutputDir == "" {
		return errors.New("--output-dir is required")
	}
	if c.ChainID == "" {
		return errors.New("--chain-id must not be empty")
	}
	if c.KeyringBackend != keyring.BackendTest {
		return fmt.Errorf("--keyring-backend %q: only %q is supported, the keys of a dev network are throwaway and unencrypted",
			c.KeyringBackend, keyring.BackendTest)
	}
	if err := c.validateKeys(); err != nil {
		return err
	}
	if err := c.validatePorts(); err != nil {
		return err
	}
	if err := c.validateAmounts(); err != nil {
		return err
	}
	if c.CommitTimeout <= 0 {
		return fmt.Errorf("--commit-timeout %s: must be positive", c.CommitTimeout)
	}
	if _, err := sdk.ParseDecCoins(c.MinGasPrices); err != nil {
		return fmt.Errorf("--minimum-gas-prices %q: %w", c.MinGasPrices, err)
	}
	return nil
}

func (c Config) validateKeys() error {
	if len(c.Keys) == 0 {
		return errors.New("--keys: at least one key is needed (the one-node validator is the first)")
	}
	seen := map[string]bool{}
	for _, k := range c.fundedKeys() {
		if !keyName.MatchString(k) {
			return fmt.Errorf("--keys: %q is not a key name (letters, digits, '_', '.', '-')", k)
		}
		if seen[k] {
			if c.Nodes > 1 {
				return fmt.Errorf("--keys: %q is listed twice or is one of the operators node0..node%d", k, c.Nodes-1)
			}
			return fmt.Errorf("--keys: %q is listed twice", k)
		}
		seen[k] = true
	}
	return nil
}

func (c Config) validatePorts() error {
	if c.PortOffset < 0 {
		return fmt.Errorf("--port-offset %d: must not be negative", c.PortOffset)
	}
	for _, p := range PortsOf(c.PortOffset, c.Nodes-1).list() {
		if p.port > 65535 {
			return fmt.Errorf("--port-offset %d: node%d's %s port would be %d, above 65535", c.PortOffset, c.Nodes-1, p.kind, p.port)
		}
	}
	return nil
}

func (c Config) validateAmounts() error {
	fund, err := bondCoin("--fund", c.Fund)
	if err != nil {
		return err
	}
	stake, err := bondCoin("--self-stake", c.SelfStake)
	if err != nil {
		return err
	}
	if stake.Amount.LT(sdk.DefaultPowerReduction) {
		return fmt.Errorf("--self-stake %s: below %s%s, the validator would have no voting power",
			c.SelfStake, sdk.DefaultPowerReduction, app.BondDenom)
	}
	if stake.Amount.GT(fund.Amount) {
		return fmt.Errorf("--self-stake %s: more than --fund %s", c.SelfStake, c.Fund)
	}
	return nil
}

// bondCoin parses a positive amount of the bond denom.
func bondCoin(flag, s string) (sdk.Coin, error) {
	coin, err := sdk.ParseCoinNormalized(s)
	if err != nil {
		return sdk.Coin{}, fmt.Errorf("%s %q: %w", flag, s, err)
	}
	if coin.Denom != app.BondDenom || !coin.Amount.GT(math.ZeroInt()) {
		return sdk.Coin{}, fmt.Errorf("%s %q: must be a positive amount of %s", flag, s, app.BondDenom)
	}
	return coin, nil
}
