package cmd

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
	"github.com/spf13/cobra"

	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// LocalnetSubnetParams shortens every period so a one-node chain with 1 s
// blocks shows registrations, epochs and pruning within minutes.
func LocalnetSubnetParams() subnettypes.Params {
	p := subnettypes.DefaultParams()
	p.MinLock = math.NewInt(10_000_000)
	p.LockReductionInterval = 100
	hp := &p.DefaultHyperparams
	hp.Tempo = 10
	hp.ImmunityPeriod = 100
	hp.WeightsRateLimit = 2
	hp.ActivityCutoff = 1000
	hp.ServingRateLimit = 2
	hp.RevealPeriod = 1
	return p
}

// newLocalnetGenesisCmd rewrites the x/subnet params of a genesis file to the
// localnet values; scripts/localnet.sh and scripts/testnet.sh call it.
func newLocalnetGenesisCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "localnet-genesis",
		Short: "Set short localnet periods (tempo 10, immunity 100, ...) in the genesis file of --home",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			clientCtx := client.GetClientContextFromCmd(cmd)
			home, _ := cmd.Flags().GetString(flags.FlagHome)
			if home == "" {
				home = clientCtx.HomeDir
			}
			path := filepath.Join(home, "config", "genesis.json")
			appGen, err := genutiltypes.AppGenesisFromFile(path)
			if err != nil {
				return fmt.Errorf("reading %s: %w", path, err)
			}
			var state map[string]json.RawMessage
			if err := json.Unmarshal(appGen.AppState, &state); err != nil {
				return fmt.Errorf("app_state of %s: %w", path, err)
			}
			var gs subnettypes.GenesisState
			if raw, ok := state[subnettypes.ModuleName]; ok {
				if err := clientCtx.Codec.UnmarshalJSON(raw, &gs); err != nil {
					return fmt.Errorf("subnet genesis: %w", err)
				}
			} else {
				gs = *subnettypes.DefaultGenesis()
			}
			gs.Params = LocalnetSubnetParams()
			if err := gs.Validate(); err != nil {
				return err
			}
			if state[subnettypes.ModuleName], err = clientCtx.Codec.MarshalJSON(&gs); err != nil {
				return err
			}
			if appGen.AppState, err = json.Marshal(state); err != nil {
				return err
			}
			return appGen.SaveAs(path)
		},
	}
	return cmd
}
