package keeper

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/subnet/types"
)

// msgServer is the boundary between the wire and the keeper: each handler
// checks its message once (ValidateBasic, plus the hotkey proof for
// registration), unpacks it to typed values and calls one keeper method,
// which checks only what depends on state.
type msgServer struct{ k *Keeper }

// NewMsgServerImpl returns the module's Msg service.
func NewMsgServerImpl(k *Keeper) types.MsgServer { return msgServer{k: k} }

var _ types.MsgServer = msgServer{}

// validAddr and validNetuid unpack fields ValidateBasic has accepted, so
// they cannot fail: an address that parsed once parses again, and a checked
// netuid is in [1, MaxNetuid].
func validAddr(bech32 string) sdk.AccAddress { return sdk.MustAccAddressFromBech32(bech32) }

func validNetuid(wire uint32) uint16 { return uint16(wire) }

func (s msgServer) RegisterSubnet(ctx context.Context, msg *types.MsgRegisterSubnet) (*types.MsgRegisterSubnetResponse, error) {
	spec, err := msg.ValidatedTask()
	if err != nil {
		return nil, err
	}
	id, lock, err := s.k.RegisterSubnet(ctx, validAddr(msg.Owner), msg.Name, spec, msg.Hyperparams, msg.MaxLock)
	if err != nil {
		return nil, err
	}
	s.k.Logger(ctx).Info("subnet registered", "netuid", id, "owner", msg.Owner, "locked", lock.String())
	return &types.MsgRegisterSubnetResponse{Netuid: uint32(id), Locked: lock.String()}, nil
}

func (s msgServer) UpdateHyperparams(ctx context.Context, msg *types.MsgUpdateHyperparams) (*types.MsgUpdateHyperparamsResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.UpdateHyperparams(ctx, validAddr(msg.Owner), validNetuid(msg.Netuid), msg.Hyperparams); err != nil {
		return nil, err
	}
	return &types.MsgUpdateHyperparamsResponse{}, nil
}

func (s msgServer) DissolveSubnet(ctx context.Context, msg *types.MsgDissolveSubnet) (*types.MsgDissolveSubnetResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	refunded, err := s.k.DissolveSubnet(ctx, validAddr(msg.Owner), validNetuid(msg.Netuid))
	if err != nil {
		return nil, err
	}
	s.k.Logger(ctx).Info("subnet dissolved", "netuid", msg.Netuid, "refunded", refunded.String())
	return &types.MsgDissolveSubnetResponse{Refunded: refunded.String()}, nil
}

func (s msgServer) RegisterNeuron(ctx context.Context, msg *types.MsgRegisterNeuron) (*types.MsgRegisterNeuronResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	// The proof is the hotkey's consent, like a signature: it needs the chain
	// id but no state.
	if err := types.VerifyHotkeyProof(sdk.UnwrapSDKContext(ctx).ChainID(), msg); err != nil {
		return nil, err
	}
	res, err := s.k.RegisterNeuron(ctx, validAddr(msg.Coldkey), validAddr(msg.Hotkey), validNetuid(msg.Netuid), msg.MaxCost)
	if err != nil {
		return nil, err
	}
	s.k.Logger(ctx).Info("neuron registered", "netuid", msg.Netuid, "uid", res.UID, "hotkey", msg.Hotkey, "burned", res.Burned.String())
	return &types.MsgRegisterNeuronResponse{Uid: res.UID, Burned: res.Burned.String(), PrunedHotkey: res.PrunedHotkey}, nil
}

func (s msgServer) ServeAxon(ctx context.Context, msg *types.MsgServeAxon) (*types.MsgServeAxonResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	axon := types.AxonInfo{Endpoint: msg.Endpoint, Protocol: msg.Protocol, ModelHash: msg.ModelHash, Version: msg.Version}
	if err := s.k.ServeAxon(ctx, validAddr(msg.Hotkey), validNetuid(msg.Netuid), axon); err != nil {
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
