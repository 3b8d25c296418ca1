package cli

import (
	"fmt"

	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/spf13/cobra"

	"github.com/assay-network/assay/x/subnet/types"
)

func stakeArgs(args []string) (uint32, string, math.Int, error) {
	netuid, err := parseNetuid(args[0])
	if err != nil {
		return 0, "", math.Int{}, err
	}
	amount, err := ParseAmount("amount", args[2])
	if err != nil {
		return 0, "", math.Int{}, err
	}
	return netuid, args[1], amount, nil
}

// NewAddStakeCmd is `add-stake NETUID HOTKEY AMOUNT --from COLDKEY`.
func NewAddStakeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "add-stake [netuid] [hotkey] [amount]",
		Short: "Stake uassay from your coldkey (--from) to a hotkey registered on a subnet",
		Args:  cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			netuid, hotkey, amount, err := stakeArgs(args)
			if err != nil {
				return err
			}
			msg := &types.MsgAddStake{Coldkey: clientCtx.GetFromAddress().String(), Netuid: netuid, Hotkey: hotkey, Amount: amount}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	addTxFlags(cmd)
	return cmd
}

// NewRemoveStakeCmd is `remove-stake NETUID HOTKEY AMOUNT --from COLDKEY`.
func NewRemoveStakeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "remove-stake [netuid] [hotkey] [amount]",
		Short: "Withdraw uassay of your stake on a hotkey back to your coldkey (--from)",
		Args:  cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			netuid, hotkey, amount, err := stakeArgs(args)
			if err != nil {
				return err
			}
			msg := &types.MsgRemoveStake{Coldkey: clientCtx.GetFromAddress().String(), Netuid: netuid, Hotkey: hotkey, Amount: amount}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	addTxFlags(cmd)
	return cmd
}

// NewSetTakeCmd is `set-take HOTKEY TAKE --from COLDKEY`.
func NewSetTakeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "set-take [hotkey] [take]",
		Short: "Set your hotkey's take (a decimal, e.g. 0.10) on every subnet; sign with the coldkey that registered it",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			take, err := math.LegacyNewDecFromStr(args[1])
			if err != nil {
				return fmt.Errorf("take: %q is not a decimal: %w", args[1], err)
			}
			msg := &types.MsgSetTake{Coldkey: clientCtx.GetFromAddress().String(), Hotkey: args[0], Take: take}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	addTxFlags(cmd)
	return cmd
}
