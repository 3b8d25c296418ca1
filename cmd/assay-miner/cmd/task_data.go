package cmd

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/assay-network/assay/daemon"
	"github.com/assay-network/assay/dataset"
	"github.com/assay-network/assay/task"
	"github.com/assay-network/assay/task/check"
	"github.com/rs/zerolog"
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

// chainTaskTimeout bounds reaching the node and reading the subnet.
const chainTaskTimeout = 30 * time.Second

// loadChainTask reads subnet netuid's task spec from the node at grpcAddr
// (queries only, no keys) and builds its dataset as loadTaskFile does.
func loadChainTask(ctx context.Context, log zerolog.Logger, grpcAddr string, netuid uint16, dataDir string) (*dataset.Dataset, error) {
	qctx, cancel := context.WithTimeout(ctx, chainTaskTimeout)
	defer cancel()
	chain, err := daemon.DialChain(qctx, log, daemon.ChainDial{Addr: grpcAddr})
	if err != nil {
		return nil, err
	}
	defer chain.Close()
	sn, err := chain.Subnet(qctx, netuid)
	if err != nil {
		return nil, fmt.Errorf("--netuid %d: %w", netuid, err)
	}
	s, err := sn.Task()
	if err != nil {
		return nil, fmt.Errorf("--netuid %d: %w", netuid, err)
	}
	d, _, err := check.Load(ctx, s, check.Options{DataDir: dataDir})
	if err != nil {
		return nil, fmt.Errorf("netuid %d task %s: %w", netuid, s.Name, err)
	}
	if d.TaskHash != sn.TaskHash {
		return nil, fmt.Errorf("netuid %d: the chain's task_hash %s is not the hash %s of its task_spec", netuid, sn.TaskHash, d.TaskHash)
	}
	return d, nil
}
