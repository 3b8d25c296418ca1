// Package cmd holds assay-validator's cobra commands: run and inspect-state.
package cmd

import (
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/daemon"
	"github.com/assay-network/assay/validator"
	"github.com/assay-network/assay/validator/state"
)

// NewRootCmd builds the assay-validator command tree.
func NewRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:          "assay-validator",
		Short:        "Assay validator: score miners for quality and bias, set weights on chain",
		SilenceUsage: true,
	}
	daemon.SetupLogging(root)
	root.AddCommand(newRunCmd(), newInspectStateCmd())
	return root
}

func newRunCmd() *cobra.Command {
	var (
		from, grpcAddr, gasPrices string
		keys                      daemon.KeyringFlags
		cfg                       validator.Config
	)
	c := &cobra.Command{
		Use:   "run --netuid N --from KEY",
		Short: "Sync the metagraph, query and score every serving miner, commit and reveal weights",
		Long: `Run the validator loop on one subnet until SIGINT/SIGTERM. --from is the
validator hotkey in the keyring of --home: it signs synapse requests and weight
txs, and needs a validator permit (stake ≥ the subnet's min_validator_stake).
Scores and pending weight commits live in --state (default
<home>/validator/<netuid>-<hotkey>.json) and survive restarts.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			log := zerolog.Ctx(cmd.Context())
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			kr, err := keys.Open(cmd.InOrStdin())
			if err != nil {
				return err
			}
			signer, err := client.NewKeyringSigner(kr, from)
			if err != nil {
				return fmt.Errorf("--from: %w", err)
			}
			// A node that is down is waited for, until SIGINT/SIGTERM.
			chain, err := daemon.DialChain(ctx, *log, daemon.ChainDial{Addr: grpcAddr, Keyring: kr, Options: client.ChainOptions{GasPrices: gasPrices}})
			if err != nil {
				if ctx.Err() != nil {
					return nil // stopped while waiting: a clean exit
				}
				return err
			}
			defer chain.Close()
			vc, err := validator.NewClientChain(chain, signer.Name())
			if err != nil {
				return err
			}
			if cfg.StatePath == "" {
				cfg.StatePath = filepath.Join(keys.Home, "validator", fmt.Sprintf("%d-%s.json", cfg.Netuid, signer.Address()))
			}
			reg := daemon.NewRegistry()
			v, err := validator.New(cfg, validator.Deps{Chain: vc, Signer: signer, Registry: reg, Gatherer: reg, Log: *log})
			if err != nil {
				return err
			}
			return v.Run(ctx)
		},
	}
	f := c.Flags()
	f.Uint16Var(&cfg.Netuid, "netuid", 0, "subnet to validate (required)")
	f.StringVar(&from, "from", "", "validator hotkey: keyring key name or address (required)")
	keys.AddFlags(f)
	f.StringVar(&grpcAddr, "grpc", "127.0.0.1:9090", "node gRPC endpoint (queries and txs)")
	f.StringVar(&gasPrices, "gas-prices", "0uassay", "gas price of weight txs")
	f.StringVar(&cfg.StatePath, "state", "", "state file (default <home>/validator/<netuid>-<hotkey>.json)")
	f.StringVar(&cfg.DataDir, "data-dir", "", "data directory; the task's files are fetched into its sha256/ cache (default $ASSAY_DATA_DIR or <repo>/data)")
	f.StringVar(&cfg.MetricsAddr, "metrics", "127.0.0.1:9102", "Prometheus /metrics and /healthz address (empty: off)")
	f.DurationVar(&cfg.SyncInterval, "sync-interval", time.Second, "metagraph poll interval (about one block)")
	f.DurationVar(&cfg.RoundInterval, "round-interval", 12*time.Second, "time between query rounds")
	f.IntVar(&cfg.BatchSize, "batch", 64, "held-out rows per challenge")
	f.IntVar(&cfg.Pairs, "pairs", 32, "counterfactual twins per challenge (mixed in)")
	f.DurationVar(&cfg.QueryTimeout, "query-timeout", 0, "deadline of one miner query (default: the task's max_latency_ms)")
	f.DurationVar(&cfg.TargetLatency, "target-latency", 0, "latency below which the latency factor is 1 (default: max_latency/4)")
	f.Float64Var(&cfg.Alpha, "alpha", 0.1, "EMA weight of a new round's score")
	f.Uint64Var(&cfg.Seed, "seed", 0, "challenge sampling seed (0: random)")
	f.Uint64Var(&cfg.VersionKey, "version-key", 0, "weights version key (at least the subnet's weights_version)")
	f.IntVar(&cfg.Concurrency, "concurrency", 64, "miners queried at once")
	f.IntVar(&cfg.ModelCacheMB, "model-cache-mb", 64, "in-memory cache of fetched miner models (MiB, LRU); also the largest model fetched")
	f.Float64Var(&cfg.ReplayFraction, "replay-fraction", 0, "share of each round's rows replayed with the miner's published model, in (0, 1] (0: 1.0 for models under 1 MiB, 0.25 above)")
	f.DurationVar(&cfg.FetchTimeout, "model-fetch-timeout", 30*time.Second, "deadline of one model download (runs in the background; the UID is unverifiable until it is in)")
	daemon.AddConfigFlag(c)
	for _, r := range []string{"netuid", "from"} {
		_ = c.MarkFlagRequired(r)
	}
	return c
}

func newInspectStateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "inspect-state FILE",
		Short: "Print a validator state file (scores per UID with the reason of a 0, pending commits) as JSON",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			s, err := state.Decode(b)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent("", "  ")
			return enc.Encode(s)
		},
	}
}
