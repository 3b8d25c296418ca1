package cli

import (
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/spf13/cobra"
)

// gasAuto makes --gas default to auto (and --gas-adjustment to 1.5) on a
// command that has the tx flags: the simulation runs the message first, so
// a tx the chain would refuse fails at the prompt with the module's error
// instead of being printed with a non-zero code in CheckTx or in a block.
func gasAuto(cmd *cobra.Command) {
	gas := cmd.Flags().Lookup(flags.FlagGas)
	if gas == nil {
		return
	}
	gas.DefValue = flags.GasFlagAuto
	_ = gas.Value.Set(flags.GasFlagAuto)
	if adj := cmd.Flags().Lookup(flags.FlagGasAdjustment); adj != nil {
		adj.DefValue = "1.5"
		_ = adj.Value.Set("1.5")
	}
}

// DefaultGasAuto gives every tx command under cmd the hand-written
// commands' --gas auto default; the root command calls it on `tx subnet`
// once autocli has added its commands (dissolve-subnet, serve-axon).
func DefaultGasAuto(cmd *cobra.Command) {
	gasAuto(cmd)
	for _, sub := range cmd.Commands() {
		DefaultGasAuto(sub)
	}
}
