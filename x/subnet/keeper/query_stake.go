package keeper

import (
	"context"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/subnet/types"
)

func (q queryServer) StakeByAddress(ctx context.Context, req *types.QueryStakeByAddressRequest) (*types.QueryStakeByAddressResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	coldkey, err := parseAddr("address", req.Address)
	if err != nil {
		return nil, err
	}
	positions, total, err := q.k.PositionsOf(ctx, coldkey)
	if err != nil {
		return nil, err
	}
	res := &types.QueryStakeByAddressResponse{Total: total}
	if len(positions) > 0 {
		res.Positions = positions
	}
	return res, nil
}

func (q queryServer) HotkeyStake(ctx context.Context, req *types.QueryHotkeyStakeRequest) (*types.QueryHotkeyStakeResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	netuid, hotkey, err := parseHotkey(req.Netuid, req.Hotkey)
	if err != nil {
		return nil, err
	}
	n, err := q.k.NeuronByHotkey(ctx, netuid, hotkey)
	if err != nil {
		return nil, err
	}
	pool, err := q.k.GetStakePool(ctx, netuid, hotkey)
	if err != nil {
		return nil, err
	}
	take, err := q.k.Take(ctx, hotkey)
	if err != nil {
		return nil, err
	}
	return &types.QueryHotkeyStakeResponse{Pool: pool, Take: take, Uid: n.Uid, ValidatorPermit: n.ValidatorPermit}, nil
}

func (q queryServer) Delegators(ctx context.Context, req *types.QueryDelegatorsRequest) (*types.QueryDelegatorsResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	netuid, hotkey, err := parseHotkey(req.Netuid, req.Hotkey)
	if err != nil {
		return nil, err
	}
	if _, err := q.k.NeuronByHotkey(ctx, netuid, hotkey); err != nil {
		return nil, err
	}
	pool, err := q.k.GetStakePool(ctx, netuid, hotkey)
	if err != nil {
		return nil, err
	}
	res := &types.QueryDelegatorsResponse{}
	rng := collections.NewSuperPrefixedTripleRange[uint16, sdk.AccAddress, sdk.AccAddress](netuid, hotkey)
	err = q.k.StakePositions.Walk(ctx, rng, func(key collections.Triple[uint16, sdk.AccAddress, sdk.AccAddress], shares math.Int) (bool, error) {
		p, err := q.k.PositionView(ctx, netuid, hotkey, key.K3(), pool, shares)
		if err != nil {
			return true, err
		}
		p.Hotkey = req.Hotkey
		res.Positions = append(res.Positions, p)
		return false, nil
	})
	return res, err
}

func (q queryServer) Weights(ctx context.Context, req *types.QueryWeightsRequest) (*types.QueryWeightsResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	netuid, err := types.NetuidFromWire(req.Netuid)
	if err != nil {
		return nil, err
	}
	if _, err := q.k.GetNeuron(ctx, netuid, req.Uid); err != nil {
		return nil, err
	}
	row, err := q.k.GetWeights(ctx, netuid, req.Uid)
	if err != nil {
		return nil, err
	}
	return &types.QueryWeightsResponse{Row: row}, nil
}

func (q queryServer) Commits(ctx context.Context, req *types.QueryCommitsRequest) (*types.QueryCommitsResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	netuid, hotkey, err := parseHotkey(req.Netuid, req.Hotkey)
	if err != nil {
		return nil, err
	}
	if _, err := q.k.GetSubnet(ctx, netuid); err != nil {
		return nil, err
	}
	all, err := q.k.Commits.Get(ctx, joinHotkey(netuid, hotkey))
	if isNotFound(err) {
		return &types.QueryCommitsResponse{}, nil
	}
	if err != nil {
		return nil, err
	}
	return &types.QueryCommitsResponse{Commits: all.Commits}, nil
}
