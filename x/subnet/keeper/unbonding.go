package keeper

import (
	"context"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/subnet/types"
)

// maxReleasesPerBlock bounds EndBlock's unbonding work; the rest waits for
// the next block, oldest first.
const maxReleasesPerBlock = 500

// payOrUnbond pays removed stake to the coldkey at once, or, with an
// unbonding period, queues it until release_block (the tokens stay in the
// module account meanwhile).
func (k *Keeper) payOrUnbond(ctx context.Context, coldkey sdk.AccAddress, netuid uint16, hotkey sdk.AccAddress, amount math.Int) error {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if p.UnbondingPeriod == 0 {
		return k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, coldkey, coins(amount))
	}
	id, err := k.NextUnbondingID.Next(ctx)
	if err != nil {
		return err
	}
	release := blockHeight(ctx) + int64(p.UnbondingPeriod)
	return k.Unbondings.Set(ctx, collections.Join(release, id), types.Unbonding{
		Id: id, Coldkey: coldkey.String(), Netuid: uint32(netuid), Hotkey: hotkey.String(), Amount: amount, ReleaseBlock: release,
	})
}

// EndBlock pays out the unbondings whose release block has come.
func (k *Keeper) EndBlock(ctx context.Context) error {
	height := blockHeight(ctx)
	rng := new(collections.Range[collections.Pair[int64, uint64]]).EndExclusive(collections.Join(height+1, uint64(0)))
	var due []types.Unbonding
	err := k.Unbondings.Walk(ctx, rng, func(_ collections.Pair[int64, uint64], u types.Unbonding) (bool, error) {
		due = append(due, u)
		return len(due) >= maxReleasesPerBlock, nil
	})
	if err != nil {
		return err
	}
	em := sdk.UnwrapSDKContext(ctx).EventManager()
	for _, u := range due {
		if err := k.Unbondings.Remove(ctx, collections.Join(u.ReleaseBlock, u.Id)); err != nil {
			return err
		}
		if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, sdk.MustAccAddressFromBech32(u.Coldkey), coins(u.Amount)); err != nil {
			return err
		}
		if err := em.EmitTypedEvent(&types.EventUnbondingReleased{
			Id: u.Id, Coldkey: u.Coldkey, Netuid: u.Netuid, Hotkey: u.Hotkey, Amount: u.Amount.String(),
		}); err != nil {
			return err
		}
	}
	return nil
}

// TotalUnbonding is Σ of every unbonding entry.
func (k *Keeper) TotalUnbonding(ctx context.Context) (math.Int, error) {
	total := math.ZeroInt()
	err := k.Unbondings.Walk(ctx, nil, func(_ collections.Pair[int64, uint64], u types.Unbonding) (bool, error) {
		total = total.Add(u.Amount)
		return false, nil
	})
	return total, err
}

// Unbondings lists an address's pending unbondings, soonest first. A query
// only: it walks every entry.
func (q queryServer) Unbondings(ctx context.Context, req *types.QueryUnbondingsRequest) (*types.QueryUnbondingsResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	if _, err := parseAddr("address", req.Address); err != nil {
		return nil, err
	}
	res := &types.QueryUnbondingsResponse{}
	err := q.k.Unbondings.Walk(ctx, nil, func(_ collections.Pair[int64, uint64], u types.Unbonding) (bool, error) {
		if u.Coldkey == req.Address {
			res.Unbondings = append(res.Unbondings, u)
		}
		return false, nil
	})
	return res, err
}
