package keeper

import (
	"context"

	"cosmossdk.io/collections"
	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/assay-network/assay/x/emission/schedule"
	"github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/subnet/epoch"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

type queryServer struct{ k *Keeper }

// NewQueryServer returns the module's Query service.
func NewQueryServer(k *Keeper) types.QueryServer { return queryServer{k: k} }

func (q queryServer) Params(ctx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	p, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

func (q queryServer) Schedule(ctx context.Context, _ *types.QueryScheduleRequest) (*types.QueryScheduleResponse, error) {
	height := sdk.UnwrapSDKContext(ctx).BlockHeight()
	issued, err := getInt(ctx, q.k.Issued)
	if err != nil {
		return nil, err
	}
	carry, err := getInt(ctx, q.k.Carry)
	if err != nil {
		return nil, err
	}
	burned, err := getInt(ctx, q.k.Burned)
	if err != nil {
		return nil, err
	}
	iss := subnettypes.SaturatingUint64(issued)
	res := &types.QueryScheduleResponse{
		Block:               height,
		CurrentReward:       sdkmath.NewIntFromUint64(schedule.BlockReward(iss, schedule.SupplyCap, schedule.InitialReward)),
		Issued:              issued,
		Cap:                 sdkmath.NewIntFromUint64(schedule.SupplyCap),
		Halvings:            uint32(schedule.Halvings(iss, schedule.SupplyCap)),
		NextHalvingIssuance: sdkmath.ZeroInt(),
		Carry:               carry,
		Burned:              burned,
	}
	if th, at, ok := schedule.NextHalving(iss, schedule.SupplyCap, schedule.InitialReward, height); ok {
		res.NextHalvingIssuance, res.NextHalvingHeight = sdkmath.NewIntFromUint64(th), at
	}
	return res, nil
}

func (q queryServer) Subnet(ctx context.Context, req *types.QuerySubnetRequest) (*types.QuerySubnetResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	netuid, err := netuidArg(req.Netuid)
	if err != nil {
		return nil, err
	}
	params, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	subnets, err := q.k.subnets.SubnetSchedules(ctx)
	if err != nil {
		return nil, err
	}
	mine, ok := subnetIndex(subnets, netuid)
	if !ok {
		return nil, types.ErrSubnetNotFound.Wrapf("netuid %d", netuid)
	}
	s := subnets[mine]
	pool, err := q.k.pool(ctx, netuid)
	if err != nil {
		return nil, err
	}
	stakes := make([]uint64, len(subnets))
	for i, x := range subnets {
		stakes[i] = subnettypes.SaturatingUint64(x.TotalStake)
	}
	share := sdkmath.LegacyZeroDec()
	if weights, ok := schedule.SubnetWeights(params.SplitRule, stakes); ok {
		var total uint64
		for _, w := range weights {
			total += w
		}
		if total > 0 {
			share = sdkmath.LegacyNewDecFromInt(sdkmath.NewIntFromUint64(weights[mine])).QuoInt(sdkmath.NewIntFromUint64(total))
		}
	}
	height := sdk.UnwrapSDKContext(ctx).BlockHeight()
	return &types.QuerySubnetResponse{
		Pool: pool, Share: share, TotalStake: s.TotalStake, NextEpochBlock: epoch.Next(height, s.Netuid, s.Tempo),
	}, nil
}

func (q queryServer) History(ctx context.Context, req *types.QueryHistoryRequest) (*types.QueryHistoryResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	netuid, err := netuidArg(req.Netuid)
	if err != nil {
		return nil, err
	}
	subnets, err := q.k.subnets.SubnetSchedules(ctx)
	if err != nil {
		return nil, err
	}
	if _, ok := subnetIndex(subnets, netuid); !ok {
		return nil, types.ErrSubnetNotFound.Wrapf("netuid %d", netuid)
	}
	var out []types.EpochRecord
	err = q.k.History.Walk(ctx, collections.NewPrefixedPairRange[uint16, int64](netuid).Descending(),
		func(_ collections.Pair[uint16, int64], rec types.EpochRecord) (bool, error) {
			out = append(out, rec)
			return req.Limit > 0 && uint32(len(out)) >= req.Limit, nil
		})
	if err != nil {
		return nil, err
	}
	return &types.QueryHistoryResponse{Epochs: out}, nil
}

func (q queryServer) Rewards(ctx context.Context, req *types.QueryRewardsRequest) (*types.QueryRewardsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	addr, err := sdk.AccAddressFromBech32(req.Address)
	if err != nil {
		return nil, types.ErrInvalidAddress.Wrapf("address: %s", err)
	}
	res := &types.QueryRewardsResponse{Total: sdkmath.ZeroInt()}
	err = q.k.Rewards.Walk(ctx, collections.NewPrefixedPairRange[sdk.AccAddress, uint16](addr),
		func(key collections.Pair[sdk.AccAddress, uint16], t types.RewardTotals) (bool, error) {
			res.Rewards = append(res.Rewards, types.AddressRewards{Address: req.Address, Netuid: uint32(key.K2()), Totals: t})
			res.Total = res.Total.Add(t.OwnerCut).Add(t.Miner).Add(t.ValidatorTake).Add(t.StakePool)
			return false, nil
		})
	if err != nil {
		return nil, err
	}
	positions, _, err := q.k.subnets.PositionsOf(ctx, addr)
	if err != nil {
		return nil, err
	}
	res.Positions, res.PositionsEarned = positions, sdkmath.ZeroInt()
	for _, p := range positions {
		res.PositionsEarned = res.PositionsEarned.Add(p.Earned)
	}
	return res, nil
}

// netuidArg converts a request's netuid by x/subnet's one rule: 0 (reserved)
// and anything above uint16 are InvalidArgument (REST 400), not a subnet
// that is merely missing (404) or one a wrapped value would land on.
func netuidArg(n uint32) (uint16, error) {
	return subnettypes.NetuidFromWire(n)
}

// subnetIndex finds netuid in the schedule list (ordered by netuid).
func subnetIndex(list []subnettypes.SubnetSchedule, netuid uint16) (int, bool) {
	for i, s := range list {
		if s.Netuid == netuid {
			return i, true
		}
	}
	return 0, false
}

// Supply reports the supply invariant at the queried height, computed by
// SupplyInvariant (the one place it is written).
func (q queryServer) Supply(ctx context.Context, _ *types.QuerySupplyRequest) (*types.QuerySupplyResponse, error) {
	r, err := q.k.SupplyInvariant(ctx)
	if err != nil {
		return nil, err
	}
	res := &types.QuerySupplyResponse{
		Block: r.Block, Issued: r.Issued, Paid: r.Paid, StakePools: r.StakePools, Rewards: r.Rewards(),
		Pending: r.Pending, Carry: r.Carry, Burned: r.Burned, ModuleBalance: r.ModuleBalance,
		Addresses: r.Addresses, Holds: true,
	}
	if err := r.Check(); err != nil {
		res.Holds, res.Broken = false, err.Error()
	}
	return res, nil
}
