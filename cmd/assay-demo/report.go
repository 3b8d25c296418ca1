package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	sdkmath "cosmossdk.io/math"
	grpctypes "github.com/cosmos/cosmos-sdk/types/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/assay-network/assay/validator/state"
	emissiontypes "github.com/assay-network/assay/x/emission/types"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// Summary is what the demo prints (--json: this object, on one line).
type Summary struct {
	Subnets   []SubnetSummary `json:"subnets"`
	Invariant Invariant       `json:"invariant"`
	Block     int64           `json:"block"`
}

// SubnetSummary is one subnet after the last epoch.
type SubnetSummary struct {
	Netuid             uint16          `json:"netuid"`
	Dataset            string          `json:"dataset"`
	BiasMetric         string          `json:"bias_metric,omitempty"`
	BiasWeight         float64         `json:"bias_weight"`
	ProtectedAttribute string          `json:"protected_attribute,omitempty"`
	Baseline           string          `json:"baseline"`    // reward.baseline: majority or chance
	Temperature        string          `json:"temperature"` // reward.temperature of the softmax weights
	FirstWeightsBlock  int64           `json:"first_weights_block"`
	PaidEpochs         int             `json:"paid_epochs"`               // every paid epoch in the history
	PaidWithWeights    int             `json:"paid_epochs_after_weights"` // those after FirstWeightsBlock
	Neurons            []NeuronSummary `json:"neurons"`
	Why                []string        `json:"why,omitempty"`
}

// NeuronSummary is one UID. Quality, bias and score are the validators'
// EMAs (mean over the validators that scored the UID); reason is why the
// validators' last round scored it 0 (DESIGN §12: "trivial", "mismatch",
// "copy of uid N", ...; "" when scored normally); weight is the mean
// share of the validators' last revealed weight rows; incentive and
// dividends are the last epoch's; earned sums the UID's payouts (miner
// reward + validator take + stake-pool reward) over the emission history.
type NeuronSummary struct {
	UID          uint32  `json:"uid"`
	Role         string  `json:"role"`
	Model        string  `json:"model"`
	Quality      float64 `json:"quality"`
	Bias         float64 `json:"bias"`
	Score        float64 `json:"score"`
	Reason       string  `json:"reason"`
	Weight       float64 `json:"weight"`
	Incentive    float64 `json:"incentive"`
	Dividends    float64 `json:"dividends"`
	StakeUassay  string  `json:"stake_uassay"`
	EarnedUassay string  `json:"earned_uassay"`
	earned       sdkmath.Int
}

// Invariant is x/emission's supply invariant at one height, as the chain
// computes it (`assayd q emission supply`): issued = rewards paid (to
// accounts and stake pools) + pending + carry + burned.
type Invariant struct {
	Block     int64  `json:"block"`
	Issued    string `json:"issued"`
	Rewards   string `json:"rewards"`
	Pending   string `json:"pending"`
	Carry     string `json:"carry"`
	Burned    string `json:"burned"`
	Addresses int    `json:"addresses"`
	Holds     bool   `json:"holds"`
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

func decFloat(d sdkmath.LegacyDec) float64 {
	if d.IsNil() {
		return 0
	}
	f, _ := strconv.ParseFloat(d.String(), 64)
	return f
}

// summarize reads everything at one block height so the numbers agree.
func (d *demo) summarize(ctx context.Context) (*Summary, error) {
	h, err := latestHeight(ctx, d.chain)
	if err != nil {
		return nil, err
	}
	at := metadata.AppendToOutgoingContext(ctx, grpctypes.GRPCBlockHeightHeader, strconv.FormatInt(h, 10))
	q := subnettypes.NewQueryClient(d.chain.Conn())
	eq := emissiontypes.NewQueryClient(d.chain.Conn())
	sum := &Summary{Block: h}
	for _, s := range d.subnets {
		mg, err := q.Metagraph(at, &subnettypes.QueryMetagraphRequest{Netuid: uint32(s.netuid)})
		if err != nil {
			return nil, err
		}
		hist, err := eq.History(at, &emissiontypes.QueryHistoryRequest{Netuid: uint32(s.netuid)})
		if err != nil {
			return nil, err
		}
		spec, err := mg.Subnet.Task()
		if err != nil {
			return nil, err
		}
		ss := SubnetSummary{Netuid: s.netuid, Dataset: s.dataset, Baseline: spec.Reward.Baseline, Temperature: spec.Reward.Temperature,
			FirstWeightsBlock: d.firstWeights[uint32(s.netuid)],
			PaidEpochs:        paidAfter(hist.Epochs, 0), PaidWithWeights: paidAfter(hist.Epochs, d.firstWeights[uint32(s.netuid)])}
		if f := spec.Fairness; f != nil {
			if ss.BiasWeight, err = strconv.ParseFloat(f.BiasWeight, 64); err != nil {
				return nil, fmt.Errorf("netuid %d: fairness.bias_weight %q: %w", s.netuid, f.BiasWeight, err)
			}
			ss.BiasMetric, ss.ProtectedAttribute = f.BiasMetric, f.Protected.Column
		}
		earned := map[uint32]sdkmath.Int{}
		for _, rec := range hist.Epochs {
			for _, r := range rec.Results {
				e, ok := earned[r.Uid]
				if !ok {
					e = sdkmath.ZeroInt()
				}
				earned[r.Uid] = e.Add(r.MinerReward).Add(r.ValidatorTake).Add(r.ValidatorStaked)
			}
		}
		states := d.readStates(s.netuid)
		weights := map[uint32][]float64{}
		for _, v := range validators {
			r, err := q.Weights(at, &subnettypes.QueryWeightsRequest{Netuid: uint32(s.netuid), Uid: d.valUID[uint32(s.netuid)][v.key]})
			if err != nil {
				continue
			}
			total := 0.0
			for _, w := range r.Row.Weights {
				total += float64(w)
			}
			for i, u := range r.Row.Uids {
				if total > 0 {
					weights[u] = append(weights[u], float64(r.Row.Weights[i])/total)
				}
			}
		}
		for _, n := range mg.Neurons {
			ns := NeuronSummary{UID: n.Uid, Role: "validator", Incentive: round4(decFloat(n.Incentive)),
				Dividends: round4(decFloat(n.Dividends)), StakeUassay: n.Stake.String(), earned: sdkmath.ZeroInt()}
			if e, ok := earned[n.Uid]; ok {
				ns.earned = e
			}
			ns.EarnedUassay = ns.earned.String()
			for _, m := range s.miners {
				if m.uid == n.Uid {
					ns.Role, ns.Model = "miner", m.name
				}
			}
			if ns.Role == "miner" {
				var qs, bs, sc []float64
				var reasons []string
				for _, st := range states {
					if u := st.Score(n.Uid); u != nil && u.Rounds > 0 {
						qs, bs, sc = append(qs, u.Quality), append(bs, u.Bias), append(sc, u.Score)
						reasons = append(reasons, u.Reason)
					}
				}
				ns.Quality, ns.Bias, ns.Score = round4(mean(qs)), round4(mean(bs)), round4(mean(sc))
				ns.Reason = agreed(reasons)
				ns.Weight = round4(mean(weights[n.Uid]))
			}
			ss.Neurons = append(ss.Neurons, ns)
		}
		ss.Why = explain(ss)
		sum.Subnets = append(sum.Subnets, ss)
	}
	sup, err := eq.Supply(at, &emissiontypes.QuerySupplyRequest{})
	if err != nil {
		return nil, fmt.Errorf("supply invariant: %w", err)
	}
	sum.Invariant = Invariant{Block: sup.Block, Issued: sup.Issued.String(), Rewards: sup.Rewards.String(),
		Pending: sup.Pending.String(), Carry: sup.Carry.String(), Burned: sup.Burned.String(),
		Addresses: int(sup.Addresses), Holds: sup.Holds}
	return sum, nil
}

// agreed is the reason every validator's last round gave, or "" when they
// differ: a model near a threshold (a biased one whose accuracy dips to the
// baseline in one sample) is not called a zero on one validator's round.
func agreed(reasons []string) string {
	if len(reasons) == 0 || slices.ContainsFunc(reasons, func(r string) bool { return r != reasons[0] }) {
		return ""
	}
	return reasons[0]
}

// readStates loads every validator's state file of netuid (written atomically).
func (d *demo) readStates(netuid uint16) []*state.State {
	var out []*state.State
	for _, v := range validators {
		b, err := os.ReadFile(d.statePath(netuid, v.key))
		if err != nil {
			continue
		}
		if st, err := state.Decode(b); err == nil {
			out = append(out, st)
		}
	}
	return out
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t / float64(len(xs))
}

// assay formats uassay as ASSAY with 6 decimals.
func assay(u sdkmath.Int) string {
	s := u.String()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for len(s) < 7 {
		s = "0" + s
	}
	out := s[:len(s)-6] + "." + s[len(s)-6:]
	if neg {
		out = "-" + out
	}
	return out
}

func printSummary(w io.Writer, s *Summary) {
	for _, ss := range s.Subnets {
		fmt.Fprintf(w, "\nnetuid %d · %s", ss.Netuid, ss.Dataset)
		if ss.BiasWeight > 0 {
			fmt.Fprintf(w, " · bias = %s on %s, weight %.2f", strings.ReplaceAll(ss.BiasMetric, "_", " "), ss.ProtectedAttribute, ss.BiasWeight)
		} else {
			fmt.Fprintf(w, " · no bias term")
		}
		fmt.Fprintf(w, " · softmax temperature %s", ss.Temperature)
		fmt.Fprintf(w, " · %d paid epochs, %d with the validators' weights (on chain from block %d)\n", ss.PaidEpochs, ss.PaidWithWeights, ss.FirstWeightsBlock)
		fmt.Fprintf(w, "  %3s  %-9s  %-6s  %7s  %5s  %5s  %6s  %9s  %9s  %14s\n",
			"uid", "role", "model", "quality", "bias", "score", "weight", "incentive", "dividends", "earned (ASSAY)")
		for _, n := range ss.Neurons {
			model, q, b, sc, wt := "-", "-", "-", "-", "-"
			if n.Role == "miner" {
				model = n.Model
				q, b, sc, wt = fmt.Sprintf("%.3f", n.Quality), fmt.Sprintf("%.3f", n.Bias), fmt.Sprintf("%.3f", n.Score), fmt.Sprintf("%.3f", n.Weight)
				if ss.BiasWeight == 0 {
					b = "-"
				}
			}
			fmt.Fprintf(w, "  %3d  %-9s  %-6s  %7s  %5s  %5s  %6s  %9.4f  %9.4f  %14s\n",
				n.UID, n.Role, model, q, b, sc, wt, n.Incentive, n.Dividends, assay(n.earned))
		}
		if len(ss.Why) > 0 {
			fmt.Fprintln(w, "  why:")
			for _, l := range ss.Why {
				fmt.Fprintf(w, "    %s\n", l)
			}
		}
	}
	iv := s.Invariant
	mark := "holds"
	if !iv.Holds {
		mark = "BROKEN"
	}
	fmt.Fprintf(w, "\nsupply invariant at block %d %s: issued %s = rewards %s + pending %s + carry %s + burned %s ASSAY (%d addresses)\n",
		iv.Block, mark, assayS(iv.Issued), assayS(iv.Rewards), assayS(iv.Pending), assayS(iv.Carry), assayS(iv.Burned), iv.Addresses)
	fmt.Fprintln(w, "quality/bias/score: the validators' EMAs; weight: share of their last revealed rows; incentive/dividends: the last epoch; earned: miner reward + validator take + stake-pool reward over all epochs.")
}

func assayS(s string) string {
	v, ok := sdkmath.NewIntFromString(s)
	if !ok {
		return s
	}
	return assay(v)
}
