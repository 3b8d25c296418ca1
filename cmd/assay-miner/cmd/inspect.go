package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/assay-network/assay/dataset"
	"github.com/assay-network/assay/miner/model"
)

func newInspectCmd() *cobra.Command {
	var dataDir string
	c := &cobra.Command{
		Use:   "inspect FILE",
		Short: "Print a model file's task, schema and hash, and evaluate it",
		Long: `Print what a model file declares (task, dataset, architecture, feature
schema, protected attributes, training record) and its model hash. When the
dataset is in --data-dir, also measure validation accuracy and, for tabular
tasks, the counterfactual flip rate on each protected attribute.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, hash, err := model.Load(args[0])
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			describe(w, args[0], hash, m)
			d, err := dataset.Load(dataDir, m.Header.Dataset)
			if errors.Is(err, dataset.ErrMissing) {
				fmt.Fprintf(w, "evaluation:  skipped: %v\n", err)
				return nil
			}
			if err != nil {
				return err
			}
			return printEvaluation(cmd.Context(), w, m, d)
		},
	}
	c.Flags().StringVar(&dataDir, "data-dir", dataset.DefaultDataDir(), "directory 'make data' filled ($ASSAY_DATA_DIR)")
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
	for _, p := range h.Schema.Protected {
		fmt.Fprintf(w, "protected:   %s (feature %s)\n", p.Name, p.Feature)
	}
}

// printEvaluation measures m on d's validation split.
func printEvaluation(ctx context.Context, w io.Writer, m *model.Model, d *dataset.Dataset) error {
	p, err := model.NewPredictor(m, model.PredictorOptions{})
	if err != nil {
		return err
	}
	ev, err := model.Evaluate(ctx, m, p, d, d.Validation, "")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "validation:  %d rows, accuracy %.4f (majority-class baseline %.4f)\n", ev.Rows, ev.Accuracy, d.MajorityRate(d.Validation))
	for _, attr := range d.Schema.Protected {
		ev, err := model.Evaluate(ctx, m, p, d, d.Validation, attr.Name)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "flip_rate:   %-16s %.4f (share of validation decisions that change when only %s is flipped)\n", attr.Name, ev.FlipRate, attr.Name)
	}
	return nil
}
