package explorer

import (
	"context"
	"time"

	"cosmossdk.io/math"
	"golang.org/x/sync/errgroup"

	"github.com/assay-network/assay/x/emission/schedule"
	emissiontypes "github.com/assay-network/assay/x/emission/types"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// Overview is the / page: the chain's height and pace, the emission
// schedule, and each subnet's share of the block reward.
type Overview struct {
	Height       int64       `json:"height"`
	Time         time.Time   `json:"time"`
	RecentBlocks []BlockTime `json:"recent_blocks"`
	// AvgBlockSeconds is the mean interval over RecentBlocks (0: too few).
	AvgBlockSeconds     float64       `json:"avg_block_seconds"`
	Issued              string        `json:"issued"`
	Cap                 string        `json:"cap"`
	CurrentReward       string        `json:"current_reward"`
	Halvings            uint32        `json:"halvings"`
	NextHalvingHeight   int64         `json:"next_halving_height"`
	NextHalvingIssuance string        `json:"next_halving_issuance"`
	TotalStake          string        `json:"total_stake"`
	Subnets             []SubnetShare `json:"subnets"`
	Charts              []Chart       `json:"-"`
}

// BlockTime is one recent block and the seconds since the one before it.
type BlockTime struct {
	Height  int64     `json:"height"`
	Time    time.Time `json:"time"`
	Seconds float64   `json:"seconds"`
}

// SubnetShare is a subnet's stake and share of each block's reward now.
type SubnetShare struct {
	Netuid uint16 `json:"netuid"`
	Name   string `json:"name"`
	Share  string `json:"share"`
	Stake  string `json:"stake"`
}

// recentBlocks is how many block times the overview lists.
const recentBlocks = 10

// buildOverview assembles the page from query answers at one height;
// pools[i] belongs to subnets[i].
func buildOverview(h int64, blocks []BlockTime, sched *emissiontypes.QueryScheduleResponse, subnets []subnettypes.Subnet, pools []*emissiontypes.QuerySubnetResponse) Overview {
	o := Overview{
		Height: h, RecentBlocks: blocks,
		Issued: sched.Issued.String(), Cap: sched.Cap.String(), CurrentReward: sched.CurrentReward.String(),
		Halvings: sched.Halvings, NextHalvingHeight: sched.NextHalvingHeight, NextHalvingIssuance: sched.NextHalvingIssuance.String(),
	}
	if n := len(blocks); n > 0 {
		o.Time = blocks[n-1].Time
		if n > 1 {
			o.AvgBlockSeconds = blocks[n-1].Time.Sub(blocks[0].Time).Seconds() / float64(n-1)
		}
	}
	total := math.ZeroInt()
	for i, s := range subnets {
		p := pools[i]
		total = total.Add(p.TotalStake)
		o.Subnets = append(o.Subnets, SubnetShare{Netuid: uint16(s.Netuid), Name: s.Name, Share: p.Share.String(), Stake: p.TotalStake.String()})
	}
	o.TotalStake = total.String()
	return o
}

// withIntervals fills each block's Seconds from the one before it (the
// first, having none in the list, keeps 0).
func withIntervals(blocks []BlockTime) []BlockTime {
	for i := 1; i < len(blocks); i++ {
		blocks[i].Seconds = blocks[i].Time.Sub(blocks[i-1].Time).Seconds()
	}
	return blocks
}

// overview reads and builds the / page at height h.
func (s *Server) overview(ctx context.Context, h int64) (Overview, error) {
	return cached(s.cache, h, "page/overview", func() (Overview, error) {
		subnets, err := s.read.subnets(ctx, h)
		if err != nil {
			return Overview{}, err
		}
		pools := make([]*emissiontypes.QuerySubnetResponse, len(subnets))
		histories := make([][]emissiontypes.EpochRecord, len(subnets))
		first := max(h-recentBlocks+1, 1)
		blocks := make([]BlockTime, h-first+1)
		var sched *emissiontypes.QueryScheduleResponse
		g, gctx := errgroup.WithContext(ctx)
		g.Go(func() (err error) { sched, err = s.read.schedule(gctx, h); return err })
		for i, sn := range subnets {
			g.Go(func() (err error) { pools[i], err = s.read.pool(gctx, h, uint16(sn.Netuid)); return err })
			g.Go(func() (err error) { histories[i], err = s.read.history(gctx, h, uint16(sn.Netuid)); return err })
		}
		for i := range blocks {
			g.Go(func() (err error) {
				blocks[i].Height = first + int64(i)
				blocks[i].Time, err = s.tip.blockTime(gctx, blocks[i].Height)
				return err
			})
		}
		if err := g.Wait(); err != nil {
			return Overview{}, err
		}
		o := buildOverview(h, withIntervals(blocks), sched, subnets, pools)
		emission, err := emissionChart(subnets, histories)
		if err != nil {
			return Overview{}, err
		}
		supply, err := supplyChart(h, sched)
		if err != nil {
			return Overview{}, err
		}
		o.Charts = []Chart{emission, supply}
		return o, nil
	})
}

// emissionChart is each subnet's paid pool per epoch (ASSAY against block).
func emissionChart(subnets []subnettypes.Subnet, histories [][]emissiontypes.EpochRecord) (Chart, error) {
	series := make([]Series, len(subnets))
	for i, sn := range subnets {
		series[i].Name = sn.Name
		h := histories[i]
		for j := len(h) - 1; j >= 0; j-- { // oldest first
			if h[j].Paid {
				series[i].Points = append(series[i].Points, Point{X: float64(h[j].Block), Y: assayFloat(h[j].Pool)})
			}
		}
	}
	return lineChart("Emission per epoch per subnet", "block", "ASSAY paid", series, nil)
}

// supplyCurveHalvings is how many halvings the supply chart draws ahead.
const supplyCurveHalvings = 6

// supplyChart is the issued supply by height under the chain's schedule
// (schedule.NextHalving, as if every block from genesis minted), with the
// halvings marked and the chain's actual (height, issued) as a point.
func supplyChart(h int64, sched *emissiontypes.QueryScheduleResponse) (Chart, error) {
	capU := sched.Cap.Uint64()
	initial := sched.CurrentReward.Uint64() << sched.Halvings
	if initial == 0 {
		initial = schedule.InitialReward
	}
	curve := Series{Name: "schedule", Points: []Point{{0, 0}}}
	var marks []float64
	issued, at := uint64(0), int64(0)
	for range supplyCurveHalvings {
		threshold, next, ok := schedule.NextHalving(issued, capU, initial, at)
		if !ok {
			break
		}
		issued, at = threshold, next
		curve.Points = append(curve.Points, Point{X: float64(at), Y: float64(issued) / 1e6})
		marks = append(marks, float64(at))
	}
	now := Series{Name: "now", Points: []Point{{X: float64(h), Y: assayFloat(sched.Issued)}}}
	return lineChart("Issued supply (halvings dashed)", "block", "ASSAY issued", []Series{curve, now}, marks)
}

// assayFloat is a uassay amount in ASSAY for plotting only (a chart has no
// use for the last digit; pages and JSON show amounts exactly).
func assayFloat(uassay math.Int) float64 {
	f, _ := uassay.ToLegacyDec().QuoInt64(1_000_000).Float64()
	return f
}
