package types

import (
	"fmt"
	gomath "math"

	"cosmossdk.io/math"
)

// DefaultGenesis: nothing issued yet.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams(), Issued: math.ZeroInt(), Carry: math.ZeroInt(), Burned: math.ZeroInt()}
}

func nonNeg(field string, v math.Int) error {
	if v.IsNil() || v.IsNegative() {
		return ErrInvalidGenesis.Wrapf("%s: must be a non-negative amount", field)
	}
	return nil
}

// Validate checks amounts and uniqueness; cross-module facts (pools match
// subnets) are checked at InitGenesis against x/subnet.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    math.Int
	}{{"issued", gs.Issued}, {"carry", gs.Carry}, {"burned", gs.Burned}} {
		if err := nonNeg(f.name, f.v); err != nil {
			return err
		}
	}
	seen := make(map[uint32]bool, len(gs.Pools))
	total := gs.Carry.Add(gs.Burned)
	for i, p := range gs.Pools {
		if seen[p.Netuid] {
			return ErrInvalidGenesis.Wrapf("pools[%d]: duplicate netuid %d", i, p.Netuid)
		}
		seen[p.Netuid] = true
		if err := netuidFits(fmt.Sprintf("pools[%d].netuid", i), p.Netuid); err != nil {
			return err
		}
		if err := nonNeg(fmt.Sprintf("pools[%d].pending", i), p.Pending); err != nil {
			return err
		}
		if err := nonNeg(fmt.Sprintf("pools[%d].received", i), p.Received); err != nil {
			return err
		}
		total = total.Add(p.Pending)
	}
	if total.GT(gs.Issued) {
		return ErrInvalidGenesis.Wrapf("pending pools, carry and burned (%s) exceed issued (%s)", total, gs.Issued)
	}
	for i, d := range gs.Deferred {
		if !seen[d.Netuid] {
			return ErrInvalidGenesis.Wrapf("deferred[%d]: netuid %d has no pool", i, d.Netuid)
		}
	}
	for i, r := range gs.History {
		if err := netuidFits(fmt.Sprintf("history[%d].netuid", i), r.Netuid); err != nil {
			return err
		}
	}
	for i, r := range gs.Rewards {
		if err := netuidFits(fmt.Sprintf("rewards[%d].netuid", i), r.Netuid); err != nil {
			return err
		}
	}
	return nil
}

// netuidFits rejects a netuid beyond uint16, which state keys would
// otherwise wrap onto another subnet.
func netuidFits(field string, n uint32) error {
	if n > gomath.MaxUint16 {
		return ErrInvalidGenesis.Wrapf("%s: %d exceeds %d", field, n, gomath.MaxUint16)
	}
	return nil
}
