package cmd

import (
	"context"
	"fmt"
	"os"

	"github.com/assay-network/assay/dataset"
	"github.com/assay-network/assay/task"
	"github.com/assay-network/assay/task/check"
)

// loadTaskFile reads a task file and builds its dataset: the files fetched
// into dataDir's content-addressed cache (DESIGN §11), then every check a
// validator makes.
func loadTaskFile(ctx context.Context, path, dataDir string) (*dataset.Dataset, *check.Report, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("--task-file: %w", err)
	}
	s, err := task.Parse(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("--task-file %s: %w", path, err)
	}
	d, r, err := check.Load(ctx, s, check.Options{DataDir: dataDir})
	if err != nil {
		return nil, nil, fmt.Errorf("task %s (%s): %w", s.Name, path, err)
	}
	return d, r, nil
}
