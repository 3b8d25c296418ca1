package keeper

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/assay-network/assay/x/subnet/types"
)

// queryServer converts each request's wire fields before the keeper sees
// them: a netuid outside [1, MaxNetuid] or an address that does not parse is
// InvalidArgument (REST 400) naming the field; a subnet, neuron or hotkey
// that does not exist is NotFound (REST 404).
type queryServer struct{ k *Keeper }

// NewQueryServer returns the module's Query service.
func NewQueryServer(k *Keeper) types.QueryServer { return queryServer{k: k} }

var _ types.QueryServer = queryServer{}

var errEmptyRequest = status.Error(codes.InvalidArgument, "empty request")

// parseAddr parses a request's bech32 field (ErrInvalidAddress is InvalidArgument).
func parseAddr(field, bech32 string) (sdk.AccAddress, error) {
	a, err := sdk.AccAddressFromBech32(bech32)
	if err != nil {
		return nil, types.ErrInvalidAddress.Wrapf("%s: %s", field, err)
	}
	return a, nil
}

// parseHotkey converts the (netuid, hotkey) pair most stake queries take.
func parseHotkey(netuid uint32, hotkey string) (uint16, sdk.AccAddress, error) {
	id, err := types.NetuidFromWire(netuid)
	if err != nil {
		return 0, nil, err
	}
	addr, err := parseAddr("hotkey", hotkey)
	return id, addr, err
}

func (q queryServer) Params(ctx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	p, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

func (q queryServer) Subnet(ctx context.Context, req *types.QuerySubnetRequest) (*types.QuerySubnetResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	netuid, err := types.NetuidFromWire(req.Netuid)
	if err != nil {
		return nil, err
	}
	s, err := q.k.GetSubnet(ctx, netuid)
	if err != nil {
		return nil, err
	}
	return &types.QuerySubnetResponse{Subnet: s}, nil
}

func (q queryServer) Subnets(ctx context.Context, req *types.QuerySubnetsRequest) (*types.QuerySubnetsResponse, error) {
	if req == nil {
		req = &types.QuerySubnetsRequest{}
	}
	subnets, page, err := query.CollectionPaginate(ctx, q.k.Subnets, req.Pagination,
		func(_ uint16, s types.Subnet) (types.Subnet, error) { return s, nil })
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QuerySubnetsResponse{Subnets: subnets, Pagination: page}, nil
}

func (q queryServer) Neuron(ctx context.Context, req *types.QueryNeuronRequest) (*types.QueryNeuronResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	netuid, err := types.NetuidFromWire(req.Netuid)
	if err != nil {
		return nil, err
	}
	n, err := q.k.GetNeuron(ctx, netuid, req.Uid)
	if err != nil {
		return nil, err
	}
	return &types.QueryNeuronResponse{Neuron: n}, nil
}

func (q queryServer) NeuronByHotkey(ctx context.Context, req *types.QueryNeuronByHotkeyRequest) (*types.QueryNeuronByHotkeyResponse, error) {
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
	return &types.QueryNeuronByHotkeyResponse{Neuron: n}, nil
}

func (q queryServer) Metagraph(ctx context.Context, req *types.QueryMetagraphRequest) (*types.QueryMetagraphResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	netuid, err := types.NetuidFromWire(req.Netuid)
	if err != nil {
		return nil, err
	}
	s, err := q.k.GetSubnet(ctx, netuid)
	if err != nil {
		return nil, err
	}
	neurons, err := q.k.SubnetNeurons(ctx, netuid)
	if err != nil {
		return nil, err
	}
	return &types.QueryMetagraphResponse{Subnet: s, Neurons: neurons, Block: blockHeight(ctx)}, nil
}

func (q queryServer) RegistrationCost(ctx context.Context, req *types.QueryRegistrationCostRequest) (*types.QueryRegistrationCostResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	netuid, err := types.NetuidFromWire(req.Netuid)
	if err != nil {
		return nil, err
	}
	cost, err := q.k.RegistrationCost(ctx, netuid)
	if err != nil {
		return nil, err
	}
	return &types.QueryRegistrationCostResponse{Cost: cost, Block: blockHeight(ctx)}, nil
}

func (q queryServer) LockCost(ctx context.Context, _ *types.QueryLockCostRequest) (*types.QueryLockCostResponse, error) {
	cost, err := q.k.LockCost(ctx)
	if err != nil {
		return nil, err
	}
	return &types.QueryLockCostResponse{Cost: cost, Block: blockHeight(ctx)}, nil
}
