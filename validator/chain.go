package validator

import (
	"context"
	"errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/assay-network/assay/client"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// Chain is what the validator needs from the chain. ClientChain implements
// it over client.Chain; unit tests pass fakes. Tx methods return the height
// of the block that included the tx, and a *client.TxError when the chain
// refused it.
type Chain interface {
	Metagraph(ctx context.Context, netuid uint16) (*subnettypes.QueryMetagraphResponse, error)
	Commits(ctx context.Context, netuid uint16, hotkey string) ([]subnettypes.WeightCommit, error)
	SetWeights(ctx context.Context, netuid uint16, uids, weights []uint32, versionKey uint64) (int64, error)
	CommitWeights(ctx context.Context, netuid uint16, hash []byte) (int64, error)
	RevealWeights(ctx context.Context, netuid uint16, uids, weights []uint32, salt []byte, versionKey uint64) (int64, error)
	// ModelPublisher is the first (block, UID, hotkey) that published
	// modelHash on the subnet (`q subnet model`); ok is false when the
	// chain has no record of it.
	ModelPublisher(ctx context.Context, netuid uint16, modelHash string) (p subnettypes.ModelPublisher, ok bool, err error)
}

// ClientChain is Chain over the shared chain client, signing with the
// keyring key Key whose address is Hotkey.
type ClientChain struct {
	C      *client.Chain
	Key    string
	Hotkey string
}

// NewClientChain resolves key (keyring name or address) to its address.
func NewClientChain(c *client.Chain, key string) (*ClientChain, error) {
	addr, err := c.KeyAddress(key)
	if err != nil {
		return nil, err
	}
	return &ClientChain{C: c, Key: key, Hotkey: addr}, nil
}

func (c *ClientChain) Metagraph(ctx context.Context, netuid uint16) (*subnettypes.QueryMetagraphResponse, error) {
	return c.C.Metagraph(ctx, netuid)
}

func (c *ClientChain) Commits(ctx context.Context, netuid uint16, hotkey string) ([]subnettypes.WeightCommit, error) {
	r, err := subnettypes.NewQueryClient(c.C.Conn()).Commits(ctx, &subnettypes.QueryCommitsRequest{Netuid: uint32(netuid), Hotkey: hotkey})
	if err != nil {
		return nil, err
	}
	return r.Commits, nil
}

func (c *ClientChain) ModelPublisher(ctx context.Context, netuid uint16, modelHash string) (subnettypes.ModelPublisher, bool, error) {
	r, err := subnettypes.NewQueryClient(c.C.Conn()).Model(ctx, &subnettypes.QueryModelRequest{Netuid: uint32(netuid), ModelHash: modelHash})
	if status.Code(err) == codes.NotFound {
		return subnettypes.ModelPublisher{}, false, nil
	}
	if err != nil {
		return subnettypes.ModelPublisher{}, false, err
	}
	return r.Publisher, true, nil
}

func (c *ClientChain) SetWeights(ctx context.Context, netuid uint16, uids, weights []uint32, versionKey uint64) (int64, error) {
	return c.height(c.C.Broadcast(ctx, c.Key, &subnettypes.MsgSetWeights{Hotkey: c.Hotkey, Netuid: uint32(netuid), Uids: uids, Weights: weights, VersionKey: versionKey}))
}

func (c *ClientChain) CommitWeights(ctx context.Context, netuid uint16, hash []byte) (int64, error) {
	return c.height(c.C.Broadcast(ctx, c.Key, &subnettypes.MsgCommitWeights{Hotkey: c.Hotkey, Netuid: uint32(netuid), Hash: hash}))
}

func (c *ClientChain) RevealWeights(ctx context.Context, netuid uint16, uids, weights []uint32, salt []byte, versionKey uint64) (int64, error) {
	return c.height(c.C.Broadcast(ctx, c.Key, &subnettypes.MsgRevealWeights{Hotkey: c.Hotkey, Netuid: uint32(netuid), Uids: uids, Weights: weights, Salt: salt, VersionKey: versionKey}))
}

func (c *ClientChain) height(r *sdk.TxResponse, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return r.Height, nil
}

// txCode is the x/subnet error code of a refused tx (0 if err is not one).
func txCode(err error) uint32 {
	var te *client.TxError
	if errors.As(err, &te) && te.Codespace == subnettypes.ModuleName {
		return te.Code
	}
	return 0
}

// refused reports whether the tx definitely did not land: the chain
// refused it, or it never left the client (a failed simulation, e.g. a
// rate limit or a sequence mismatch). After a network error or a timeout
// it may still land.
func refused(err error) bool {
	var te *client.TxError
	return errors.As(err, &te) || errors.Is(err, client.ErrNotSent)
}
