package explorer

import (
	"context"
	"net/http"
	"net/url"
	"slices"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"golang.org/x/sync/errgroup"

	"github.com/assay-network/assay/app/params"
	emissiontypes "github.com/assay-network/assay/x/emission/types"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// Account is the /account/{address} page: balances, stake positions,
// rewards (cumulative and per epoch) and an estimated annual return.
type Account struct {
	Height       int64          `json:"height"`
	Address      string         `json:"address"`
	Balances     []Coin         `json:"balances"`
	Positions    []Position     `json:"positions"`
	StakeTotal   string         `json:"stake_total"`
	RewardTotals []RewardRow    `json:"reward_totals"`
	RewardsTotal string         `json:"rewards_total"`
	Epochs       []EpochEarn    `json:"epochs"`
	EpochsTotal  string         `json:"epochs_total"`
	Return       ReturnEstimate `json:"return"`
	Charts       []Chart        `json:"-"`
}

// Coin is one balance.
type Coin struct {
	Denom  string `json:"denom"`
	Amount string `json:"amount"`
}

// Position is one stake position: shares in a hotkey's pool on a subnet
// and what they would withdraw now.
type Position struct {
	Netuid     uint16 `json:"netuid"`
	Hotkey     string `json:"hotkey"`
	Shares     string `json:"shares"`
	Value      string `json:"value"`
	PoolShares string `json:"pool_shares"`
}

// RewardRow is the chain's cumulative rewards book for the address on one
// subnet (`assayd q emission rewards`).
type RewardRow struct {
	Netuid        uint16 `json:"netuid"`
	OwnerCut      string `json:"owner_cut"`
	Miner         string `json:"miner"`
	ValidatorTake string `json:"validator_take"`
	StakePool     string `json:"stake_pool"`
}

// EpochEarn is what one epoch gave the address. Delegation is its shares'
// part of what the epoch added to the hotkey pools it holds shares in,
// estimated with today's shares (the chain keeps no per-epoch shares).
type EpochEarn struct {
	Netuid        uint16 `json:"netuid"`
	Block         int64  `json:"block"`
	OwnerCut      string `json:"owner_cut"`
	Miner         string `json:"miner"`
	ValidatorTake string `json:"validator_take"`
	Delegation    string `json:"delegation"`
	Total         string `json:"total"`
}

// accountInputs are the query answers an account page is built from, all
// at one height.
type accountInputs struct {
	height    int64
	address   string
	balances  sdk.Coins
	stake     *subnettypes.QueryStakeByAddressResponse
	rewards   *emissiontypes.QueryRewardsResponse
	pools     map[poolKey]subnettypes.StakePool
	subnets   map[uint16]subnettypes.Subnet
	histories map[uint16][]emissiontypes.EpochRecord // newest first
	// blockSeconds is the recent average block time (0: unknown).
	blockSeconds float64
}

type poolKey struct {
	netuid uint16
	hotkey string
}

// buildAccount assembles the page; it is pure, so the tests feed it
// hand-made answers.
func buildAccount(in accountInputs) Account {
	a := Account{Height: in.height, Address: in.address, StakeTotal: in.stake.Total.String(), RewardsTotal: in.rewards.Total.String()}
	for _, c := range in.balances {
		a.Balances = append(a.Balances, Coin{Denom: c.Denom, Amount: c.Amount.String()})
	}
	for _, p := range in.stake.Positions {
		pool := in.pools[poolKey{uint16(p.Netuid), p.Hotkey}]
		a.Positions = append(a.Positions, Position{Netuid: uint16(p.Netuid), Hotkey: p.Hotkey, Shares: p.Shares.String(),
			Value: p.Amount.String(), PoolShares: intOr(pool.TotalShares).String()})
	}
	for _, r := range in.rewards.Rewards {
		a.RewardTotals = append(a.RewardTotals, RewardRow{Netuid: uint16(r.Netuid), OwnerCut: r.Totals.OwnerCut.String(),
			Miner: r.Totals.Miner.String(), ValidatorTake: r.Totals.ValidatorTake.String(), StakePool: r.Totals.StakePool.String()})
	}
	total := math.ZeroInt()
	for _, netuid := range sortedNetuids(in.histories) {
		for _, rec := range in.histories[netuid] {
			e, sum := epochEarn(in, netuid, rec)
			if sum.IsPositive() {
				a.Epochs = append(a.Epochs, e)
				total = total.Add(sum)
			}
		}
	}
	a.EpochsTotal = total.String()
	a.Return = estimateReturn(in)
	return a
}

// epochEarn is what rec paid the address, and its total.
func epochEarn(in accountInputs, netuid uint16, rec emissiontypes.EpochRecord) (EpochEarn, math.Int) {
	if !rec.Paid {
		return EpochEarn{}, math.ZeroInt()
	}
	owner, miner, take := math.ZeroInt(), math.ZeroInt(), math.ZeroInt()
	if rec.Owner == in.address {
		owner = rec.OwnerCut
	}
	for _, r := range rec.Results {
		if r.Coldkey == in.address {
			miner = miner.Add(r.MinerReward)
			take = take.Add(r.ValidatorTake)
		}
	}
	deleg := delegationReward(in, netuid, rec)
	sum := owner.Add(miner).Add(take).Add(deleg)
	return EpochEarn{Netuid: netuid, Block: rec.Block, OwnerCut: owner.String(), Miner: miner.String(),
		ValidatorTake: take.String(), Delegation: deleg.String(), Total: sum.String()}, sum
}

// delegationReward is the address's part of what rec added to the pools
// it holds shares in on netuid.
func delegationReward(in accountInputs, netuid uint16, rec emissiontypes.EpochRecord) math.Int {
	out := math.ZeroInt()
	for _, p := range in.stake.Positions {
		if uint16(p.Netuid) == netuid {
			out = out.Add(positionReward(p, in.pools[poolKey{netuid, p.Hotkey}], rec))
		}
	}
	return out
}

// positionReward is one position's part of what rec added to its hotkey's
// pool: validator_staked · shares / pool shares, floored, with today's
// shares (the chain keeps no per-epoch shares).
func positionReward(p subnettypes.StakePosition, pool subnettypes.StakePool, rec emissiontypes.EpochRecord) math.Int {
	out := math.ZeroInt()
	if pool.TotalShares.IsNil() || !pool.TotalShares.IsPositive() {
		return out
	}
	for _, r := range rec.Results {
		if r.Hotkey == p.Hotkey {
			out = out.Add(r.ValidatorStaked.Mul(p.Shares).Quo(pool.TotalShares))
		}
	}
	return out
}

func sortedNetuids[V any](m map[uint16]V) []uint16 {
	out := make([]uint16, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// parseAddress accepts an assay1… account address.
func parseAddress(s string) (string, error) {
	if _, err := sdk.GetFromBech32(s, params.Bech32Prefix); err != nil {
		return "", &pageError{Status: http.StatusBadRequest, Msg: "address " + quoteParam(s) + ": not an " + params.Bech32Prefix + "1… account address (" + err.Error() + ")"}
	}
	return s, nil
}

// accountSearch sends the overview's address form to the account page.
func (s *Server) accountSearch(w http.ResponseWriter, r *http.Request) {
	addr := r.URL.Query().Get("address")
	if addr == "" {
		s.fail(w, r, &pageError{Status: http.StatusBadRequest, Msg: "address: missing (use /account/{address})"})
		return
	}
	http.Redirect(w, r, "/account/"+url.PathEscape(addr), http.StatusSeeOther)
}

func (s *Server) accountPage(ctx context.Context, h int64, r *http.Request) (any, error) {
	addr, err := parseAddress(r.PathValue("address"))
	if err != nil {
		return nil, err
	}
	return cached(s.cache, h, "page/account/"+addr, func() (Account, error) {
		in, err := s.accountInputs(ctx, h, addr)
		if err != nil {
			return Account{}, err
		}
		a := buildAccount(in)
		chart, err := stakeChart(in)
		if err != nil {
			return Account{}, err
		}
		a.Charts = []Chart{chart}
		return a, nil
	})
}

// accountInputs reads what the account page needs at height h: the
// address's balances, positions and rewards book, then the pools and
// histories of the subnets it has positions or rewards on.
func (s *Server) accountInputs(ctx context.Context, h int64, addr string) (accountInputs, error) {
	in := accountInputs{height: h, address: addr, pools: map[poolKey]subnettypes.StakePool{},
		subnets: map[uint16]subnettypes.Subnet{}, histories: map[uint16][]emissiontypes.EpochRecord{}}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		b, err := s.read.balances(gctx, h, addr)
		if err == nil {
			in.balances = b.Balances
		}
		return err
	})
	g.Go(func() (err error) { in.stake, err = s.read.stakeOf(gctx, h, addr); return err })
	g.Go(func() (err error) { in.rewards, err = s.read.rewards(gctx, h, addr); return err })
	g.Go(func() (err error) { in.blockSeconds, err = s.avgBlockSeconds(gctx, h); return err })
	if err := g.Wait(); err != nil {
		return accountInputs{}, err
	}
	netuids := map[uint16]bool{}
	for _, p := range in.stake.Positions {
		netuids[uint16(p.Netuid)] = true
	}
	for _, r := range in.rewards.Rewards {
		netuids[uint16(r.Netuid)] = true
	}
	pools := make([]subnettypes.StakePool, len(in.stake.Positions))
	order := sortedNetuids(netuids)
	subnets := make([]subnettypes.Subnet, len(order))
	histories := make([][]emissiontypes.EpochRecord, len(order))
	g, gctx = errgroup.WithContext(ctx)
	for i, p := range in.stake.Positions {
		g.Go(func() error {
			hs, err := s.read.hotkeyStake(gctx, h, uint16(p.Netuid), p.Hotkey)
			if err == nil {
				pools[i] = hs.Pool
			}
			return err
		})
	}
	for i, netuid := range order {
		g.Go(func() (err error) { subnets[i], err = s.read.subnet(gctx, h, netuid); return err })
		g.Go(func() (err error) { histories[i], err = s.read.history(gctx, h, netuid); return err })
	}
	if err := g.Wait(); err != nil {
		return accountInputs{}, err
	}
	for i, p := range in.stake.Positions {
		in.pools[poolKey{uint16(p.Netuid), p.Hotkey}] = pools[i]
	}
	for i, netuid := range order {
		in.subnets[netuid], in.histories[netuid] = subnets[i], histories[i]
	}
	return in, nil
}

// avgBlockSeconds is the mean block interval over the last recentBlocks
// blocks up to h (0 with fewer than two).
func (s *Server) avgBlockSeconds(ctx context.Context, h int64) (float64, error) {
	first := max(h-recentBlocks+1, 1)
	if first >= h {
		return 0, nil
	}
	t0, err := s.tip.blockTime(ctx, first)
	if err != nil {
		return 0, err
	}
	t1, err := s.tip.blockTime(ctx, h)
	if err != nil {
		return 0, err
	}
	return t1.Sub(t0).Seconds() / float64(h-first), nil
}
