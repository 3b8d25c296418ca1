package keeper

import (
	"context"

	"cosmossdk.io/collections"
	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/assay-network/assay/x/emission/types"
)

// SupplyReport is the supply invariant's terms at one height (DESIGN §4):
//
//	issued = paid + stake_pools + pending + carry + burned
//
// where paid is every reward sent to an account (owner cuts, miner
// rewards, validator takes) and stake_pools every reward added to a
// hotkey's stake pool; and the module account holds exactly pending + carry.
type SupplyReport struct {
	Block                                    int64
	Issued, Paid, StakePools, Pending, Carry sdkmath.Int
	Burned, ModuleBalance                    sdkmath.Int
	// Addresses counts the distinct addresses in the rewards book.
	Addresses uint32
}

// Rewards is everything the epochs paid out: paid + stake_pools.
func (r SupplyReport) Rewards() sdkmath.Int { return r.Paid.Add(r.StakePools) }

// Accounted is the right-hand side: rewards + pending + carry + burned.
func (r SupplyReport) Accounted() sdkmath.Int {
	return r.Rewards().Add(r.Pending).Add(r.Carry).Add(r.Burned)
}

// Holds says whether every minted uassay is accounted for and backed.
func (r SupplyReport) Holds() bool { return r.Check() == nil }

// Check names the first broken equation, or returns nil.
func (r SupplyReport) Check() error {
	if !r.Issued.Equal(r.Accounted()) {
		return types.ErrSupplyInvariant.Wrapf("block %d: issued %s ≠ paid %s + stake pools %s + pending %s + carry %s + burned %s",
			r.Block, r.Issued, r.Paid, r.StakePools, r.Pending, r.Carry, r.Burned)
	}
	if held := r.Pending.Add(r.Carry); !r.ModuleBalance.Equal(held) {
		return types.ErrSupplyInvariant.Wrapf("block %d: the module account holds %s, pending + carry is %s",
			r.Block, r.ModuleBalance, held)
	}
	return nil
}

// SupplyInvariant computes the supply report from state: the totals, every
// pool and the whole rewards book (O(pools + book entries)), so it is for
// tests, queries and operators, never for block execution.
func (k *Keeper) SupplyInvariant(ctx context.Context) (SupplyReport, error) {
	r := SupplyReport{Block: sdk.UnwrapSDKContext(ctx).BlockHeight(),
		Paid: sdkmath.ZeroInt(), StakePools: sdkmath.ZeroInt(), Pending: sdkmath.ZeroInt()}
	var err error
	if r.Issued, err = getInt(ctx, k.Issued); err != nil {
		return r, err
	}
	if r.Carry, err = getInt(ctx, k.Carry); err != nil {
		return r, err
	}
	if r.Burned, err = getInt(ctx, k.Burned); err != nil {
		return r, err
	}
	if err := k.Pools.Walk(ctx, nil, func(_ uint16, p types.SubnetPool) (bool, error) {
		r.Pending = r.Pending.Add(p.Pending)
		return false, nil
	}); err != nil {
		return r, err
	}
	// keys are (address, netuid): an address's entries are adjacent
	var last sdk.AccAddress
	if err := k.Rewards.Walk(ctx, nil, func(key collections.Pair[sdk.AccAddress, uint16], t types.RewardTotals) (bool, error) {
		r.Paid = r.Paid.Add(t.OwnerCut).Add(t.Miner).Add(t.ValidatorTake)
		r.StakePools = r.StakePools.Add(t.StakePool)
		if !key.K1().Equals(last) {
			r.Addresses++
			last = key.K1()
		}
		return false, nil
	}); err != nil {
		return r, err
	}
	r.ModuleBalance = k.bank.GetBalance(ctx, authtypes.NewModuleAddress(types.ModuleName), types.Denom).Amount
	return r, nil
}
