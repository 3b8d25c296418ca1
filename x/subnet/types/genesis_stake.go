package types

import (
	"fmt"

	"cosmossdk.io/math"
)

// hotkeyKey identifies a hotkey on a subnet in genesis validation.
type hotkeyKey struct {
	netuid uint32
	hotkey string
}

// validateStake checks the stake, take, weights and commit sections: pools
// belong to registered hotkeys, positions add up to their pool's shares, and
// amounts are non-negative. registered holds (netuid, hotkey) of every neuron.
func (gs GenesisState) validateStake(registered map[hotkeyKey]struct{}) error {
	type key = hotkeyKey
	if !gs.StakeRemainder.IsNil() && gs.StakeRemainder.IsNegative() {
		return ErrInvalidGenesis.Wrap("stake_remainder: must be non-negative")
	}
	pools := make(map[key]math.Int, len(gs.StakePools))
	for i, p := range gs.StakePools {
		field := fmt.Sprintf("stake_pools[%d]", i)
		k := key{p.Netuid, p.Hotkey}
		if _, ok := registered[k]; !ok {
			return ErrInvalidGenesis.Wrapf("%s: hotkey %s is not registered on netuid %d", field, p.Hotkey, p.Netuid)
		}
		if _, dup := pools[k]; dup {
			return ErrInvalidGenesis.Wrapf("%s: duplicate pool", field)
		}
		if p.Pool.TotalStake.IsNil() || p.Pool.TotalShares.IsNil() || p.Pool.TotalStake.IsNegative() || !p.Pool.TotalShares.IsPositive() {
			return ErrInvalidGenesis.Wrapf("%s: total_stake must be >= 0 and total_shares > 0", field)
		}
		pools[k] = math.ZeroInt()
	}
	for i, p := range gs.StakePositions {
		field := fmt.Sprintf("stake_positions[%d]", i)
		if err := checkAddress(field+".coldkey", p.Coldkey); err != nil {
			return err
		}
		k := key{p.Netuid, p.Hotkey}
		sum, ok := pools[k]
		if !ok {
			return ErrInvalidGenesis.Wrapf("%s: no pool for hotkey %s on netuid %d", field, p.Hotkey, p.Netuid)
		}
		if p.Shares.IsNil() || !p.Shares.IsPositive() {
			return ErrInvalidGenesis.Wrapf("%s.shares: must be positive", field)
		}
		pools[k] = sum.Add(p.Shares)
	}
	for i, p := range gs.StakePools {
		if got := pools[key{p.Netuid, p.Hotkey}]; !got.Equal(p.Pool.TotalShares) {
			return ErrInvalidGenesis.Wrapf("stake_pools[%d]: total_shares %s but positions hold %s", i, p.Pool.TotalShares, got)
		}
	}
	for i, t := range gs.Takes {
		if err := checkAddress(fmt.Sprintf("takes[%d].hotkey", i), t.Hotkey); err != nil {
			return err
		}
		if t.Take.Take.IsNil() || t.Take.Take.IsNegative() || t.Take.Take.GT(gs.Params.MaxTake) {
			return ErrInvalidGenesis.Wrapf("takes[%d].take: must be in [0, max_take]", i)
		}
	}
	for i, w := range gs.Weights {
		if len(w.Row.Uids) != len(w.Row.Weights) {
			return ErrInvalidGenesis.Wrapf("weights[%d]: uids and weights lengths differ", i)
		}
	}
	for i, u := range gs.Unbondings {
		if err := checkAddress(fmt.Sprintf("unbondings[%d].coldkey", i), u.Coldkey); err != nil {
			return err
		}
		if u.Amount.IsNil() || !u.Amount.IsPositive() {
			return ErrInvalidGenesis.Wrapf("unbondings[%d].amount: must be positive", i)
		}
		if u.Id >= gs.NextUnbondingId {
			return ErrInvalidGenesis.Wrapf("unbondings[%d].id: %d not below next_unbonding_id %d", i, u.Id, gs.NextUnbondingId)
		}
	}
	for i, b := range gs.Bonds {
		for j, e := range b.Row.Entries {
			// bonds are fractions in [0, 1] as I32F32
			if e.Value < 0 || e.Value > 1<<32 {
				return ErrInvalidGenesis.Wrapf("bonds[%d].row.entries[%d]: value %d outside [0, 2^32]", i, j, e.Value)
			}
			if j > 0 && e.Uid <= b.Row.Entries[j-1].Uid {
				return ErrInvalidGenesis.Wrapf("bonds[%d].row.entries[%d]: uids must be strictly increasing", i, j)
			}
		}
	}
	for i, c := range gs.Commits {
		if err := checkAddress(fmt.Sprintf("commits[%d].hotkey", i), c.Hotkey); err != nil {
			return err
		}
		if len(c.Commits.Commits) > MaxPendingCommits {
			return ErrInvalidGenesis.Wrapf("commits[%d]: more than %d pending", i, MaxPendingCommits)
		}
	}
	return nil
}
