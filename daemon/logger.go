package daemon

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"
)

// SetupLogging adds --log-level and --log-format to root and, before any of
// its subcommands runs, puts the logger they describe (writing to the
// command's stderr) in the command's context, for zerolog.Ctx. A subcommand
// with --config (AddConfigFlag) first gets its config file and ASSAY_<FLAG>
// variables applied, and logs the effective config, secrets masked.
func SetupLogging(root *cobra.Command) {
	var level, format string
	root.PersistentFlags().StringVar(&level, "log-level", "info", "log level: debug, info, warn, error")
	root.PersistentFlags().StringVar(&format, "log-format", "auto", "log format: json, console, or auto (console on a terminal)")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		if err := ApplyConfig(cmd, os.Getenv); err != nil {
			return err
		}
		log, err := NewLogger(cmd.ErrOrStderr(), level, format)
		if err != nil {
			return err
		}
		if cmd.Flags().Lookup(ConfigFlag) != nil {
			log.Info().Interface("config", EffectiveConfig(cmd)).Msg("effective config")
		}
		cmd.SetContext(log.WithContext(cmd.Context()))
		return nil
	}
}

// NewLogger builds a process logger: JSON lines by default (for log
// collectors), human-readable when format is "console", or "auto" and w is
// a terminal (DESIGN §9). Errors name the flag.
func NewLogger(w io.Writer, level, format string) (zerolog.Logger, error) {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil {
		return zerolog.Nop(), fmt.Errorf("--log-level: %w", err)
	}
	switch format {
	case "auto":
		if isTerminal(w) {
			w = zerolog.ConsoleWriter{Out: w, TimeFormat: time.TimeOnly}
		}
	case "console":
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: time.TimeOnly}
	case "json":
	default:
		return zerolog.Nop(), fmt.Errorf("--log-format %q: want json, console or auto", format)
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Logger(), nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
