package keeper

import (
	"context"
	"strings"

	"cosmossdk.io/collections"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/assay-network/assay/x/subnet/types"
)

// modelKey keys a model hash in lowercase: ServeAxon accepts either case
// for the same file.
func modelKey(netuid uint16, modelHash string) collections.Pair[uint16, string] {
	return collections.Join(netuid, strings.ToLower(modelHash))
}

// notePublisher records n as the publisher of modelHash on its subnet at
// height unless another neuron published it first: validators score only
// the first publisher of a hash (DESIGN §12).
func (k *Keeper) notePublisher(ctx context.Context, n types.Neuron, modelHash string, height int64) error {
	key := modelKey(uint16(n.Netuid), modelHash)
	if has, err := k.ModelPublishers.Has(ctx, key); err != nil || has {
		return err
	}
	return k.ModelPublishers.Set(ctx, key, types.ModelPublisher{Block: height, Uid: n.Uid, Hotkey: n.Hotkey})
}

// ModelPublisher returns the first publisher of modelHash on netuid, or
// ErrModelNotFound.
func (k *Keeper) ModelPublisher(ctx context.Context, netuid uint16, modelHash string) (types.ModelPublisher, error) {
	p, err := k.ModelPublishers.Get(ctx, modelKey(netuid, modelHash))
	if isNotFound(err) {
		return p, types.ErrModelNotFound.Wrapf("model_hash %s on netuid %d", strings.ToLower(modelHash), netuid)
	}
	return p, err
}

// clearModels forgets netuid's publishers when the subnet is dissolved, so
// a new subnet on the netuid starts with none.
func (k *Keeper) clearModels(ctx context.Context, netuid uint16) error {
	return k.ModelPublishers.Clear(ctx, collections.NewPrefixedPairRange[uint16, string](netuid))
}

func (q queryServer) Model(ctx context.Context, req *types.QueryModelRequest) (*types.QueryModelResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	netuid, err := types.NetuidFromWire(req.Netuid)
	if err != nil {
		return nil, err
	}
	if err := types.ValidateModelHash(req.ModelHash); err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	if _, err := q.k.GetSubnet(ctx, netuid); err != nil {
		return nil, err
	}
	p, err := q.k.ModelPublisher(ctx, netuid, req.ModelHash)
	if err != nil {
		return nil, err
	}
	return &types.QueryModelResponse{Publisher: p}, nil
}
