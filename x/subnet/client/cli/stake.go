package cli

import (
	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/spf13/cobra"

	"github.com/assay-network/assay/x/subnet/types"
)

// validMsg is a message that can check itself before it is signed.
type validMsg interface {
	sdk.Msg
	ValidateBasic() error
}

// positionalTxCmd builds a tx command whose message comes from its
// positional args and the --from address: parse, validate, then sign and
// broadcast (simulating first, see addTxFlags).
func positionalTxCmd(use, short string, nargs int, build func(clientCtx client.Context, args []string) (validMsg, error)) *cobra.Command {
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(nargs),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			msg, err := build(clientCtx, args)
			if err != nil {
				return err
			}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	addTxFlags(cmd)
	return cmd
}

// stakeArgs reads NETUID HOTKEY AMOUNT; HOTKEY may be a key name.
func stakeArgs(clientCtx client.Context, args []string) (uint32, string, math.Int, error) {
	netuid, err := parseNetuid(args[0])
	if err != nil {
		return 0, "", math.Int{}, err
	}
	hotkey, err := ResolveAddress(clientCtx, "hotkey", args[1])
	if err != nil {
		return 0, "", math.Int{}, err
	}
	amount, err := ParseAmount("amount", args[2])
	if err != nil {
		return 0, "", math.Int{}, err
	}
	return netuid, hotkey, amount, nil
}

// NewAddStakeCmd is `add-stake NETUID HOTKEY AMOUNT --from COLDKEY`.
func NewAddStakeCmd() *cobra.Command {
	return positionalTxCmd("add-stake [netuid] [hotkey] [amount]",
		"Stake AMOUNT (uassay, or ASSAY as 1.5assay) from your coldkey (--from) to a hotkey (key name or address) on a subnet", 3,
		func(clientCtx client.Context, args []string) (validMsg, error) {
			netuid, hotkey, amount, err := stakeArgs(clientCtx, args)
			return &types.MsgAddStake{Coldkey: clientCtx.GetFromAddress().String(), Netuid: netuid, Hotkey: hotkey, Amount: amount}, err
		})
}

// NewRemoveStakeCmd is `remove-stake NETUID HOTKEY AMOUNT --from COLDKEY`.
func NewRemoveStakeCmd() *cobra.Command {
	return positionalTxCmd("remove-stake [netuid] [hotkey] [amount]",
		"Withdraw AMOUNT (uassay, or ASSAY as 1.5assay) of your stake on a hotkey back to your coldkey (--from)", 3,
		func(clientCtx client.Context, args []string) (validMsg, error) {
			netuid, hotkey, amount, err := stakeArgs(clientCtx, args)
			return &types.MsgRemoveStake{Coldkey: clientCtx.GetFromAddress().String(), Netuid: netuid, Hotkey: hotkey, Amount: amount}, err
		})
}

// NewSetTakeCmd is `set-take HOTKEY TAKE --from COLDKEY`.
func NewSetTakeCmd() *cobra.Command {
	return positionalTxCmd("set-take [hotkey] [take]",
		"Set your hotkey's take (0.10 or 10%) on every subnet; sign with the coldkey that registered it", 2,
		func(clientCtx client.Context, args []string) (validMsg, error) {
			hotkey, err := ResolveAddress(clientCtx, "hotkey", args[0])
			if err != nil {
				return nil, err
			}
			take, err := ParseTake(args[1])
			if err != nil {
				return nil, err
			}
			return &types.MsgSetTake{Coldkey: clientCtx.GetFromAddress().String(), Hotkey: hotkey, Take: take}, nil
		})
}
