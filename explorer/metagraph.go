package explorer

import (
	"context"
	"net/http"
	"strconv"

	"golang.org/x/sync/errgroup"

	emissiontypes "github.com/assay-network/assay/x/emission/types"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// Metagraph is the /subnet/{netuid} page: every UID with its stake, Yuma
// outputs, axon and what the last paid epoch gave it, in the order asked.
type Metagraph struct {
	Height         int64  `json:"height"`
	Netuid         uint16 `json:"netuid"`
	Name           string `json:"name"`
	Owner          string `json:"owner"`
	TaskHash       string `json:"task_hash"`
	Tempo          uint64 `json:"tempo"`
	NextEpochBlock int64  `json:"next_epoch_block"`
	UIDs           uint32 `json:"uids"`
	MaxUIDs        uint32 `json:"max_uids"`
	// LastEpoch is the latest epoch if it paid (nil: none yet, or it
	// paid nothing).
	LastEpoch *EpochSummary `json:"last_epoch"`
	Sort      string        `json:"sort"`
	Order     string        `json:"order"`
	Neurons   []NeuronRow   `json:"neurons"`
	Columns   []Column      `json:"-"`
}

// EpochSummary is how one epoch divided its pool.
type EpochSummary struct {
	Block           int64  `json:"block"`
	Pool            string `json:"pool"`
	OwnerCut        string `json:"owner_cut"`
	MinersTotal     string `json:"miners_total"`
	ValidatorsTotal string `json:"validators_total"`
	Carried         string `json:"carried"`
	// Fallback: no miner earned incentive, so validators took it all.
	Fallback bool `json:"fallback"`
}

// NeuronRow is one UID. The last three amounts say why it earned what it
// did at the last paid epoch: its incentive's part of the miners' total
// (to the coldkey), and its dividends' part of the validators' total
// (the take to the coldkey, the rest to the hotkey's stake pool).
type NeuronRow struct {
	UID             uint32 `json:"uid"`
	Hotkey          string `json:"hotkey"`
	Coldkey         string `json:"coldkey"`
	Role            string `json:"role"`
	Stake           string `json:"stake"`
	ValidatorPermit bool   `json:"validator_permit"`
	ValidatorTrust  string `json:"validator_trust"`
	Consensus       string `json:"consensus"`
	Incentive       string `json:"incentive"`
	Dividends       string `json:"dividends"`
	Emission        string `json:"emission"`
	Axon            string `json:"axon"`
	ModelHash       string `json:"model_hash"`
	RegisteredAt    int64  `json:"registered_at"`
	LastUpdate      int64  `json:"last_update"`
	MinerReward     string `json:"miner_reward"`
	ValidatorTake   string `json:"validator_take"`
	ValidatorStaked string `json:"validator_staked"`

	n subnettypes.Neuron
	r emissiontypes.UIDResult
}

// Roles: a UID with a validator permit validates; the others mine.
const (
	RoleValidator = "validator"
	RoleMiner     = "miner"
)

// buildMetagraph assembles the page (in UID order) from the metagraph, the
// subnet's emission pool and its latest epochs (newest first; the first
// paid one explains the payouts), all at one height.
func buildMetagraph(mg *subnettypes.QueryMetagraphResponse, pool *emissiontypes.QuerySubnetResponse, history []emissiontypes.EpochRecord) Metagraph {
	s := mg.Subnet
	m := Metagraph{
		Height: mg.Block, Netuid: uint16(s.Netuid), Name: s.Name, Owner: s.Owner, TaskHash: s.TaskHash,
		Tempo: s.Hyperparams.Tempo, NextEpochBlock: pool.NextEpochBlock, UIDs: s.NeuronCount, MaxUIDs: s.Hyperparams.MaxUids,
		Sort: "uid", Order: "asc",
	}
	var last *emissiontypes.EpochRecord
	for i := range history {
		if history[i].Paid {
			last = &history[i]
			break
		}
	}
	results := map[uint32]emissiontypes.UIDResult{}
	if last != nil {
		m.LastEpoch = &EpochSummary{Block: last.Block, Pool: last.Pool.String(), OwnerCut: last.OwnerCut.String(),
			MinersTotal: last.MinersTotal.String(), ValidatorsTotal: last.ValidatorsTotal.String(),
			Carried: last.Carried.String(), Fallback: last.Fallback}
		for _, r := range last.Results {
			results[r.Uid] = r
		}
	}
	m.Neurons = make([]NeuronRow, len(mg.Neurons))
	for i, n := range mg.Neurons {
		row := NeuronRow{
			UID: n.Uid, Hotkey: n.Hotkey, Coldkey: n.Coldkey, Role: RoleMiner, Stake: intString(n.Stake),
			ValidatorPermit: n.ValidatorPermit, ValidatorTrust: decString(n.ValidatorTrust), Consensus: decString(n.Consensus),
			Incentive: decString(n.Incentive), Dividends: decString(n.Dividends), Emission: intString(n.Emission),
			RegisteredAt: n.RegisteredAt, LastUpdate: n.LastUpdate,
			MinerReward: "0", ValidatorTake: "0", ValidatorStaked: "0", n: n,
		}
		if n.ValidatorPermit {
			row.Role = RoleValidator
		}
		if n.Axon != nil {
			row.Axon, row.ModelHash = n.Axon.Endpoint, n.Axon.ModelHash
		}
		// A UID re-registered since the epoch is another hotkey's: its
		// result is not this row's.
		if r, ok := results[n.Uid]; ok && r.Hotkey == n.Hotkey {
			row.MinerReward, row.ValidatorTake, row.ValidatorStaked = intString(r.MinerReward), intString(r.ValidatorTake), intString(r.ValidatorStaked)
			row.r = r
		}
		m.Neurons[i] = row
	}
	return m
}

// metagraphPage serves /subnet/{netuid}?sort=COLUMN&order=asc|desc.
func (s *Server) metagraphPage(ctx context.Context, h int64, r *http.Request) (any, error) {
	netuid, err := parseNetuid(r.PathValue("netuid"))
	if err != nil {
		return nil, err
	}
	col, desc, err := parseSort(r.URL.Query().Get("sort"), r.URL.Query().Get("order"))
	if err != nil {
		return nil, err
	}
	base, err := s.metagraph(ctx, h, netuid)
	if err != nil {
		return nil, err
	}
	return sortedMetagraph(base, col, desc), nil
}

// metagraph is the page in UID order at height h.
func (s *Server) metagraph(ctx context.Context, h int64, netuid uint16) (Metagraph, error) {
	return cached(s.cache, h, netKey("page/metagraph", netuid), func() (Metagraph, error) {
		var (
			mg      *subnettypes.QueryMetagraphResponse
			pool    *emissiontypes.QuerySubnetResponse
			history []emissiontypes.EpochRecord
		)
		g, gctx := errgroup.WithContext(ctx)
		g.Go(func() (err error) { mg, err = s.read.metagraph(gctx, h, netuid); return err })
		g.Go(func() (err error) { pool, err = s.read.pool(gctx, h, netuid); return err })
		g.Go(func() (err error) { history, err = s.read.lastEpoch(gctx, h, netuid); return err })
		if err := g.Wait(); err != nil {
			return Metagraph{}, err
		}
		return buildMetagraph(mg, pool, history), nil
	})
}

// parseNetuid reads a netuid path segment: 1..65535 (0 is reserved).
func parseNetuid(s string) (uint16, error) {
	n, err := strconv.ParseUint(s, 10, 16)
	if err != nil || n == 0 {
		return 0, &pageError{Status: http.StatusBadRequest, Msg: "netuid " + quoteParam(s) + ": want a subnet number from 1 to 65535"}
	}
	return uint16(n), nil
}
