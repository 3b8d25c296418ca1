package cmd

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/assay-network/assay/daemon"
	"github.com/assay-network/assay/gateway"
)

func newVerifyCmd() *cobra.Command {
	var grpcAddr string
	var offline bool
	c := &cobra.Command{
		Use:   "verify RECEIPT.json [--grpc 127.0.0.1:9090 | --offline]",
		Short: "Check a receipt: both signatures, and the model hash against the chain (§12's first-publisher record)",
		Long: `verify checks, from the receipt alone, that request.values hash to the
request hash, that the miner signed (request, outputs, model hash) for the
gateway that countersigned, and the gateway's countersignature. Unless
--offline, it then asks the node at --grpc that the UID was the miner's
hotkey with that model hash on its axon at the receipt's block, and when and
by whom the model hash was first published. Exit status 1, naming the part
that failed, when anything does not check out. RECEIPT.json is one receipt,
or a whole infer answer (every receipt in it is checked).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			rs, err := gateway.DecodeReceipts(b)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			var rc gateway.ReceiptChain
			if !offline {
				dctx, cancel := context.WithTimeout(cmd.Context(), 15*time.Second)
				chain, err := daemon.DialChain(dctx, *zerolog.Ctx(cmd.Context()), daemon.ChainDial{Addr: grpcAddr})
				cancel()
				if err != nil {
					return err
				}
				defer chain.Close()
				rc = gateway.ClientReceiptChain{C: chain}
			}
			out := cmd.OutOrStdout()
			for i, r := range rs {
				if err := gateway.VerifyOffline(r); err != nil {
					return fmt.Errorf("receipt %d: %w", i, err)
				}
				fmt.Fprintf(out, "receipt %d: signatures ok: miner uid %d (%s) answered %d rows with model %s for gateway %s at block %d (netuid %d, task %s)\n",
					i, r.Miner.UID, r.Miner.Hotkey, r.Response.Rows, r.Response.ModelHash, r.Gateway.Hotkey, r.Block, r.Netuid, r.TaskHash)
				if rc == nil {
					continue
				}
				ck, err := gateway.VerifyOnChain(cmd.Context(), rc, r)
				if err != nil {
					return fmt.Errorf("receipt %d: %w", i, err)
				}
				at := fmt.Sprintf("at block %d", ck.At)
				if ck.At == 0 {
					at = "at the latest block (the node no longer has the receipt's block)"
				}
				fmt.Fprintf(out, "receipt %d: chain ok %s: uid %d is %s serving %s; first published at block %d by uid %d (%s)\n",
					i, at, r.Miner.UID, r.Miner.Hotkey, r.Response.ModelHash, ck.Publisher.Block, ck.Publisher.Uid, ck.Publisher.Hotkey)
				if !ck.FirstPublisher {
					fmt.Fprintf(out, "receipt %d: warning: uid %d is not the model's first publisher (a copy, DESIGN §12)\n", i, r.Miner.UID)
				}
			}
			fmt.Fprintf(out, "verified %d receipt(s)\n", len(rs))
			return nil
		},
	}
	c.Flags().StringVar(&grpcAddr, "grpc", "127.0.0.1:9090", "node gRPC endpoint")
	c.Flags().BoolVar(&offline, "offline", false, "check the signatures only, without the chain")
	return c
}
