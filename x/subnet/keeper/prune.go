package keeper

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// clearNeuron removes what a UID leaves behind when it is pruned or its
// subnet dissolved: the hotkey's stake pool (every position refunded to its
// coldkey), the UID's weights row and the hotkey's pending commits. The
// neuron record itself is replaced or removed by the caller. Weights other
// UIDs set on this UID stay (the new neuron inherits them, as in subtensor;
// x/emission drops weights older than the target's registration).
func (k *Keeper) clearNeuron(ctx context.Context, netuid, uid uint16, hotkey sdk.AccAddress) error {
	if err := k.refundHotkeyStake(ctx, netuid, hotkey); err != nil {
		return err
	}
	if err := k.Weights.Remove(ctx, joinUID(netuid, uid)); err != nil {
		return err
	}
	if err := k.Bonds.Remove(ctx, joinUID(netuid, uid)); err != nil {
		return err
	}
	return k.Commits.Remove(ctx, joinHotkey(netuid, hotkey))
}
