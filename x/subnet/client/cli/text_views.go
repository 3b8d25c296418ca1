package cli

import (
	"fmt"
	"io"

	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/spf13/cobra"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/assay-network/assay/x/subnet/types"
)

// TextView prints a query's answer for a person (tables, ASSAY, percentages).
// assayd runs it in place of autocli's YAML when the output is text, and
// leaves --output json to autocli, so machines read the same JSON as before.
type TextView func(cmd *cobra.Command, clientCtx client.Context, args []string) error

// TextViews are x/subnet's text views by query command name.
func TextViews() map[string]TextView {
	return map[string]TextView{
		"metagraph":    metagraphText,
		"subnets":      subnetsText,
		"hotkey-stake": hotkeyStakeText,
		"stake":        stakeText,
		"unbondings":   unbondingsText,
		"lock-cost": func(cmd *cobra.Command, clientCtx client.Context, _ []string) error {
			res, err := types.NewQueryClient(clientCtx).LockCost(cmd.Context(), &types.QueryLockCostRequest{})
			if err != nil {
				return err
			}
			return WriteCost(cmd.OutOrStdout(), "subnet lock cost", res.Cost, res.Block)
		},
		"registration-cost": func(cmd *cobra.Command, clientCtx client.Context, args []string) error {
			netuid, err := parseNetuid(args[0])
			if err != nil {
				return err
			}
			res, err := types.NewQueryClient(clientCtx).RegistrationCost(cmd.Context(), &types.QueryRegistrationCostRequest{Netuid: netuid})
			if err != nil {
				return err
			}
			return WriteCost(cmd.OutOrStdout(), fmt.Sprintf("registration cost on subnet %d", netuid), res.Cost, res.Block)
		},
	}
}

// WantsText says whether cmd prints text: --output when given, else the
// client.toml output, as autocli decides.
func WantsText(cmd *cobra.Command, clientCtx client.Context) bool {
	format := clientCtx.OutputFormat
	if format == "" || cmd.Flags().Changed(flags.FlagOutput) {
		format, _ = cmd.Flags().GetString(flags.FlagOutput)
	}
	return format == "" || format == flags.OutputFormatText
}

// WriteCost prints a cost in ASSAY with the uassay a --max-lock or
// --max-cost flag takes.
func WriteCost(w io.Writer, what string, cost math.Int, block int64) error {
	_, err := fmt.Fprintf(w, "%s at block %d: %s (%s%s)\n", what, block, FormatAmount(cost), intOrZero(cost), types.Denom)
	return err
}

func metagraphText(cmd *cobra.Command, clientCtx client.Context, args []string) error {
	netuid, err := parseNetuid(args[0])
	if err != nil {
		return err
	}
	res, err := types.NewQueryClient(clientCtx).Metagraph(cmd.Context(), &types.QueryMetagraphRequest{Netuid: netuid})
	if err != nil {
		return err
	}
	return WriteMetagraphTable(cmd.OutOrStdout(), res, EstimateBlockTime(cmd.Context(), clientCtx))
}

func subnetsText(cmd *cobra.Command, clientCtx client.Context, _ []string) error {
	res, err := types.NewQueryClient(clientCtx).Subnets(cmd.Context(), &types.QuerySubnetsRequest{})
	if err != nil {
		return err
	}
	return WriteSubnetsTable(cmd.OutOrStdout(), res.Subnets, EstimateBlockTime(cmd.Context(), clientCtx))
}

func hotkeyStakeText(cmd *cobra.Command, clientCtx client.Context, args []string) error {
	netuid, err := parseNetuid(args[0])
	if err != nil {
		return err
	}
	res, err := types.NewQueryClient(clientCtx).HotkeyStake(cmd.Context(), &types.QueryHotkeyStakeRequest{Netuid: netuid, Hotkey: args[1]})
	if err != nil {
		return err
	}
	return WriteHotkeyStake(cmd.OutOrStdout(), netuid, args[1], res)
}

func stakeText(cmd *cobra.Command, clientCtx client.Context, args []string) error {
	res, err := types.NewQueryClient(clientCtx).StakeByAddress(cmd.Context(), &types.QueryStakeByAddressRequest{Address: args[0]})
	if err != nil {
		return err
	}
	return WriteStakePositions(cmd.OutOrStdout(), args[0], res)
}

func unbondingsText(cmd *cobra.Command, clientCtx client.Context, args []string) error {
	var header metadata.MD
	res, err := types.NewQueryClient(clientCtx).Unbondings(cmd.Context(), &types.QueryUnbondingsRequest{Address: args[0]}, grpc.Header(&header))
	if err != nil {
		return err
	}
	block, err := heightOf(header)
	if err != nil {
		return err
	}
	return WriteUnbondings(cmd.OutOrStdout(), args[0], block, res.Unbondings, EstimateBlockTime(cmd.Context(), clientCtx))
}
