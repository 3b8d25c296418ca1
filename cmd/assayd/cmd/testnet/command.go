package testnet

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/server"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
	"github.com/spf13/cobra"

	"github.com/assay-network/assay/app"
)

// NewCommand is `assayd testnet`; a supplies the codecs and genesis.
func NewCommand(a *app.App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "testnet",
		Short: "Development networks on 127.0.0.1 (scripts/localnet.sh, scripts/testnet.sh, make demo)",
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
		// The root's pre-run writes a default config into --home; these
		// commands write only under --output-dir.
		PersistentPreRunE: func(*cobra.Command, []string) error { return nil },
	}
	cmd.AddCommand(newInitCommand(a))
	return cmd
}

func newInitCommand(a *app.App) *cobra.Command {
	cfg := DefaultConfig()
	cmd := &cobra.Command{
		Use:   "init --output-dir DIR [--nodes N]",
		Short: "Write the node homes of an N-validator network on 127.0.0.1 (the one-node localnet by default)",
		Long: `Write the homes of a development network whose validators all run on this machine.

With --nodes 1 (the default), --output-dir is the node home and its validator is
the first of --keys (alice), as scripts/localnet.sh has it. With more nodes, the
homes are DIR/node0 ... DIR/nodeN-1 and the validators are new keys node0 ...
nodeN-1 with equal self-stake, each node with the others as persistent peers.

Every home holds the same test keyring with every key, each funded with --fund in
the genesis, and the same genesis with the localnet's short x/subnet periods
(tempo 10, commit-reveal on, reveal period 1, immunity 100). Node i listens only
on 127.0.0.1, at the CometBFT and Cosmos SDK default ports plus
--port-offset + 10*i: p2p 26656, RPC 26657, ABCI 26658, Prometheus 26660 (off),
pprof 6060, gRPC 9090, REST 1317 (on). Its client.toml points at its own RPC, so
'export ASSAY_HOME=<home>' is all the CLI needs.`,
		Example: `  assayd testnet init --output-dir ./.localnet
  assayd testnet init --nodes 4 --output-dir ./.testnet --chain-id assay-testnet --port-offset 2000`,
		Args:         cobra.NoArgs,
		SilenceUsage: true, // a refused config is explained by its error, not the flag list
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := filepath.Abs(cfg.OutputDir)
			if err != nil {
				return fmt.Errorf("--output-dir %q: %w", cfg.OutputDir, err)
			}
			c := cfg
			c.OutputDir = dir
			nodes, err := Init(cmd.Context(), a, c)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "chain %s: %d validator(s), keys %s (keyring-backend %s)\n",
				c.ChainID, len(nodes), strings.Join(c.fundedKeys(), " "), c.KeyringBackend)
			for _, n := range nodes {
				fmt.Fprintf(out, "%s  home %s  validator %s  rpc %s  grpc %s  rest %s  p2p %s\n", n.Moniker, n.Home, n.Operator,
					addr(n.Ports.RPC), addr(n.Ports.GRPC), addr(n.Ports.API), addr(n.Ports.P2P))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&cfg.Nodes, "nodes", cfg.Nodes, "number of validators, each in its own home")
	f.StringVar(&cfg.OutputDir, "output-dir", "", "the node home (one node) or the parent of node0..nodeN-1 (required)")
	f.StringVar(&cfg.ChainID, flags.FlagChainID, cfg.ChainID, "chain id")
	f.IntVar(&cfg.PortOffset, "port-offset", cfg.PortOffset, "added to every port of every node")
	f.StringVar(&cfg.KeyringBackend, flags.FlagKeyringBackend, cfg.KeyringBackend, "keyring backend (only test)")
	f.StringSliceVar(&cfg.Keys, "keys", cfg.Keys, "funded keys in every home's keyring; the first is the one-node validator")
	f.StringVar(&cfg.Fund, "fund", cfg.Fund, "genesis balance of every key")
	f.StringVar(&cfg.SelfStake, "self-stake", cfg.SelfStake, "self-delegation of every validator")
	f.DurationVar(&cfg.CommitTimeout, "commit-timeout", cfg.CommitTimeout, "CometBFT timeout_commit: roughly the block time")
	f.StringVar(&cfg.MinGasPrices, server.FlagMinGasPrices, cfg.MinGasPrices, "minimum gas prices every node accepts")
	_ = cmd.MarkFlagRequired("output-dir")
	return cmd
}

// NewLocalnetGenesisCommand is `assayd localnet-genesis`: SubnetParams into
// the genesis of --home, for a genesis built by hand with `assayd init`.
func NewLocalnetGenesisCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "localnet-genesis",
		Short: "Set short localnet periods (tempo 10, immunity 100, ...) in the genesis file of --home",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			clientCtx := client.GetClientContextFromCmd(cmd)
			home, _ := cmd.Flags().GetString(flags.FlagHome)
			if home == "" {
				home = clientCtx.HomeDir
			}
			path := filepath.Join(home, "config", "genesis.json")
			appGen, err := genutiltypes.AppGenesisFromFile(path)
			if err != nil {
				return fmt.Errorf("reading %s: %w", path, err)
			}
			var state map[string]json.RawMessage
			if err := json.Unmarshal(appGen.AppState, &state); err != nil {
				return fmt.Errorf("app_state of %s: %w", path, err)
			}
			if err := setSubnetParams(clientCtx.Codec, state); err != nil {
				return err
			}
			if appGen.AppState, err = json.Marshal(state); err != nil {
				return err
			}
			return appGen.SaveAs(path)
		},
	}
}
