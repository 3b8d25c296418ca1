package keeper

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/subnet/types"
)

type msgServer struct{ k *Keeper }

// NewMsgServerImpl returns the module's Msg service.
func NewMsgServerImpl(k *Keeper) types.MsgServer { return msgServer{k: k} }

var _ types.MsgServer = msgServer{}

func (s msgServer) RegisterSubnet(ctx context.Context, msg *types.MsgRegisterSubnet) (*types.MsgRegisterSubnetResponse, error) {
	netuid, lock, err := s.k.RegisterSubnet(ctx, msg)
	if err != nil {
		return nil, err
	}
	s.k.Logger(ctx).Info("subnet registered", "netuid", netuid, "owner", msg.Owner, "locked", lock.String())
	return &types.MsgRegisterSubnetResponse{Netuid: netuid, Locked: lock.String()}, nil
}

func (s msgServer) UpdateHyperparams(ctx context.Context, msg *types.MsgUpdateHyperparams) (*types.MsgUpdateHyperparamsResponse, error) {
	if err := s.k.UpdateHyperparams(ctx, msg); err != nil {
		return nil, err
	}
	return &types.MsgUpdateHyperparamsResponse{}, nil
}

func (s msgServer) DissolveSubnet(ctx context.Context, msg *types.MsgDissolveSubnet) (*types.MsgDissolveSubnetResponse, error) {
	refunded, err := s.k.DissolveSubnet(ctx, msg)
	if err != nil {
		return nil, err
	}
	s.k.Logger(ctx).Info("subnet dissolved", "netuid", msg.Netuid, "refunded", refunded.String())
	return &types.MsgDissolveSubnetResponse{Refunded: refunded.String()}, nil
}

func (s msgServer) RegisterNeuron(ctx context.Context, msg *types.MsgRegisterNeuron) (*types.MsgRegisterNeuronResponse, error) {
	res, err := s.k.RegisterNeuron(ctx, msg)
	if err != nil {
		return nil, err
	}
	s.k.Logger(ctx).Info("neuron registered", "netuid", msg.Netuid, "uid", res.UID, "hotkey", msg.Hotkey, "burned", res.Burned.String())
	return &types.MsgRegisterNeuronResponse{Uid: res.UID, Burned: res.Burned.String(), PrunedHotkey: res.PrunedHotkey}, nil
}

func (s msgServer) ServeAxon(ctx context.Context, msg *types.MsgServeAxon) (*types.MsgServeAxonResponse, error) {
	if err := s.k.ServeAxon(ctx, msg); err != nil {
		return nil, err
	}
	return &types.MsgServeAxonResponse{}, nil
}

func (s msgServer) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	if msg.Authority != s.k.authority {
		return nil, types.ErrInvalidAuthority.Wrapf("expected %s, got %s", s.k.authority, msg.Authority)
	}
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.Params.Set(ctx, msg.Params); err != nil {
		return nil, err
	}
	return &types.MsgUpdateParamsResponse{}, sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventParamsUpdated{Authority: msg.Authority})
}
