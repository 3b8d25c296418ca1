package types

import (
	"context"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// BankKeeper: mint rewards and pay them out. Nothing else.
type BankKeeper interface {
	MintCoins(ctx context.Context, module string, amt sdk.Coins) error
	BurnCoins(ctx context.Context, module string, amt sdk.Coins) error
	SendCoinsFromModuleToAccount(ctx context.Context, module string, to sdk.AccAddress, amt sdk.Coins) error
	SendCoinsFromModuleToModule(ctx context.Context, from, to string, amt sdk.Coins) error
	GetBalance(ctx context.Context, addr sdk.AccAddress, denom string) sdk.Coin
}

// AccountKeeper creates the module account at genesis (minting needs it).
type AccountKeeper interface {
	GetModuleAccount(ctx context.Context, name string) sdk.ModuleAccountI
}

// SubnetKeeper is the narrow view of x/subnet the emission needs: which
// subnets exist and their stake, one pass that hands an epoch its inputs and
// stores its results and credits the stake pools, and validators' takes. x/subnet
// never imports x/emission.
type SubnetKeeper interface {
	SubnetSchedules(ctx context.Context) ([]subnettypes.SubnetSchedule, error)
	RunEpoch(ctx context.Context, netuid uint16, run func(subnettypes.EpochInputs) (subnettypes.EpochResults, error)) error
	TakeRates(ctx context.Context, hotkeys []sdk.AccAddress) ([]math.LegacyDec, error)
	// PositionsOf is a coldkey's stake positions with their earnings, for
	// the rewards query (a delegator's rewards are its positions' growth).
	PositionsOf(ctx context.Context, coldkey sdk.AccAddress) ([]subnettypes.StakePosition, math.Int, error)
}
