package cmd

import (
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/daemon"
	"github.com/assay-network/assay/gateway"
)

func newRunCmd() *cobra.Command {
	var (
		from, grpcAddr, listen, keysPath, metricsAddr string
		netuids                                       []uint
		states                                        []string
		anonymous                                     bool
		keys                                          daemon.KeyringFlags
		cfg                                           gateway.Config
	)
	c := &cobra.Command{
		Use:   "run --netuid N --from HOTKEY [--listen 127.0.0.1:8700] [--keys keys.toml]",
		Short: "Serve the HTTP API for subnet N, routing to its miners by on-chain incentive",
		Long: `Serve POST /v1/subnets/{netuid}/infer, GET /v1/subnets/{netuid}/task,
GET /v1/subnets and /openapi.json on --listen. --from is a validator hotkey
with a permit on the subnet (miners answer only permitted validators): it
signs the synapse requests and countersigns every receipt. Callers need an
API key from --keys (see "assay-gateway keygen"); anonymous callers only when
keys.toml enables [anonymous] or --anonymous is given (unlimited rates).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			log := zerolog.Ctx(cmd.Context())
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			for _, n := range netuids {
				if n == 0 || n > 65535 {
					return fmt.Errorf("--netuid %d: want 1..65535", n)
				}
				cfg.Netuids = append(cfg.Netuids, uint16(n))
			}
			ks := &gateway.Keys{}
			if keysPath != "" {
				var err error
				if ks, err = gateway.LoadKeys(keysPath); err != nil {
					return fmt.Errorf("--keys: %w", err)
				}
			}
			if anonymous {
				var err error
				if ks, err = ks.WithAnonymous(gateway.Limit{Enabled: true}); err != nil {
					return err
				}
			}
			kr, err := keys.Open(cmd.InOrStdin())
			if err != nil {
				return err
			}
			signer, err := client.NewKeyringSigner(kr, from)
			if err != nil {
				return fmt.Errorf("--from: %w", err)
			}
			lis, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("--listen %s: %w", listen, err)
			}
			defer lis.Close()
			chain, err := daemon.DialChain(ctx, *log, daemon.ChainDial{Addr: grpcAddr})
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			defer chain.Close()
			reg := daemon.NewRegistry()
			deps := gateway.Deps{Chain: gateway.ClientChain{C: chain}, Signer: signer, Keys: ks, Registry: reg, Log: *log}
			if len(states) > 0 {
				deps.Skipper = &gateway.StateFiles{Paths: states, Log: *log}
			}
			g, err := gateway.New(cfg, deps)
			if err != nil {
				return err
			}
			defer g.Close()
			eg, gctx := errgroup.WithContext(ctx)
			if metricsAddr != "" {
				mlis, err := net.Listen("tcp", metricsAddr)
				if err != nil {
					return fmt.Errorf("--metrics %s: %w", metricsAddr, err)
				}
				eg.Go(func() error { return daemon.ServeHTTP(gctx, mlis, reg, g.Health) })
			}
			eg.Go(func() error { return g.Serve(gctx, lis) })
			log.Info().Str("listen", lis.Addr().String()).Uints16("netuids", cfg.Netuids).Str("hotkey", signer.Address()).
				Int("redundancy", cfg.Redundancy).Msg("gateway serving")
			fmt.Fprintf(cmd.OutOrStdout(), "assay-gateway listening on http://%s (netuids %v)\n", lis.Addr(), cfg.Netuids)
			return eg.Wait()
		},
	}
	f := c.Flags()
	f.UintSliceVar(&netuids, "netuid", nil, "subnet(s) to serve (required; repeat or comma-separate)")
	f.StringVar(&from, "from", "", "validator hotkey: keyring key name or address (required)")
	keys.AddFlags(f)
	f.StringVar(&grpcAddr, "grpc", "127.0.0.1:9090", "node gRPC endpoint")
	f.StringVar(&listen, "listen", "127.0.0.1:8700", "HTTP API address")
	f.StringVar(&keysPath, "keys", "", "API keys and rate limits (TOML; see gateway/README.md)")
	f.BoolVar(&anonymous, "anonymous", false, "admit callers without a key, unlimited (overrides keys.toml's [anonymous])")
	f.StringVar(&metricsAddr, "metrics", "127.0.0.1:9103", "Prometheus /metrics and /healthz address (empty: off)")
	f.IntVar(&cfg.Redundancy, "redundancy", 1, "k: miners asked per request (k ≥ 3: majority answer)")
	f.DurationVar(&cfg.HedgeAfter, "hedge-after", 0, "ask the next miner too when none answered after this (default: the task's max_latency_ms/4)")
	f.DurationVar(&cfg.Deadline, "deadline", 0, "a request's overall deadline (default: 2 × the task's max_latency_ms)")
	f.DurationVar(&cfg.SyncInterval, "sync-interval", time.Second, "metagraph refresh interval (about one block)")
	f.StringArrayVar(&states, "validator-state", nil, "validator state file(s): skip miners its last round culled (trivial, mismatch, unverifiable, copy)")
	f.StringVar(&cfg.DataDir, "data-dir", "", "data directory for the tasks' files (default $ASSAY_DATA_DIR or <repo>/data)")
	for _, r := range []string{"netuid", "from"} {
		_ = c.MarkFlagRequired(r)
	}
	return c
}
