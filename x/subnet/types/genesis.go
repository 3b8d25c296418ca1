package types

import (
	"fmt"
	"strings"

	"cosmossdk.io/math"
)

// DefaultGenesis is an empty network with default parameters.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams(), LastLock: math.ZeroInt(), StakeRemainder: math.ZeroInt()}
}

// Validate checks the genesis state is internally consistent: every neuron
// belongs to a subnet, UIDs are dense and below neuron_count, and no hotkey is
// registered twice on a subnet.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	if gs.LastLock.IsNil() || gs.LastLock.IsNegative() {
		return ErrInvalidGenesis.Wrap("last_lock: must be a non-negative amount")
	}
	if uint32(len(gs.Subnets)) > gs.Params.MaxSubnets {
		return ErrInvalidGenesis.Wrapf("subnets: %d exceed max_subnets %d", len(gs.Subnets), gs.Params.MaxSubnets)
	}
	counts := make(map[uint32]uint32, len(gs.Subnets))
	for i, s := range gs.Subnets {
		field := fmt.Sprintf("subnets[%d]", i)
		if err := CheckNetuid(s.Netuid); err != nil {
			return ErrInvalidGenesis.Wrapf("%s: %s", field, err)
		}
		if _, dup := counts[s.Netuid]; dup {
			return ErrInvalidGenesis.Wrapf("%s: duplicate netuid %d", field, s.Netuid)
		}
		counts[s.Netuid] = 0
		if err := checkAddress(field+".owner", s.Owner); err != nil {
			return err
		}
		if err := validateStoredTask(s.TaskSpec, s.TaskHash); err != nil {
			return ErrInvalidGenesis.Wrapf("%s: %s", field, err)
		}
		if err := s.Hyperparams.Validate(); err != nil {
			return ErrInvalidGenesis.Wrapf("%s.hyperparams: %s", field, err)
		}
		if s.Locked.IsNil() || s.Locked.IsNegative() || s.Burn.IsNil() || s.Burn.IsNegative() {
			return ErrInvalidGenesis.Wrapf("%s: locked and burn must be non-negative amounts", field)
		}
		if s.NeuronCount > s.Hyperparams.MaxUids {
			return ErrInvalidGenesis.Wrapf("%s: neuron_count %d above max_uids %d", field, s.NeuronCount, s.Hyperparams.MaxUids)
		}
	}
	type key = hotkeyKey
	uids := make(map[[2]uint32]struct{}, len(gs.Neurons))
	hotkeys := make(map[key]struct{}, len(gs.Neurons))
	for i, n := range gs.Neurons {
		field := fmt.Sprintf("neurons[%d]", i)
		if _, ok := counts[n.Netuid]; !ok {
			return ErrInvalidGenesis.Wrapf("%s: unknown netuid %d", field, n.Netuid)
		}
		if _, dup := uids[[2]uint32{n.Netuid, n.Uid}]; dup {
			return ErrInvalidGenesis.Wrapf("%s: duplicate uid %d on netuid %d", field, n.Uid, n.Netuid)
		}
		uids[[2]uint32{n.Netuid, n.Uid}] = struct{}{}
		if _, dup := hotkeys[key{n.Netuid, n.Hotkey}]; dup {
			return ErrInvalidGenesis.Wrapf("%s: hotkey %s registered twice on netuid %d", field, n.Hotkey, n.Netuid)
		}
		hotkeys[key{n.Netuid, n.Hotkey}] = struct{}{}
		if err := checkAddress(field+".hotkey", n.Hotkey); err != nil {
			return err
		}
		if err := checkAddress(field+".coldkey", n.Coldkey); err != nil {
			return err
		}
		if n.Emission.IsNil() || n.Emission.IsNegative() {
			return ErrInvalidGenesis.Wrapf("%s.emission: must be a non-negative amount", field)
		}
		counts[n.Netuid]++
	}
	for i, s := range gs.Subnets {
		if counts[s.Netuid] != s.NeuronCount {
			return ErrInvalidGenesis.Wrapf("subnets[%d]: neuron_count %d but %d neurons listed", i, s.NeuronCount, counts[s.Netuid])
		}
	}
	for i, n := range gs.Neurons {
		if n.Uid >= counts[n.Netuid] {
			return ErrInvalidGenesis.Wrapf("neurons[%d]: uid %d not below neuron_count %d (UIDs are dense)", i, n.Uid, counts[n.Netuid])
		}
	}
	seen := make(map[[2]uint32]struct{}, len(gs.BondResets))
	for i, r := range gs.BondResets {
		k := [2]uint32{r.Netuid, r.Uid}
		if _, ok := uids[k]; !ok {
			return ErrInvalidGenesis.Wrapf("bond_resets[%d]: no uid %d on netuid %d", i, r.Uid, r.Netuid)
		}
		if _, dup := seen[k]; dup {
			return ErrInvalidGenesis.Wrapf("bond_resets[%d]: duplicate uid %d on netuid %d", i, r.Uid, r.Netuid)
		}
		seen[k] = struct{}{}
	}
	if err := gs.validateModels(counts); err != nil {
		return err
	}
	return gs.validateStake(hotkeys)
}

// validateModels checks the model publishers: a known subnet, a lowercase
// hash (the store's key form), one entry per hash, and a UID the subnet has.
func (gs GenesisState) validateModels(counts map[uint32]uint32) error {
	type key struct {
		netuid uint32
		hash   string
	}
	seen := make(map[key]struct{}, len(gs.Models))
	for i, m := range gs.Models {
		field := fmt.Sprintf("models[%d]", i)
		count, ok := counts[m.Netuid]
		if !ok {
			return ErrInvalidGenesis.Wrapf("%s: unknown netuid %d", field, m.Netuid)
		}
		if err := ValidateModelHash(m.ModelHash); err != nil || m.ModelHash != strings.ToLower(m.ModelHash) {
			return ErrInvalidGenesis.Wrapf("%s.model_hash: want 64 lowercase hex characters, got %q", field, m.ModelHash)
		}
		k := key{m.Netuid, m.ModelHash}
		if _, dup := seen[k]; dup {
			return ErrInvalidGenesis.Wrapf("%s: duplicate model_hash on netuid %d", field, m.Netuid)
		}
		seen[k] = struct{}{}
		if m.Publisher.Uid >= count {
			return ErrInvalidGenesis.Wrapf("%s.publisher.uid: %d not below neuron_count %d", field, m.Publisher.Uid, count)
		}
		if err := checkAddress(field+".publisher.hotkey", m.Publisher.Hotkey); err != nil {
			return err
		}
	}
	return nil
}
