package cmd

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/assay-network/assay/dataset"
	"github.com/assay-network/assay/miner/model"
)

func newInspectCmd() *cobra.Command {
	var dataDir, taskFile string
	c := &cobra.Command{
		Use:   "inspect FILE",
		Short: "Print a model file's task, schema and hash, and evaluate it",
		Long: `Print what a model file declares (task, dataset, architecture, feature
schema, task hash, training record) and its model hash. With --task-file,
also measure validation accuracy and, for a task with a protected column,
the counterfactual flip rate on it.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, hash, err := model.Load(args[0])
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			describe(w, args[0], hash, m)
			if taskFile == "" {
				fmt.Fprintf(w, "evaluation:  skipped: no --task-file\n")
				return nil
			}
			d, _, err := loadTaskFile(cmd.Context(), taskFile, dataDir)
			if err != nil {
				return err
			}
			return printEvaluation(cmd.Context(), w, m, d)
		},
	}
	c.Flags().StringVar(&dataDir, "data-dir", dataset.DefaultDataDir(), "data directory; task files are cached in its sha256/ ($ASSAY_DATA_DIR)")
	c.Flags().StringVar(&taskFile, "task-file", "", "task spec v2 file to evaluate the model on (refused unless the model was trained for it)")
	return c
}

// describe prints the header of a model file.
func describe(w io.Writer, path, hash string, m *model.Model) {
	h := m.Header
	fmt.Fprintf(w, "file:        %s\n", path)
	fmt.Fprintf(w, "format:      %s v%d\n", model.Magic, model.FormatVersion)
	fmt.Fprintf(w, "model_hash:  %s\n", hash)
	fmt.Fprintf(w, "task:        %s\n", h.Task)
	fmt.Fprintf(w, "dataset:     %s\n", h.Dataset)
	fmt.Fprintf(w, "task_hash:   %s\n", h.TaskHash)
	fmt.Fprintf(w, "arch:        %s (inputs after encoding)\n", h.Architecture)
	fmt.Fprintf(w, "label:       %s, classes %v", h.Schema.Label, h.Schema.Classes)
	if h.Schema.Favorable != "" {
		fmt.Fprintf(w, ", favorable %q", h.Schema.Favorable)
	}
	fmt.Fprintln(w)
	t := h.Training
	fmt.Fprintf(w, "training:    variant %q, seed %d, %d epochs, batch %d, learn rate %g, %d rows, validation accuracy %.4f\n",
		t.Variant, t.Seed, t.Epochs, t.BatchSize, t.LearnRate, t.TrainRows, t.ValidationAccuracy)
	fmt.Fprintf(w, "features:    %d raw, %d encoded\n", len(h.Schema.Features), h.Encoder.Width())
	if h.Task == dataset.TaskImage {
		fmt.Fprintf(w, "  %d numeric pixels, scaled by 1/%g\n", len(h.Schema.Features), h.Encoder.Columns[0].Scale)
	} else {
		for i, f := range h.Schema.Features {
			enc := h.Encoder.Columns[i]
			if f.Kind == dataset.Categorical {
				fmt.Fprintf(w, "  %-24s categorical one-hot[%d]: %s\n", f.Name, len(f.Categories), strings.Join(f.Categories, " | "))
			} else {
				fmt.Fprintf(w, "  %-24s numeric (x - %.4g) / %.4g\n", f.Name, enc.Mean, enc.Scale)
			}
		}
	}
}

// printEvaluation measures m on d's validation split.
func printEvaluation(ctx context.Context, w io.Writer, m *model.Model, d *dataset.Dataset) error {
	p, err := model.NewPredictor(m, model.PredictorOptions{})
	if err != nil {
		return err
	}
	ev, err := model.Evaluate(ctx, m, p, d, d.Validation, true)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "validation:  %d rows, accuracy %.4f (majority-class baseline %.4f)\n", ev.Rows, ev.Accuracy, d.MajorityRate(d.Validation))
	if ev.Protected != "" {
		fmt.Fprintf(w, "flip_rate:   %-16s %.4f (share of validation decisions that change when only %s is changed to its counterfactual)\n", ev.Protected, ev.FlipRate, ev.Protected)
	}
	return nil
}
