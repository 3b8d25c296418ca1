package cli

import (
	"encoding/json"
	"errors"
	"fmt"

	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/spf13/cobra"

	emissiontypes "github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/subnet/types"
)

// ErrNotOnSubnet: the hotkey holds no UID on the subnet.
var ErrNotOnSubnet = errors.New("hotkey is not registered on the subnet")

// Standing is where one hotkey stands on a subnet: its UID, its rank in its
// role, its last Yuma outputs, what each validator's latest weights give it,
// and what its coldkey has earned on the subnet. It is the JSON of
// `q subnet standing`; amounts in uassay, shares as decimals.
type Standing struct {
	Netuid           uint32            `json:"netuid"`
	Subnet           string            `json:"subnet"`
	Block            int64             `json:"block,string"`
	Tempo            uint64            `json:"tempo,string"`
	UID              uint32            `json:"uid"`
	Hotkey           string            `json:"hotkey"`
	Coldkey          string            `json:"coldkey"`
	Role             string            `json:"role"`
	Rank             int               `json:"rank"`
	RoleCount        int               `json:"role_count"`
	Stake            math.Int          `json:"stake"`
	Incentive        math.LegacyDec    `json:"incentive"`
	Consensus        math.LegacyDec    `json:"consensus"`
	Dividends        math.LegacyDec    `json:"dividends"`
	ValidatorTrust   math.LegacyDec    `json:"validator_trust"`
	EmissionPerEpoch math.Int          `json:"emission_per_epoch"`
	Axon             string            `json:"axon"`
	LastUpdate       int64             `json:"last_update,string"`
	Weights          []ValidatorWeight `json:"weights"`
	Earned           Earned            `json:"earned"`
}

// ValidatorWeight is one validator's latest set or revealed weight on the
// hotkey's UID: the raw u16 weight and its share of the validator's row.
type ValidatorWeight struct {
	UID    uint32         `json:"uid"`
	Hotkey string         `json:"hotkey"`
	Stake  math.Int       `json:"stake"`
	Weight uint32         `json:"weight"`
	Share  math.LegacyDec `json:"share"`
	Block  int64          `json:"block,string"`
}

// Earned is the coldkey's cumulative rewards on the subnet (all its hotkeys),
// from `q emission rewards`.
type Earned struct {
	Miner         math.Int `json:"miner"`
	ValidatorTake math.Int `json:"validator_take"`
	Total         math.Int `json:"total"`
}

// BuildStanding computes hotkey's standing from the metagraph, every
// validator's weights row (by UID) and the coldkey's rewards.
func BuildStanding(mg *types.QueryMetagraphResponse, hotkey string, rows map[uint32]types.WeightsRow, rewards []emissiontypes.AddressRewards) (Standing, error) {
	var me *types.Neuron
	for i := range mg.Neurons {
		if mg.Neurons[i].Hotkey == hotkey {
			me = &mg.Neurons[i]
		}
	}
	if me == nil {
		return Standing{}, fmt.Errorf("hotkey %s, subnet %d: %w (register with: assayd tx subnet register-neuron %d --hotkey KEY --max-cost AMOUNT --from COLDKEY)",
			hotkey, mg.Subnet.Netuid, ErrNotOnSubnet, mg.Subnet.Netuid)
	}
	ranks := Ranks(mg.Neurons)
	s := Standing{
		Netuid: mg.Subnet.Netuid, Subnet: mg.Subnet.Name, Block: mg.Block, Tempo: mg.Subnet.Hyperparams.Tempo,
		UID: me.Uid, Hotkey: me.Hotkey, Coldkey: me.Coldkey, Role: RoleOf(*me), Rank: ranks[me.Uid],
		Stake: me.Stake, Incentive: decOrZero(me.Incentive), Consensus: decOrZero(me.Consensus), Dividends: decOrZero(me.Dividends),
		ValidatorTrust: decOrZero(me.ValidatorTrust), EmissionPerEpoch: me.Emission, LastUpdate: me.LastUpdate,
		Weights: []ValidatorWeight{},
		Earned:  Earned{Miner: math.ZeroInt(), ValidatorTake: math.ZeroInt(), Total: math.ZeroInt()},
	}
	if me.Axon != nil {
		s.Axon = me.Axon.Endpoint
	}
	for _, n := range mg.Neurons {
		if RoleOf(n) == s.Role {
			s.RoleCount++
		}
		if !n.ValidatorPermit {
			continue
		}
		row := rows[n.Uid]
		s.Weights = append(s.Weights, weightOn(n, row, me.Uid))
	}
	for _, r := range rewards {
		if r.Netuid != mg.Subnet.Netuid || r.Address != me.Coldkey {
			continue
		}
		s.Earned.Miner = s.Earned.Miner.Add(intOrZero(r.Totals.Miner))
		s.Earned.ValidatorTake = s.Earned.ValidatorTake.Add(intOrZero(r.Totals.ValidatorTake))
	}
	s.Earned.Total = s.Earned.Miner.Add(s.Earned.ValidatorTake)
	return s, nil
}

// weightOn is validator v's weight on uid in its row, and that weight's
// share of the row's sum (what Yuma normalises it to).
func weightOn(v types.Neuron, row types.WeightsRow, uid uint32) ValidatorWeight {
	w := ValidatorWeight{UID: v.Uid, Hotkey: v.Hotkey, Stake: v.Stake, Share: math.LegacyZeroDec(), Block: row.Block}
	var sum int64
	for i, u := range row.Uids {
		if i >= len(row.Weights) {
			break
		}
		sum += int64(row.Weights[i])
		if u == uid {
			w.Weight = row.Weights[i]
		}
	}
	if sum > 0 {
		w.Share = math.LegacyNewDec(int64(w.Weight)).QuoInt64(sum)
	}
	return w
}

func intOrZero(v math.Int) math.Int {
	if v.IsNil() {
		return math.ZeroInt()
	}
	return v
}

// NewStandingCmd is `q subnet standing NETUID HOTKEY`.
func NewStandingCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "standing [netuid] [hotkey]",
		Short: "Where a hotkey (key name or address) stands: UID, rank, incentive, each validator's weight on it, earnings",
		Long: `Show where HOTKEY stands on subnet NETUID, the way a miner asks "how am I doing":
its UID and rank within its role (miners by incentive, validators by dividends;
1 is best), its last epoch's consensus, incentive, dividends and emission,
every validator's latest set or revealed weight on it with that weight's share
of the validator's row, and what its coldkey has earned on the subnet so far.
Amounts print in ASSAY; -o json gives uassay and decimals.`,
		Args:        cobra.ExactArgs(2),
		Annotations: KeyNamesResolved(),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			netuid, err := parseNetuid(args[0])
			if err != nil {
				return err
			}
			hotkey, err := ResolveAddress(clientCtx, "hotkey", args[1])
			if err != nil {
				return err
			}
			s, err := queryStanding(cmd, clientCtx, netuid, hotkey)
			if err != nil {
				return err
			}
			if WantsText(cmd, clientCtx) {
				return WriteStanding(cmd.OutOrStdout(), s, EstimateBlockTime(cmd.Context(), clientCtx))
			}
			bz, err := json.Marshal(s)
			if err != nil {
				return err
			}
			return clientCtx.WithOutput(cmd.OutOrStdout()).PrintRaw(bz)
		},
	}
	flags.AddQueryFlagsToCmd(cmd)
	AddKeyNameFlags(cmd)
	return cmd
}

func queryStanding(cmd *cobra.Command, clientCtx client.Context, netuid uint32, hotkey string) (Standing, error) {
	q := types.NewQueryClient(clientCtx)
	mg, err := q.Metagraph(cmd.Context(), &types.QueryMetagraphRequest{Netuid: netuid})
	if err != nil {
		return Standing{}, err
	}
	rows := map[uint32]types.WeightsRow{}
	for _, n := range mg.Neurons {
		if !n.ValidatorPermit {
			continue
		}
		res, err := q.Weights(cmd.Context(), &types.QueryWeightsRequest{Netuid: netuid, Uid: n.Uid})
		if err != nil {
			return Standing{}, fmt.Errorf("weights of validator UID %d: %w", n.Uid, err)
		}
		rows[n.Uid] = res.Row
	}
	var coldkey string
	for _, n := range mg.Neurons {
		if n.Hotkey == hotkey {
			coldkey = n.Coldkey
		}
	}
	var rewards []emissiontypes.AddressRewards
	if coldkey != "" {
		res, err := emissiontypes.NewQueryClient(clientCtx).Rewards(cmd.Context(), &emissiontypes.QueryRewardsRequest{Address: coldkey})
		if err != nil {
			return Standing{}, fmt.Errorf("rewards of coldkey %s: %w", coldkey, err)
		}
		rewards = res.Rewards
	}
	return BuildStanding(mg, hotkey, rows, rewards)
}
