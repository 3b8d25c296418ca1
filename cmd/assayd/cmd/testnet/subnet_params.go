package testnet

import (
	"encoding/json"
	"fmt"

	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/codec"

	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// SubnetParams shortens every period so a dev network with 1 s blocks shows
// registrations, epochs and pruning within minutes: tempo 10, commit-reveal
// on with a reveal period of 1, immunity 100.
func SubnetParams() subnettypes.Params {
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

// setSubnetParams puts SubnetParams into the x/subnet section of an app
// state, keeping the rest of that section (or starting from its default).
func setSubnetParams(cdc codec.JSONCodec, state map[string]json.RawMessage) error {
	gs := subnettypes.DefaultGenesis()
	if raw, ok := state[subnettypes.ModuleName]; ok {
		gs = &subnettypes.GenesisState{}
		if err := cdc.UnmarshalJSON(raw, gs); err != nil {
			return fmt.Errorf("subnet genesis: %w", err)
		}
	}
	gs.Params = SubnetParams()
	if err := gs.Validate(); err != nil {
		return fmt.Errorf("subnet genesis: %w", err)
	}
	raw, err := cdc.MarshalJSON(gs)
	if err != nil {
		return err
	}
	state[subnettypes.ModuleName] = raw
	return nil
}
