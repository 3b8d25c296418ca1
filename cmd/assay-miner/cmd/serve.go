package cmd

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/daemon"
	"github.com/assay-network/assay/miner"
	"github.com/assay-network/assay/miner/model"
)

// joinDialTimeout bounds how long serve waits for the node before giving
// up: a miner has nothing to do until it has registered and published its
// axon.
const joinDialTimeout = 15 * time.Second

func newServeCmd() *cobra.Command {
	var (
		modelPath, hotkey, coldkey, node, grpcAddr, announce, maxCost, gasPrices string
		netuid                                                                   uint16
		minStake                                                                 uint64
		keys                                                                     daemon.KeyringFlags
		cfg                                                                      miner.Config
	)
	c := &cobra.Command{
		Use:   "serve --model FILE --netuid N --hotkey KEY",
		Short: "Serve a model on a subnet: register if needed, publish the axon, answer validators",
		Long: `Load the model (refusing one made for another task than the subnet's),
bind --listen and --metrics (a start that cannot take its ports stops here,
having changed nothing on chain), register the hotkey on the subnet if it is not yet (the --coldkey pays, never
more than --max-cost), publish the axon endpoint with the model hash, and serve
signed Infer requests until SIGINT/SIGTERM. Keys come from the keyring in --home.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			log := zerolog.Ctx(cmd.Context())
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()

			m, file, err := model.LoadFile(modelPath) // file: streamed by GetModel
			if err != nil {
				return err
			}
			hash := model.HashBytes(file)
			cost, ok := sdkmath.NewIntFromString(maxCost)
			if !ok || cost.IsNegative() {
				return fmt.Errorf("--max-cost %q: want a non-negative integer amount of uassay", maxCost)
			}
			kr, err := keys.Open(cmd.InOrStdin())
			if err != nil {
				return err
			}
			signer, err := client.NewKeyringSigner(kr, hotkey)
			if err != nil {
				return fmt.Errorf("--hotkey: %w", err)
			}
			_ = node // the gRPC endpoint serves queries and txs; --node is kept for assayd-style invocations
			dialCtx, cancel := context.WithTimeout(ctx, joinDialTimeout)
			chain, err := daemon.DialChain(dialCtx, *log, daemon.ChainDial{Addr: grpcAddr, Keyring: kr, Options: client.ChainOptions{GasPrices: gasPrices}})
			cancel()
			if err != nil {
				return err
			}
			defer chain.Close()
			if announce == "" {
				announce = cfg.ListenAddr
			}
			l := log.With().Uint16("netuid", netuid).Str("hotkey", signer.Address()).Logger()
			// Start binds --listen and --metrics before it publishes anything:
			// a second start on a taken port leaves the chain untouched.
			uid, lis, err := miner.Start(ctx, chain, m, cfg, miner.Announce{
				Netuid: netuid, Hotkey: signer.Name(), HotkeyAdr: signer.Address(), Coldkey: coldkey,
				MaxCost: cost, Endpoint: announce, ModelHash: hash,
			}, l)
			if err != nil {
				return err
			}
			permits := &miner.MetagraphPermits{Source: chain, Netuid: netuid, MinStake: minStake, Log: l}
			if err := permits.Refresh(ctx); err != nil {
				lis.Close()
				return fmt.Errorf("loading the metagraph: %w", err)
			}
			go permits.Run(ctx)

			reg := daemon.NewRegistry()
			cfg.Netuid = netuid
			srv, err := miner.New(cfg, miner.Deps{Model: m, ModelHash: hash, ModelFile: file, Signer: signer, Permits: permits,
				Registry: reg, Gatherer: reg, Log: *log, UID: uid})
			if err != nil {
				lis.Close()
				return err
			}
			return srv.Serve(ctx, lis.Axon, lis.Metrics)
		},
	}
	f := c.Flags()
	f.StringVar(&modelPath, "model", "", "model file (required)")
	f.Uint16Var(&netuid, "netuid", 0, "subnet to serve (required)")
	f.StringVar(&hotkey, "hotkey", "", "hotkey: keyring key name or address (required)")
	f.StringVar(&coldkey, "coldkey", "", "coldkey that pays registration if the hotkey is not registered")
	f.StringVar(&maxCost, "max-cost", "1000000000", "the most the coldkey may burn to register, in uassay")
	keys.AddFlags(f)
	f.StringVar(&node, "node", "tcp://127.0.0.1:26657", "CometBFT RPC (informational; queries and txs use --grpc)")
	f.StringVar(&grpcAddr, "grpc", "127.0.0.1:9090", "node gRPC endpoint")
	f.StringVar(&gasPrices, "gas-prices", "0uassay", "gas price for the registration and axon txs")
	f.StringVar(&cfg.ListenAddr, "listen", "127.0.0.1:8091", "axon gRPC listen address")
	f.StringVar(&announce, "announce", "", "endpoint published on chain (default --listen)")
	f.StringVar(&cfg.MetricsAddr, "metrics", "127.0.0.1:9101", "Prometheus /metrics and /healthz address (empty: off)")
	f.Uint64Var(&minStake, "min-stake", 0, "extra floor: uassay of stake a caller needs besides the chain's validator_permit (0: the permit alone)")
	f.IntVar(&cfg.MaxBatchRows, "max-batch", 256, "rows per forward pass and per request")
	f.DurationVar(&cfg.BatchWindow, "batch-window", 2*time.Millisecond, "how long a forward pass waits for more rows")
	f.IntVar(&cfg.QueueCapacity, "queue", 256, "requests waiting for a forward pass before low-stake callers are refused")
	daemon.AddConfigFlag(c)
	for _, r := range []string{"model", "netuid", "hotkey"} {
		_ = c.MarkFlagRequired(r)
	}
	return c
}
