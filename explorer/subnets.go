package explorer

import (
	"context"

	"golang.org/x/sync/errgroup"

	"github.com/assay-network/assay/task"
	emissiontypes "github.com/assay-network/assay/x/emission/types"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// Subnets is the /subnets page: every subnet with its task, stake, share
// of emission, schedule and registration cost.
type Subnets struct {
	Height  int64       `json:"height"`
	Subnets []SubnetRow `json:"subnets"`
}

// SubnetRow is one subnet.
type SubnetRow struct {
	Netuid   uint16 `json:"netuid"`
	Name     string `json:"name"`
	Owner    string `json:"owner"`
	TaskName string `json:"task_name"`
	TaskType string `json:"task_type"`
	TaskHash string `json:"task_hash"`
	// DatasetHashes are the SHA-256 of the task's data files, by role.
	DatasetHashes    []DatasetFile `json:"dataset_hashes"`
	Stake            string        `json:"stake"`
	Share            string        `json:"share"`
	Tempo            uint64        `json:"tempo"`
	NextEpochBlock   int64         `json:"next_epoch_block"`
	UIDs             uint32        `json:"uids"`
	MaxUIDs          uint32        `json:"max_uids"`
	RegistrationCost string        `json:"registration_cost"`
	// TaskError says why the stored task spec could not be read (the row
	// still shows the hash the chain holds).
	TaskError string `json:"task_error,omitempty"`
}

// DatasetFile is one file of a task's dataset.
type DatasetFile struct {
	Role   string `json:"role"`
	SHA256 string `json:"sha256"`
}

// subnetRow builds one row from the subnet, its emission pool and its
// registration cost at the same height.
func subnetRow(s subnettypes.Subnet, pool *emissiontypes.QuerySubnetResponse, regCost string) SubnetRow {
	row := SubnetRow{
		Netuid: uint16(s.Netuid), Name: s.Name, Owner: s.Owner, TaskHash: s.TaskHash,
		Stake: pool.TotalStake.String(), Share: pool.Share.String(),
		Tempo: s.Hyperparams.Tempo, NextEpochBlock: pool.NextEpochBlock,
		UIDs: s.NeuronCount, MaxUIDs: s.Hyperparams.MaxUids, RegistrationCost: regCost,
	}
	spec, err := task.Parse([]byte(s.TaskSpec))
	if err != nil {
		row.TaskError = err.Error()
		return row
	}
	row.TaskName, row.TaskType = spec.Name, spec.TaskType
	for _, f := range spec.Dataset.Files {
		row.DatasetHashes = append(row.DatasetHashes, DatasetFile{Role: f.Role, SHA256: f.SHA256})
	}
	return row
}

func (s *Server) subnetsPage(ctx context.Context, h int64) (Subnets, error) {
	return cached(s.cache, h, "page/subnets", func() (Subnets, error) {
		subnets, err := s.read.subnets(ctx, h)
		if err != nil {
			return Subnets{}, err
		}
		rows := make([]SubnetRow, len(subnets))
		g, gctx := errgroup.WithContext(ctx)
		for i, sn := range subnets {
			g.Go(func() error {
				netuid := uint16(sn.Netuid)
				pool, err := s.read.pool(gctx, h, netuid)
				if err != nil {
					return err
				}
				cost, err := s.read.registrationCost(gctx, h, netuid)
				if err != nil {
					return err
				}
				rows[i] = subnetRow(sn, pool, cost)
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			return Subnets{}, err
		}
		return Subnets{Height: h, Subnets: rows}, nil
	})
}
