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
	Height         int64       `json:"height"`
	Netuid         uint16      `json:"netuid"`
	Name           string      `json:"name"`
	Owner          string      `json:"owner"`
	TaskHash       string      `json:"task_hash"`
	Tempo          uint64      `json:"tempo"`
	NextEpochBlock int64       `json:"next_epoch_block"`
	UIDs           uint32      `json:"uids"`
	MaxUIDs        uint32      `json:"max_uids"`
	Sort           string      `json:"sort"`
	Order          string      `json:"order"`
	Neurons        []NeuronRow `json:"neurons"`
	Columns        []Column    `json:"-"`
}

// NeuronRow is one UID. Why it earned its emission (the payout split of
// the last epoch) is the epoch page's: a record holds a result per UID, so
// reading it here would double the page's cost.
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

	n subnettypes.Neuron
}

// Roles: a UID with a validator permit validates; the others mine.
const (
	RoleValidator = "validator"
	RoleMiner     = "miner"
)

// buildMetagraph assembles the page (in UID order) from the metagraph and
// the subnet's emission pool at the same height.
func buildMetagraph(mg *subnettypes.QueryMetagraphResponse, pool *emissiontypes.QuerySubnetResponse) Metagraph {
	s := mg.Subnet
	m := Metagraph{
		Height: mg.Block, Netuid: uint16(s.Netuid), Name: s.Name, Owner: s.Owner, TaskHash: s.TaskHash,
		Tempo: s.Hyperparams.Tempo, NextEpochBlock: pool.NextEpochBlock, UIDs: s.NeuronCount, MaxUIDs: s.Hyperparams.MaxUids,
		Sort: "uid", Order: "asc",
	}
	m.Neurons = make([]NeuronRow, len(mg.Neurons))
	for i, n := range mg.Neurons {
		row := NeuronRow{
			UID: n.Uid, Hotkey: n.Hotkey, Coldkey: n.Coldkey, Role: RoleMiner, Stake: intString(n.Stake),
			ValidatorPermit: n.ValidatorPermit, ValidatorTrust: decString(n.ValidatorTrust), Consensus: decString(n.Consensus),
			Incentive: decString(n.Incentive), Dividends: decString(n.Dividends), Emission: intString(n.Emission),
			RegisteredAt: n.RegisteredAt, LastUpdate: n.LastUpdate, n: n,
		}
		if n.ValidatorPermit {
			row.Role = RoleValidator
		}
		if n.Axon != nil {
			row.Axon, row.ModelHash = n.Axon.Endpoint, n.Axon.ModelHash
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
			mg   *subnettypes.QueryMetagraphResponse
			pool *emissiontypes.QuerySubnetResponse
		)
		g, gctx := errgroup.WithContext(ctx)
		g.Go(func() (err error) { mg, err = s.read.metagraph(gctx, h, netuid); return err })
		g.Go(func() (err error) { pool, err = s.read.pool(gctx, h, netuid); return err })
		if err := g.Wait(); err != nil {
			return Metagraph{}, err
		}
		return buildMetagraph(mg, pool), nil
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
