package keeper

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/subnet/types"
)

// clearNeuron removes what neuron n (whose address is hotkey) leaves behind
// when it is pruned or its subnet dissolved: the hotkey's stake pool (every
// position refunded to its coldkey), the UID's weights row and the hotkey's
// pending commits. The neuron record itself is replaced or removed by the
// caller. Weights other
// UIDs set on this UID stay (the new neuron inherits them, as in subtensor;
// x/emission drops weights older than the target's registration).
func (k *Keeper) clearNeuron(ctx context.Context, n types.Neuron, hotkey sdk.AccAddress) error {
	if err := k.refundHotkeyStake(ctx, n, hotkey); err != nil {
		return err
	}
	netuid, uid := uint16(n.Netuid), uint16(n.Uid)
	if err := k.Weights.Remove(ctx, joinUID(netuid, uid)); err != nil {
		return err
	}
	if err := k.Bonds.Remove(ctx, joinUID(netuid, uid)); err != nil {
		return err
	}
	if err := k.BondResets.Remove(ctx, joinUID(netuid, uid)); err != nil {
		return err
	}
	return k.Commits.Remove(ctx, joinHotkey(netuid, hotkey))
}
