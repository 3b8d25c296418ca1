package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/emission/yuma"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// This file keeps the epoch's records: the history entry, the cumulative
// rewards book and the events.

// epochRecord is the history entry of an epoch that ran on pool.
func epochRecord(netuid uint16, height int64, pool sdkmath.Int, in subnettypes.EpochInputs, out yuma.Output,
	res subnettypes.EpochResults, s Split,
) types.EpochRecord {
	rec := types.EpochRecord{
		Netuid: uint32(netuid), Block: height, Paid: s.Paid, Pool: pool, Owner: in.Subnet.Owner,
		OwnerCut: s.OwnerCut, MinersTotal: s.MinersTotal, ValidatorsTotal: s.ValidatorsTotal, Carried: s.Carried,
		Fallback: out.Fallback, Results: make([]types.UIDResult, len(in.Hotkeys)),
	}
	for i := range rec.Results {
		rec.Results[i] = types.UIDResult{
			Uid: uint32(i), Hotkey: in.Hotkeys[i], Coldkey: in.Coldkeys[i], Stake: in.Stake[i],
			ValidatorPermit: out.Permit[i], Consensus: res.Consensus[i], ValidatorTrust: res.ValidatorTrust[i],
			Incentive: res.Incentive[i], Dividends: res.Dividends[i],
			MinerReward: sdkmath.NewIntFromUint64(s.Miner[i]), ValidatorTake: sdkmath.NewIntFromUint64(s.Take[i]), ValidatorStaked: sdkmath.NewIntFromUint64(s.Staked[i]),
		}
	}
	return rec
}

// recordHistory stores rec and drops this subnet's epochs beyond history_length.
func (k *Keeper) recordHistory(ctx context.Context, params types.Params, netuid uint16, rec types.EpochRecord) error {
	if err := k.History.Set(ctx, collections.Join(netuid, rec.Block), rec); err != nil {
		return err
	}
	// keys only: decoding every stored record to count them would cost far more
	iter, err := k.History.Iterate(ctx, collections.NewPrefixedPairRange[uint16, int64](netuid))
	if err != nil {
		return err
	}
	keys, err := iter.Keys()
	if err != nil {
		return err
	}
	for i := 0; i+int(params.HistoryLength) < len(keys); i++ {
		if err := k.History.Remove(ctx, keys[i]); err != nil {
			return err
		}
	}
	return nil
}

// bookRewards adds an epoch's payouts to the cumulative (address, netuid)
// totals: one read and one write per address, however many payouts it got.
func (k *Keeper) bookRewards(ctx context.Context, netuid uint16, ps []payout) error {
	var totals []types.RewardTotals
	var addrs []sdk.AccAddress
	index := make(map[string]int) // lookups only, never ranged
	for _, p := range ps {
		i, ok := index[p.address]
		if !ok {
			t, err := k.rewardTotals(ctx, collections.Join(p.addr, netuid))
			if err != nil {
				return err
			}
			i = len(totals)
			index[p.address] = i
			totals, addrs = append(totals, t), append(addrs, p.addr)
		}
		t := &totals[i]
		switch p.role {
		case types.RoleOwner:
			t.OwnerCut = t.OwnerCut.Add(p.amount)
		case types.RoleMiner:
			t.Miner = t.Miner.Add(p.amount)
		case types.RoleValidatorTake:
			t.ValidatorTake = t.ValidatorTake.Add(p.amount)
		case types.RoleStakePool:
			t.StakePool = t.StakePool.Add(p.amount)
		}
	}
	for i, t := range totals {
		if err := k.Rewards.Set(ctx, collections.Join(addrs[i], netuid), t); err != nil {
			return err
		}
	}
	return nil
}

// rewardTotals reads an address's totals on a subnet, zero if it has none.
// An address paid before is the common case; a miss costs more (collections
// formats the key, a bech32 encoding, into its not-found error) but only
// happens on an address's first reward on the subnet.
func (k *Keeper) rewardTotals(ctx context.Context, key collections.Pair[sdk.AccAddress, uint16]) (types.RewardTotals, error) {
	t, err := k.Rewards.Get(ctx, key)
	if errors.Is(err, collections.ErrNotFound) {
		return types.RewardTotals{OwnerCut: sdkmath.ZeroInt(), Miner: sdkmath.ZeroInt(), ValidatorTake: sdkmath.ZeroInt(), StakePool: sdkmath.ZeroInt()}, nil
	}
	return t, err
}
