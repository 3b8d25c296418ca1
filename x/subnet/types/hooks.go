package types

import "context"

// SubnetHooks lets modules that keep per-subnet or per-neuron state (x/emission's
// pools and epoch results) clean up when x/subnet removes something, without
// x/subnet importing them.
type SubnetHooks interface {
	// AfterNeuronReplaced runs when a full subnet prunes oldHotkey from uid.
	AfterNeuronReplaced(ctx context.Context, netuid uint16, uid uint32, oldHotkey string) error
	// AfterSubnetDissolved runs after every neuron of netuid has been removed.
	AfterSubnetDissolved(ctx context.Context, netuid uint16) error
}

// MultiSubnetHooks runs several hooks in order.
type MultiSubnetHooks []SubnetHooks

func (m MultiSubnetHooks) AfterNeuronReplaced(ctx context.Context, netuid uint16, uid uint32, oldHotkey string) error {
	for _, h := range m {
		if err := h.AfterNeuronReplaced(ctx, netuid, uid, oldHotkey); err != nil {
			return err
		}
	}
	return nil
}

func (m MultiSubnetHooks) AfterSubnetDissolved(ctx context.Context, netuid uint16) error {
	for _, h := range m {
		if err := h.AfterSubnetDissolved(ctx, netuid); err != nil {
			return err
		}
	}
	return nil
}
