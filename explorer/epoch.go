package explorer

import (
	"context"
	"net/http"

	"golang.org/x/sync/errgroup"

	emissiontypes "github.com/assay-network/assay/x/emission/types"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// Epoch is the /subnet/{netuid}/epoch page: why each UID earned what it
// did at the subnet's latest epoch. The pool pays the owner cut, then
// miners by incentive (to the coldkey) and validators by dividends (the
// take to the coldkey, the rest into the hotkey's stake pool).
type Epoch struct {
	Height int64  `json:"height"`
	Netuid uint16 `json:"netuid"`
	Name   string `json:"name"`
	// Epoch is nil before the subnet's first epoch.
	Epoch *EpochSummary `json:"epoch"`
}

// EpochSummary is how one epoch divided its pool, and each UID's part.
type EpochSummary struct {
	Block int64 `json:"block"`
	// Paid is false when no validator held a permit and stake: the pool
	// stayed pending.
	Paid            bool   `json:"paid"`
	Pool            string `json:"pool"`
	Owner           string `json:"owner"`
	OwnerCut        string `json:"owner_cut"`
	MinersTotal     string `json:"miners_total"`
	ValidatorsTotal string `json:"validators_total"`
	Carried         string `json:"carried"`
	// Fallback: no miner earned incentive, so validators took it all.
	Fallback bool        `json:"fallback"`
	Results  []UIDPayout `json:"results"`
}

// UIDPayout is one UID's inputs and payout at the epoch.
type UIDPayout struct {
	UID             uint32 `json:"uid"`
	Hotkey          string `json:"hotkey"`
	Coldkey         string `json:"coldkey"`
	Stake           string `json:"stake"`
	ValidatorPermit bool   `json:"validator_permit"`
	Incentive       string `json:"incentive"`
	Dividends       string `json:"dividends"`
	MinerReward     string `json:"miner_reward"`
	ValidatorTake   string `json:"validator_take"`
	ValidatorStaked string `json:"validator_staked"`
	Total           string `json:"total"`
}

// buildEpoch assembles the page from the subnet and its latest epochs
// (newest first; only the first is shown).
func buildEpoch(h int64, s subnettypes.Subnet, history []emissiontypes.EpochRecord) Epoch {
	e := Epoch{Height: h, Netuid: uint16(s.Netuid), Name: s.Name}
	if len(history) == 0 {
		return e
	}
	rec := history[0]
	sum := &EpochSummary{Block: rec.Block, Paid: rec.Paid, Pool: intString(rec.Pool), Owner: rec.Owner, OwnerCut: intString(rec.OwnerCut),
		MinersTotal: intString(rec.MinersTotal), ValidatorsTotal: intString(rec.ValidatorsTotal), Carried: intString(rec.Carried), Fallback: rec.Fallback}
	for _, r := range rec.Results {
		total := intOr(r.MinerReward).Add(intOr(r.ValidatorTake)).Add(intOr(r.ValidatorStaked))
		sum.Results = append(sum.Results, UIDPayout{UID: r.Uid, Hotkey: r.Hotkey, Coldkey: r.Coldkey, Stake: intString(r.Stake),
			ValidatorPermit: r.ValidatorPermit, Incentive: decString(r.Incentive), Dividends: decString(r.Dividends),
			MinerReward: intString(r.MinerReward), ValidatorTake: intString(r.ValidatorTake), ValidatorStaked: intString(r.ValidatorStaked),
			Total: intString(total)})
	}
	e.Epoch = sum
	return e
}

func (s *Server) epochPage(ctx context.Context, h int64, r *http.Request) (any, error) {
	netuid, err := parseNetuid(r.PathValue("netuid"))
	if err != nil {
		return nil, err
	}
	return cached(s.cache, h, netKey("page/epoch", netuid), func() (Epoch, error) {
		var (
			sub     subnettypes.Subnet
			history []emissiontypes.EpochRecord
		)
		g, gctx := errgroup.WithContext(ctx)
		g.Go(func() (err error) { sub, err = s.read.subnet(gctx, h, netuid); return err })
		g.Go(func() (err error) { history, err = s.read.lastEpoch(gctx, h, netuid); return err })
		if err := g.Wait(); err != nil {
			return Epoch{}, err
		}
		return buildEpoch(h, sub, history), nil
	})
}
