package cli

import (
	"encoding/json"
	"fmt"

	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/spf13/cobra"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	emissiontypes "github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/subnet/types"
)

// Overview is everything an address holds and earns: its balance, its stake
// positions at their current value, its pending unbondings, the neurons it
// is the hotkey or coldkey of with their last epoch's emission, and its
// booked rewards per subnet. The JSON of `q account overview`; uassay.
type Overview struct {
	Address string `json:"address"`
	// Block is the height the overview was read at.
	Block      int64                          `json:"block,string"`
	Balance    math.Int                       `json:"balance"`
	Staked     math.Int                       `json:"staked"`
	Positions  []OverviewPosition             `json:"positions"`
	Unbondings []types.Unbonding              `json:"unbondings"`
	Neurons    []OverviewNeuron               `json:"neurons"`
	Rewards    []emissiontypes.AddressRewards `json:"rewards"`
	Earned     math.Int                       `json:"earned"`
	// PositionsEarned is Σ positions' earned (value - principal), the same
	// sum as `q emission rewards`' positions_earned.
	PositionsEarned math.Int `json:"positions_earned"`
}

// OverviewPosition is a stake position with what it earned at its subnet's
// last epoch: the pool credit of that epoch times the position's share of
// the pool now (exact while no shares moved since).
type OverviewPosition struct {
	types.StakePosition
	EarnedLastEpoch math.Int `json:"earned_last_epoch"`
}

// OverviewNeuron is a UID the address holds, as hotkey or as coldkey.
type OverviewNeuron struct {
	Netuid           uint32   `json:"netuid"`
	UID              uint32   `json:"uid"`
	Hotkey           string   `json:"hotkey"`
	As               string   `json:"as"` // "hotkey" or "coldkey"
	Role             string   `json:"role"`
	EmissionPerEpoch math.Int `json:"emission_per_epoch"`
}

// NewAccountQueryCmd is `q account`, the queries about one address across
// modules.
func NewAccountQueryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        "account",
		Short:                      "What an address (key name or address) holds and earns across subnets",
		DisableFlagParsing:         true,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(NewOverviewCmd())
	return cmd
}

// NewOverviewCmd is `q account overview KEY`.
func NewOverviewCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "overview [address]",
		Short: "Balance, stake positions and their value, unbondings, neurons with their emission per epoch, rewards",
		Long: `Show what ADDRESS (a key name or an address) holds and earns: its balance,
every stake position at its current value, pending unbondings, every neuron
it is the hotkey or the coldkey of with that UID's emission at the last epoch,
and the rewards booked to it per subnet (owner cut, miner, validator take,
stake pool). A delegator's earnings are its positions' growth, which no
reward entry books: each position shows its principal (staked minus
withdrawn) and earned (value now minus principal), the same numbers as
q emission rewards, and its part of the pool's credit at the subnet's last
epoch (by its share of the pool now). Amounts print in ASSAY; -o json
gives uassay.`,
		Args:        cobra.ExactArgs(1),
		Annotations: KeyNamesResolved(),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			addr, err := ResolveAddress(clientCtx, "address", args[0])
			if err != nil {
				return err
			}
			o, err := queryOverview(cmd, clientCtx, addr)
			if err != nil {
				return err
			}
			if WantsText(cmd, clientCtx) {
				return WriteOverview(cmd.OutOrStdout(), o, EstimateBlockTime(cmd.Context(), clientCtx))
			}
			bz, err := json.Marshal(o)
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

func queryOverview(cmd *cobra.Command, clientCtx client.Context, addr string) (Overview, error) {
	ctx := cmd.Context()
	q := types.NewQueryClient(clientCtx)
	o := Overview{Address: addr, Positions: []OverviewPosition{}, Unbondings: []types.Unbonding{}, Neurons: []OverviewNeuron{}}

	var header metadata.MD
	bal, err := banktypes.NewQueryClient(clientCtx).Balance(ctx, &banktypes.QueryBalanceRequest{Address: addr, Denom: types.Denom}, grpc.Header(&header))
	if err != nil {
		return o, fmt.Errorf("balance of %s: %w", addr, err)
	}
	if o.Block, err = heightOf(header); err != nil {
		return o, err
	}
	o.Balance = math.ZeroInt()
	if bal.Balance != nil {
		o.Balance = bal.Balance.Amount
	}
	stake, err := q.StakeByAddress(ctx, &types.QueryStakeByAddressRequest{Address: addr})
	if err != nil {
		return o, fmt.Errorf("stake of %s: %w", addr, err)
	}
	o.Staked = intOrZero(stake.Total)
	if o.Positions, err = withLastEpoch(cmd, clientCtx, stake.Positions); err != nil {
		return o, err
	}
	unb, err := q.Unbondings(ctx, &types.QueryUnbondingsRequest{Address: addr})
	if err != nil {
		return o, fmt.Errorf("unbondings of %s: %w", addr, err)
	}
	o.Unbondings = append(o.Unbondings, unb.Unbondings...)
	subnets, err := q.Subnets(ctx, &types.QuerySubnetsRequest{})
	if err != nil {
		return o, err
	}
	for _, s := range subnets.Subnets {
		mg, err := q.Metagraph(ctx, &types.QueryMetagraphRequest{Netuid: s.Netuid})
		if err != nil {
			return o, fmt.Errorf("metagraph of subnet %d: %w", s.Netuid, err)
		}
		o.Neurons = append(o.Neurons, neuronsOf(s.Netuid, mg.Neurons, addr)...)
	}
	rw, err := emissiontypes.NewQueryClient(clientCtx).Rewards(ctx, &emissiontypes.QueryRewardsRequest{Address: addr})
	if err != nil {
		return o, fmt.Errorf("rewards of %s: %w", addr, err)
	}
	o.Rewards, o.Earned, o.PositionsEarned = rw.Rewards, intOrZero(rw.Total), intOrZero(rw.PositionsEarned)
	return o, nil
}

// neuronsOf lists the neurons addr is the hotkey or the coldkey of.
func neuronsOf(netuid uint32, neurons []types.Neuron, addr string) []OverviewNeuron {
	var out []OverviewNeuron
	for _, n := range neurons {
		as := ""
		switch addr {
		case n.Hotkey:
			as = "hotkey"
		case n.Coldkey:
			as = "coldkey"
		default:
			continue
		}
		out = append(out, OverviewNeuron{Netuid: netuid, UID: n.Uid, Hotkey: n.Hotkey, As: as, Role: RoleOf(n), EmissionPerEpoch: intOrZero(n.Emission)})
	}
	return out
}

// withLastEpoch adds to each position its part of its pool's credit at the
// subnet's last epoch: validator_staked of the hotkey's UID in the latest
// history record, times shares / total_shares of the pool now.
func withLastEpoch(cmd *cobra.Command, clientCtx client.Context, positions []types.StakePosition) ([]OverviewPosition, error) {
	ctx := cmd.Context()
	eq, sq := emissiontypes.NewQueryClient(clientCtx), types.NewQueryClient(clientCtx)
	credits := map[uint32]map[string]math.Int{} // netuid → hotkey → pool credit at the last epoch
	out := make([]OverviewPosition, 0, len(positions))
	for _, p := range positions {
		byHotkey, ok := credits[p.Netuid]
		if !ok {
			h, err := eq.History(ctx, &emissiontypes.QueryHistoryRequest{Netuid: p.Netuid, Limit: 1})
			if err != nil {
				return nil, fmt.Errorf("history of subnet %d: %w", p.Netuid, err)
			}
			byHotkey = map[string]math.Int{}
			if len(h.Epochs) > 0 {
				for _, r := range h.Epochs[0].Results {
					byHotkey[r.Hotkey] = intOrZero(r.ValidatorStaked)
				}
			}
			credits[p.Netuid] = byHotkey
		}
		earned := math.ZeroInt()
		if credit, ok := byHotkey[p.Hotkey]; ok && credit.IsPositive() {
			hs, err := sq.HotkeyStake(ctx, &types.QueryHotkeyStakeRequest{Netuid: p.Netuid, Hotkey: p.Hotkey})
			if err != nil {
				return nil, fmt.Errorf("pool of %s on subnet %d: %w", p.Hotkey, p.Netuid, err)
			}
			if total := hs.Pool.TotalShares; !total.IsNil() && total.IsPositive() {
				earned = credit.Mul(p.Shares).Quo(total)
			}
		}
		out = append(out, OverviewPosition{StakePosition: p, EarnedLastEpoch: earned})
	}
	return out, nil
}
