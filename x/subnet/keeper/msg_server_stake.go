package keeper

import (
	"context"
	"encoding/hex"

	"github.com/assay-network/assay/x/subnet/types"
)

func (s msgServer) AddStake(ctx context.Context, msg *types.MsgAddStake) (*types.MsgAddStakeResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	shares, err := s.k.AddStake(ctx, validAddr(msg.Coldkey), validAddr(msg.Hotkey), validNetuid(msg.Netuid), msg.Amount)
	if err != nil {
		return nil, err
	}
	return &types.MsgAddStakeResponse{Shares: shares.String()}, nil
}

func (s msgServer) RemoveStake(ctx context.Context, msg *types.MsgRemoveStake) (*types.MsgRemoveStakeResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	burned, err := s.k.RemoveStake(ctx, validAddr(msg.Coldkey), validAddr(msg.Hotkey), validNetuid(msg.Netuid), msg.Amount)
	if err != nil {
		return nil, err
	}
	return &types.MsgRemoveStakeResponse{SharesBurned: burned.String()}, nil
}

func (s msgServer) SetTake(ctx context.Context, msg *types.MsgSetTake) (*types.MsgSetTakeResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.SetTake(ctx, validAddr(msg.Coldkey), validAddr(msg.Hotkey), msg.Take); err != nil {
		return nil, err
	}
	return &types.MsgSetTakeResponse{}, nil
}

func (s msgServer) SetWeights(ctx context.Context, msg *types.MsgSetWeights) (*types.MsgSetWeightsResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.SetWeights(ctx, validAddr(msg.Hotkey), validNetuid(msg.Netuid), msg.Uids, msg.Weights, msg.VersionKey); err != nil {
		return nil, err
	}
	return &types.MsgSetWeightsResponse{}, nil
}

func (s msgServer) CommitWeights(ctx context.Context, msg *types.MsgCommitWeights) (*types.MsgCommitWeightsResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	c, err := s.k.CommitWeights(ctx, validAddr(msg.Hotkey), validNetuid(msg.Netuid), msg.Hash)
	if err != nil {
		return nil, err
	}
	s.k.Logger(ctx).Debug("weights committed", "netuid", msg.Netuid, "hotkey", msg.Hotkey, "hash", hex.EncodeToString(msg.Hash))
	return &types.MsgCommitWeightsResponse{RevealFrom: c.RevealFrom, RevealUntil: c.RevealUntil}, nil
}

func (s msgServer) RevealWeights(ctx context.Context, msg *types.MsgRevealWeights) (*types.MsgRevealWeightsResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.RevealWeights(ctx, validAddr(msg.Hotkey), validNetuid(msg.Netuid), msg.Uids, msg.Weights, msg.Salt, msg.VersionKey); err != nil {
		return nil, err
	}
	return &types.MsgRevealWeightsResponse{}, nil
}
