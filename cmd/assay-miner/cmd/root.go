// Package cmd holds assay-miner's cobra commands. Each subcommand lives in
// its own file and is registered in NewRootCmd; serve is added the same way.
package cmd

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"
)

// NewRootCmd builds the assay-miner command tree.
func NewRootCmd() *cobra.Command {
	var level, format string
	root := &cobra.Command{
		Use:           "assay-miner",
		Short:         "Assay miner: train, inspect and serve Gorgonia models for a subnet task",
		SilenceUsage:  true,
		SilenceErrors: false,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			log, err := newLogger(cmd.ErrOrStderr(), level, format)
			if err != nil {
				return err
			}
			cmd.SetContext(log.WithContext(cmd.Context()))
			return nil
		},
	}
	root.PersistentFlags().StringVar(&level, "log-level", "info", "log level: debug, info, warn, error")
	root.PersistentFlags().StringVar(&format, "log-format", "auto", "log format: json, console, or auto (console on a terminal)")
	root.AddCommand(newTrainCmd(), newInspectCmd(), newServeCmd())
	return root
}

// newLogger builds the process logger: JSON by default, console when
// stderr is a terminal (DESIGN §9).
func newLogger(w io.Writer, level, format string) (zerolog.Logger, error) {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil {
		return zerolog.Nop(), fmt.Errorf("--log-level: %w", err)
	}
	switch format {
	case "auto":
		if f, ok := w.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				w = zerolog.ConsoleWriter{Out: w, TimeFormat: time.TimeOnly}
			}
		}
	case "console":
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: time.TimeOnly}
	case "json":
	default:
		return zerolog.Nop(), fmt.Errorf("--log-format %q: want json, console or auto", format)
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Logger(), nil
}
