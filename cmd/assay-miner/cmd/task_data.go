package cmd

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/rs/zerolog"

	"github.com/assay-network/assay/daemon"
	"github.com/assay-network/assay/dataset"
	"github.com/assay-network/assay/task"
	"github.com/assay-network/assay/task/check"
)

// loadTaskFile reads a task file and builds its dataset: the files fetched
// into dataDir's content-addressed cache (DESIGN §11), then every check a
// validator makes.
func loadTaskFile(ctx context.Context, path, dataDir string) (*dataset.Dataset, *check.Report, error) {
	s, err := readTaskFile(path)
	if err != nil {
		return nil, nil, err
	}
	d, r, err := check.Load(ctx, s, check.Options{DataDir: dataDir})
	if err != nil {
		return nil, nil, fmt.Errorf("task %s (%s): %w", s.Name, path, err)
	}
	return d, r, nil
}

// chainTaskTimeout bounds reaching the node and reading the subnet.
const chainTaskTimeout = 30 * time.Second

// readTaskFile reads and parses a task file.
func readTaskFile(path string) (task.Spec, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return task.Spec{}, fmt.Errorf("--task-file: %w", err)
	}
	s, err := task.Parse(raw)
	if err != nil {
		return task.Spec{}, fmt.Errorf("--task-file %s: %w", path, err)
	}
	return s, nil
}

// readChainTask reads subnet netuid's task spec from the node at grpcAddr
// (queries only, no keys) and checks it against the chain's task_hash.
func readChainTask(ctx context.Context, log zerolog.Logger, grpcAddr string, netuid uint16) (task.Spec, string, error) {
	qctx, cancel := context.WithTimeout(ctx, chainTaskTimeout)
	defer cancel()
	chain, err := daemon.DialChain(qctx, log, daemon.ChainDial{Addr: grpcAddr})
	if err != nil {
		return task.Spec{}, "", err
	}
	defer chain.Close()
	sn, err := chain.Subnet(qctx, netuid)
	if err != nil {
		return task.Spec{}, "", fmt.Errorf("--netuid %d: %w", netuid, err)
	}
	s, err := sn.Task()
	if err != nil {
		return task.Spec{}, "", fmt.Errorf("--netuid %d: %w", netuid, err)
	}
	hash, err := s.Hash()
	if err != nil {
		return task.Spec{}, "", fmt.Errorf("--netuid %d: %w", netuid, err)
	}
	if hash != sn.TaskHash {
		return task.Spec{}, "", fmt.Errorf("netuid %d: the chain's task_hash %s is not the hash %s of its task_spec", netuid, sn.TaskHash, hash)
	}
	return s, hash, nil
}

// loadChainTask reads subnet netuid's task from the node and builds its
// dataset as loadTaskFile does.
func loadChainTask(ctx context.Context, log zerolog.Logger, grpcAddr string, netuid uint16, dataDir string) (*dataset.Dataset, error) {
	s, hash, err := readChainTask(ctx, log, grpcAddr, netuid)
	if err != nil {
		return nil, err
	}
	d, _, err := check.Load(ctx, s, check.Options{DataDir: dataDir})
	if err != nil {
		return nil, fmt.Errorf("netuid %d task %s: %w", netuid, s.Name, err)
	}
	if d.TaskHash != hash {
		return nil, fmt.Errorf("netuid %d: the chain's task_hash %s is not the hash %s of its task_spec", netuid, hash, d.TaskHash)
	}
	return d, nil
}
