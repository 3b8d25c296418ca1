package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/spf13/cobra"

	"github.com/assay-network/assay/dataset"
	"github.com/assay-network/assay/task"
	"github.com/assay-network/assay/task/check"
)

const (
	flagDataDir       = "data-dir"
	flagSkipDataCheck = "skip-data-check"
)

// ReadTaskFile reads and parses a task file (DESIGN §11) with package
// task's strict parser; the error is one line naming the file and the field.
func ReadTaskFile(path string) (task.Spec, error) {
	bz, err := os.ReadFile(path)
	if err != nil {
		return task.Spec{}, fmt.Errorf("--%s: %w", flagTaskFile, err)
	}
	s, err := task.Parse(bz)
	if err != nil {
		return task.Spec{}, fmt.Errorf("task file %s: %w", path, err)
	}
	return s, nil
}

// addDataFlags adds --data-dir to a command that checks a task's data.
func addDataFlags(cmd *cobra.Command) {
	cmd.Flags().String(flagDataDir, "", "cache the task's files are fetched into, as <dir>/sha256/<hex> "+
		"(default $ASSAY_DATA_DIR, else <home>/data); the 'make data' cache is tried before the task's URLs")
}

// dataOptions resolves where a check fetches to: --data-dir, else
// $ASSAY_DATA_DIR, else the home's data/. The directory `make data` fills
// (dataset.DefaultDataDir: $ASSAY_DATA_DIR, else the repository's data/
// when run inside it, else ./data) is searched first, so the built-in
// tasks check offline once `make data` has run.
func dataOptions(cmd *cobra.Command) check.Options {
	dir, _ := cmd.Flags().GetString(flagDataDir)
	if dir == "" {
		dir = os.Getenv("ASSAY_DATA_DIR")
	}
	if dir == "" {
		var home string
		if cmd.Context() != nil {
			home = client.GetClientContextFromCmd(cmd).HomeDir
		}
		if home == "" {
			home, _ = cmd.Flags().GetString(flags.FlagHome)
		}
		dir = filepath.Join(home, "data")
	}
	return check.Options{DataDir: dir, Caches: []string{dataset.DefaultDataDir()}}
}

// checkTask fetches the task's data and runs every check a miner and a
// validator run, printing what it found to w.
func checkTask(cmd *cobra.Command, path string, s task.Spec, w io.Writer) error {
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	r, err := check.Run(ctx, s, dataOptions(cmd))
	if err != nil {
		return fmt.Errorf("task file %s: %w", path, err)
	}
	r.Write(w)
	fmt.Fprintf(w, "task file %s passes every check a miner and a validator run\n", path)
	return nil
}

// NewValidateTaskCmd checks a task file and its data without signing.
func NewValidateTaskCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "validate-task [task-file] [--data-dir DIR]",
		Short: "Check a task file and its data as a miner and a validator would, without signing anything",
		Long: `Parse a task file (DESIGN §11) as the chain does, fetch its data files into the
data directory's content-addressed cache (checking each file's size and
SHA-256), build the task's dataset and run every check a miner and a validator
run: the label and protected columns exist, the label has at least two
classes, the groups cover the protected column's rows and every group has a
row, the split leaves rows on both sides. Prints the rows, classes, groups
with their counts, the majority baseline and the task hash.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := ReadTaskFile(args[0])
			if err != nil {
				return err
			}
			return checkTask(cmd, args[0], s, cmd.OutOrStdout())
		},
	}
	addDataFlags(cmd)
	return cmd
}
