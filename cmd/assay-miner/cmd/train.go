package cmd

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/assay-network/assay/dataset"
	"github.com/assay-network/assay/miner/model"
)

func newTrainCmd() *cobra.Command {
	var (
		taskFile, variant, dataDir, out, grpcAddr string
		netuid                                    uint16
		seed                                      uint64
		epochs                                    int
	)
	c := &cobra.Command{
		Use:   "train (--task-file F | --netuid N) --variant good|poor|biased|trivial --out FILE",
		Short: "Train a reference model for a task and write its model file",
		Long: `Train one of the reference models (DESIGN §7) for a task file (DESIGN §11),
or for subnet --netuid's task read from the node at --grpc: its data is fetched into --data-dir's content-addressed cache
(<data-dir>/sha256/<hex>) on first use and checked by hash. Writes the
versioned model file, which records the task hash, and prints its hash (the
model_hash a miner publishes) and validation accuracy.

Variants: good (fair, trained to convergence), poor (tiny and undertrained),
biased (good accuracy, decisions lean on the protected column; any task
with fairness.protected), trivial (always answers the train split's
majority class; any task: what a validator must give nothing, DESIGN §12).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			log := zerolog.Ctx(cmd.Context())
			var d *dataset.Dataset
			var err error
			switch {
			case (taskFile == "") == (netuid == 0):
				return fmt.Errorf("give the task as --task-file F or as --netuid N (one of them)")
			case taskFile != "":
				d, _, err = loadTaskFile(cmd.Context(), taskFile, dataDir)
			default:
				d, err = loadChainTask(cmd.Context(), *log, grpcAddr, netuid, dataDir)
			}
			if err != nil {
				return err
			}
			log.Info().Str("task", d.ID).Str("task_hash", d.TaskHash).Int("train", len(d.Train)).Int("validation", len(d.Validation)).Msg("dataset loaded")
			m, err := model.TrainReference(cmd.Context(), d, variant, seed, epochs, *log)
			if err != nil {
				return err
			}
			if dir := filepath.Dir(out); dir != "" {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					return err
				}
			}
			hash, err := m.Save(out)
			if err != nil {
				return err
			}
			log.Info().Str("file", out).Str("model_hash", hash).Msg("model saved")
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "file:        %s\n", out)
			fmt.Fprintf(w, "model_hash:  %s\n", hash)
			fmt.Fprintf(w, "task_hash:   %s\n", d.TaskHash)
			return printEvaluation(cmd.Context(), w, m, d)
		},
	}
	f := c.Flags()
	f.StringVar(&taskFile, "task-file", "", "task spec v2 file (DESIGN §11), e.g. scripts/tasks/german-credit.json")
	f.Uint16Var(&netuid, "netuid", 0, "train for this subnet's task, read from the node at --grpc")
	f.StringVar(&grpcAddr, "grpc", "127.0.0.1:9090", "node gRPC endpoint (with --netuid)")
	f.StringVar(&variant, "variant", model.VariantGood, fmt.Sprintf("reference variant %v", model.Variants()))
	f.StringVar(&dataDir, "data-dir", dataset.DefaultDataDir(), "data directory; task files are cached in its sha256/ ($ASSAY_DATA_DIR)")
	f.StringVar(&out, "out", "", "model file to write")
	f.Uint64Var(&seed, "seed", 0, fmt.Sprintf("training seed (0: the recipe's, %d)", model.DefaultSeed))
	f.IntVar(&epochs, "epochs", 0, "training epochs (0: the recipe's)")
	_ = c.MarkFlagRequired("out")
	return c
}
