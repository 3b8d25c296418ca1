package types

import (
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/emission/yuma"
)

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
	// Weights are the revealed rows, as the Yuma library takes them (raw
	// uint16 values); a UID that never set weights has a nil row.
	Weights [][]yuma.Weight
	// Bonds are the last epoch's bond rows as the Yuma library takes them
	// (nil for UIDs without bonds): read straight from the store's packed
	// rows, with no conversion on either side of the seam.
	Bonds [][]yuma.Entry
}

// EpochResults are what an epoch writes back, indexed by UID like the
// inputs: the new permits and per-UID emission (pruning reads it), the Yuma
// outputs the metagraph shows, and the new bonds. The numbers are the
// epoch's own integers: x/subnet stores the emission as math.Int and the
// outputs as LegacyDec (FixedToDec), encoding them without building either.
type EpochResults struct {
	Permits        []bool
	Emission       []uint64 // uassay
	Consensus      []yuma.Fixed
	ValidatorTrust []yuma.Fixed
	Incentive      []yuma.Fixed
	Dividends      []yuma.Fixed
	Bonds          [][]yuma.Entry // the Yuma library's new bonds, stored as they are
	// Credits are the validators' stake-pool rewards, in UID order; the
	// tokens reach x/subnet's module account in the same epoch.
	Credits []StakeCredit
}

// StakeCredit raises UID's stake pool by Amount without minting shares,
// as Keeper.AddRewardToStakePool does. Hotkey is the UID's hotkey as bytes.
type StakeCredit struct {
	UID    uint16
	Hotkey sdk.AccAddress
	Amount uint64 // uassay
}

// SubnetSchedule is what the per-block emission needs of every subnet.
type SubnetSchedule struct {
	Netuid     uint16
	Owner      string
	Tempo      uint64
	TotalStake math.Int
}
