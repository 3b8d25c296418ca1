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
		datasetID, variant, dataDir, out string
		seed                             uint64
		epochs                           int
	)
	c := &cobra.Command{
		Use:   "train --dataset ID --variant good|poor|biased --out FILE",
		Short: "Train a reference model and write its model file",
		Long: `Train one of the reference models (DESIGN §7) on a dataset fetched by
'make data', write the versioned model file and print its hash (the
model_hash a miner publishes) and validation accuracy.

Variants: good (fair, trained to convergence), poor (tiny and undertrained),
biased (good accuracy, decisions driven by the protected attribute;
tabular datasets only).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			log := zerolog.Ctx(cmd.Context())
			d, err := dataset.Load(dataDir, datasetID)
			if err != nil {
				return err
			}
			log.Info().Str("dataset", d.ID).Int("train", len(d.Train)).Int("validation", len(d.Validation)).Msg("dataset loaded")
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
			return printEvaluation(cmd.Context(), w, m, d)
		},
	}
	f := c.Flags()
	f.StringVar(&datasetID, "dataset", "", fmt.Sprintf("dataset id %v", dataset.IDs()))
	f.StringVar(&variant, "variant", model.VariantGood, fmt.Sprintf("reference variant %v", model.Variants()))
	f.StringVar(&dataDir, "data-dir", dataset.DefaultDataDir(), "directory 'make data' filled ($ASSAY_DATA_DIR)")
	f.StringVar(&out, "out", "", "model file to write")
	f.Uint64Var(&seed, "seed", 0, fmt.Sprintf("training seed (0: the recipe's, %d)", model.DefaultSeed))
	f.IntVar(&epochs, "epochs", 0, "training epochs (0: the recipe's)")
	_ = c.MarkFlagRequired("dataset")
	_ = c.MarkFlagRequired("out")
	return c
}
