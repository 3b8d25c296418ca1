package keeper

import (
	"context"
	"errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/emission/yuma"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

var errCaptured = errors.New("inputs captured")

// YumaInputAt builds the yuma.Input the epoch of netuid would see at the
// context's height (writing nothing), so a benchmark can run the library on
// the identical input beside the keeper.
func (k *Keeper) YumaInputAt(ctx context.Context, netuid uint16) (yuma.Input, error) {
	pool, err := k.pool(ctx, netuid)
	if err != nil {
		return yuma.Input{}, err
	}
	var in yuma.Input
	err = k.subnets.RunEpoch(ctx, netuid, func(e subnettypes.EpochInputs) (subnettypes.EpochResults, error) {
		in = yumaInput(e, sdk.UnwrapSDKContext(ctx).BlockHeight(), pool.LastEpochBlock)
		return subnettypes.EpochResults{}, errCaptured
	})
	if !errors.Is(err, errCaptured) {
		return yuma.Input{}, err
	}
	return in, nil
}
