package cmd

import (
	"fmt"
	"io"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/assay-network/assay/dataset"
	"github.com/assay-network/assay/task"
	"github.com/assay-network/assay/task/fetch"
)

func newDataCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "data",
		Short: "Manage the content-addressed cache of task data files",
	}
	c.AddCommand(newDataFetchCmd())
	return c
}

func newDataFetchCmd() *cobra.Command {
	var (
		taskFile, dataDir, grpcAddr string
		netuid                      uint16
	)
	c := &cobra.Command{
		Use:   "fetch (--task-file F | --netuid N) [--data-dir D]",
		Short: "Fetch a task's data files into the cache ahead of time",
		Long: `Fetch every data file of a task file (DESIGN §11), or of subnet --netuid's
task read from the node at --grpc, into --data-dir's content-addressed cache
(<data-dir>/sha256/<hex>), checking each file's size and SHA-256, so that
train and serve start without a download. Prints each file's role, hash,
size and path, and the URL it came from or "already cached". Only the files
are checked; 'assayd tx subnet validate-task' runs the checks on the data.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var s task.Spec
			var err error
			switch {
			case (taskFile == "") == (netuid == 0):
				return fmt.Errorf("give the task as --task-file F or as --netuid N (one of them)")
			case taskFile != "":
				s, err = readTaskFile(taskFile)
			default:
				s, _, err = readChainTask(cmd.Context(), *zerolog.Ctx(cmd.Context()), grpcAddr, netuid)
			}
			if err != nil {
				return err
			}
			return fetchFiles(cmd, s, dataDir)
		},
	}
	f := c.Flags()
	f.StringVar(&taskFile, "task-file", "", "task spec v2 file (DESIGN §11)")
	f.Uint16Var(&netuid, "netuid", 0, "fetch this subnet's task files, the task read from the node at --grpc")
	f.StringVar(&grpcAddr, "grpc", "127.0.0.1:9090", "node gRPC endpoint (with --netuid)")
	f.StringVar(&dataDir, "data-dir", dataset.DefaultDataDir(), "data directory; task files are cached in its sha256/ ($ASSAY_DATA_DIR)")
	return c
}

// fetchFiles fetches each file in the spec's order, printing as it goes so
// that a failure on a later file still shows what the earlier ones did.
func fetchFiles(cmd *cobra.Command, s task.Spec, dataDir string) error {
	w := cmd.OutOrStdout()
	f := &fetch.Fetcher{DataDir: dataDir}
	fmt.Fprintf(w, "task %s: %d file(s) into %s\n", s.Name, len(s.Dataset.Files), dataDir)
	for _, file := range s.Dataset.Files {
		r, err := f.Get(cmd.Context(), file)
		if err != nil {
			return fmt.Errorf("task %s: %s file: %w", s.Name, file.Role, err)
		}
		printFetched(w, file, r)
	}
	return nil
}

func printFetched(w io.Writer, file task.File, r fetch.Result) {
	how := "already cached"
	if r.Fetched {
		how = "fetched from " + r.URL
	}
	fmt.Fprintf(w, "%s: sha256 %s, %d bytes, %s\n  %s\n", file.Role, file.SHA256, file.SizeBytes, how, r.Path)
}
