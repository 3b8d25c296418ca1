package types

import "cosmossdk.io/math"

// EpochInputs is one subnet's state as x/emission's epoch reads it, indexed
// by UID (0..neuron_count-1).
type EpochInputs struct {
	Subnet       Subnet
	Hotkeys      []string
	Coldkeys     []string
	Stake        []math.Int
	Permits      []bool // permits as of now (the previous epoch's, until the epoch writes new ones)
	LastUpdate   []int64
	RegisteredAt []int64
	// Weights are the revealed rows; a UID that never set weights has an empty row.
	Weights []WeightsRow
}
