package keeper

import (
	"context"
	"math/bits"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/emission/types"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// payout is one transfer of an epoch: to an account (owner cut, miner
// reward, validator take) or into a hotkey's stake pool.
type payout struct {
	uid     uint16
	address string         // bech32, as x/subnet stores it (events, history)
	addr    sdk.AccAddress // the same, decoded (bank, rewards book)
	role    string
	amount  uint64
}

// payouts lists an epoch's positive transfers in event order: the owner
// cut, then per UID its miner reward, validator take and stake-pool credit.
func payouts(dec addressDecoder, in subnettypes.EpochInputs, s Split) ([]payout, error) {
	size := 1 // sized first: a subnet's payouts are hundreds of records
	for i, m := range s.Miner {
		if m > 0 {
			size++
		}
		if s.Take[i] > 0 {
			size++
		}
		if s.Staked[i] > 0 {
			size++
		}
	}
	out := make([]payout, 0, size)
	add := func(uid int, address, role string, amount uint64) error {
		if amount == 0 {
			return nil
		}
		addr, err := dec.decode(address)
		if err != nil {
			return err
		}
		out = append(out, payout{uid: uint16(uid), address: address, addr: addr, role: role, amount: amount})
		return nil
	}
	// the paid parts come out of the pending pool, which the supply cap
	// keeps far below 2^64, so their sums are uint64 too
	if !fitsUint64(s.OwnerCut, s.MinersTotal, s.ValidatorsTotal) {
		return nil, types.ErrEpoch.Wrapf("payouts %s + %s + %s exceed 2^64 - 1", s.OwnerCut, s.MinersTotal, s.ValidatorsTotal)
	}
	if err := add(0, in.Subnet.Owner, types.RoleOwner, s.OwnerCut.Uint64()); err != nil {
		return nil, err
	}
	for i := range s.Miner {
		if err := add(i, in.Coldkeys[i], types.RoleMiner, s.Miner[i]); err != nil {
			return nil, err
		}
		if err := add(i, in.Coldkeys[i], types.RoleValidatorTake, s.Take[i]); err != nil {
			return nil, err
		}
		if err := add(i, in.Hotkeys[i], types.RoleStakePool, s.Staked[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// fitsUint64 reports whether the amounts and their sum are below 2^64.
func fitsUint64(amounts ...sdkmath.Int) bool {
	var sum, carry uint64
	for _, a := range amounts {
		if !a.IsUint64() {
			return false
		}
		sum, carry = bits.Add64(sum, a.Uint64(), 0)
		if carry != 0 {
			return false
		}
	}
	return true
}

// transfer moves the payouts out of the module account. Transfers to one
// address are summed into one bank send, and all stake-pool credits into
// one send to x/subnet's module account, whose pools x/subnet credited when
// it stored the epoch's results (EpochResults.Credits): the balances end as
// with one send per payout, at a fraction of the bank's per-send cost.
func (k *Keeper) transfer(ctx context.Context, ps []payout) error {
	var sends []payout            // one per recipient account, in first-payout order
	index := make(map[string]int) // lookups only, never ranged
	var toPools uint64
	for _, p := range ps {
		if p.role == types.RoleStakePool {
			toPools += p.amount // payouts checks that their sum fits
			continue
		}
		if i, ok := index[p.address]; ok {
			sends[i].amount += p.amount
			continue
		}
		index[p.address] = len(sends)
		sends = append(sends, p)
	}
	for _, s := range sends {
		if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, s.addr, coins(sdkmath.NewIntFromUint64(s.amount))); err != nil {
			return err
		}
	}
	if toPools == 0 {
		return nil
	}
	return k.bank.SendCoinsFromModuleToModule(ctx, types.ModuleName, subnettypes.ModuleName, coins(sdkmath.NewIntFromUint64(toPools)))
}
