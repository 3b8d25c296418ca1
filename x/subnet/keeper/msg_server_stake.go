package keeper

import (
	"context"
	"encoding/hex"

	"github.com/assay-network/assay/x/subnet/types"
)

func (s msgServer) AddStake(ctx context.Context, msg *types.MsgAddStake) (*types.MsgAddStakeResponse, error) {
	shares, err := s.k.AddStake(ctx, msg)
	if err != nil {
		return nil, err
	}
	return &types.MsgAddStakeResponse{Shares: shares.String()}, nil
}

func (s msgServer) RemoveStake(ctx context.Context, msg *types.MsgRemoveStake) (*types.MsgRemoveStakeResponse, error) {
	burned, err := s.k.RemoveStake(ctx, msg)
	if err != nil {
		return nil, err
	}
	return &types.MsgRemoveStakeResponse{SharesBurned: burned.String()}, nil
}

func (s msgServer) SetTake(ctx context.Context, msg *types.MsgSetTake) (*types.MsgSetTakeResponse, error) {
	if err := s.k.SetTake(ctx, msg); err != nil {
		return nil, err
	}
	return &types.MsgSetTakeResponse{}, nil
}

func (s msgServer) SetWeights(ctx context.Context, msg *types.MsgSetWeights) (*types.MsgSetWeightsResponse, error) {
	if err := s.k.SetWeights(ctx, msg); err != nil {
		return nil, err
	}
	return &types.MsgSetWeightsResponse{}, nil
}

func (s msgServer) CommitWeights(ctx context.Context, msg *types.MsgCommitWeights) (*types.MsgCommitWeightsResponse, error) {
	c, err := s.k.CommitWeights(ctx, msg)
	if err != nil {
		return nil, err
	}
	s.k.Logger(ctx).Debug("weights committed", "netuid", msg.Netuid, "hotkey", msg.Hotkey, "hash", hex.EncodeToString(msg.Hash))
	return &types.MsgCommitWeightsResponse{RevealFrom: c.RevealFrom, RevealUntil: c.RevealUntil}, nil
}

func (s msgServer) RevealWeights(ctx context.Context, msg *types.MsgRevealWeights) (*types.MsgRevealWeightsResponse, error) {
	if err := s.k.RevealWeights(ctx, msg); err != nil {
		return nil, err
	}
	return &types.MsgRevealWeightsResponse{}, nil
}
