// Command assay-explorer serves web pages for token holders read live from
// an Assay node over gRPC (DESIGN §13).
package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/assay-network/assay/daemon"
	"github.com/assay-network/assay/explorer"
)

func main() {
	if err := newRootCmd().Execute(); err != nil {
		// cobra has already printed the error.
		os.Exit(1)
	}
}

func newRootCmd() *cobra.Command {
	var (
		grpcAddr, listen string
		cfg              explorer.Config
	)
	root := &cobra.Command{
		Use:   "assay-explorer --grpc 127.0.0.1:9090 --listen 127.0.0.1:8080",
		Short: "Serve the Assay explorer: overview, subnets, metagraphs and accounts, read live from a node",
		Long: `Serve server-rendered pages (and their JSON twins, ?format=json) for token
holders: / overview, /subnets, /subnet/{netuid} metagraph,
/subnet/{netuid}/epoch (the last epoch's payouts) and /account/{address}.
Every page is read from the node's gRPC endpoint at one block height and
cached for that height. A node that is down is reported on
the page (503) with the last height seen; the explorer keeps serving.`,
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			log := zerolog.Ctx(cmd.Context())
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			node, err := explorer.DialNode(grpcAddr)
			if err != nil {
				return fmt.Errorf("--grpc: %w", err)
			}
			defer node.Close()
			lis, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("--listen: %w", err)
			}
			log.Info().Str("grpc", grpcAddr).Str("url", "http://"+lis.Addr().String()+"/").Msg("explorer serving")
			return serve(ctx, lis, explorer.NewServer(node, cfg))
		},
	}
	daemon.SetupLogging(root)
	f := root.Flags()
	f.StringVar(&grpcAddr, "grpc", "127.0.0.1:9090", "node gRPC endpoint, host:port")
	f.StringVar(&listen, "listen", "127.0.0.1:8080", "HTTP address to serve the pages on")
	f.DurationVar(&cfg.HeightTTL, "height-ttl", 500*time.Millisecond, "how long a seen latest height is trusted before asking the node again")
	f.DurationVar(&cfg.QueryTimeout, "query-timeout", 10*time.Second, "bound on the node queries of one page view")
	return root
}

// serve runs h on lis until ctx ends, giving pages in flight 5 s to finish.
func serve(ctx context.Context, lis net.Listener, h http.Handler) error {
	return daemon.Serve(ctx, lis, h, 5*time.Second)
}
