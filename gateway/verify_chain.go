package gateway

import (
	"context"
	"fmt"
	"strconv"

	grpctypes "github.com/cosmos/cosmos-sdk/types/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/assay-network/assay/client"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// ReceiptChain is what verifying a receipt against the chain reads.
type ReceiptChain interface {
	// NeuronAt is UID uid of netuid in the state after block height (0: latest).
	NeuronAt(ctx context.Context, netuid uint16, uid uint32, height int64) (*subnettypes.Neuron, error)
	// ModelPublisher is the first (block, UID) that published hash on netuid (DESIGN §12).
	ModelPublisher(ctx context.Context, netuid uint16, hash string) (*subnettypes.ModelPublisher, error)
}

// ClientReceiptChain is ReceiptChain over the shared chain client.
type ClientReceiptChain struct{ C *client.Chain }

func (c ClientReceiptChain) NeuronAt(ctx context.Context, netuid uint16, uid uint32, height int64) (*subnettypes.Neuron, error) {
	if height > 0 {
		ctx = metadata.AppendToOutgoingContext(ctx, grpctypes.GRPCBlockHeightHeader, strconv.FormatInt(height, 10))
	}
	r, err := subnettypes.NewQueryClient(c.C.Conn()).Neuron(ctx, &subnettypes.QueryNeuronRequest{Netuid: uint32(netuid), Uid: uid})
	if err != nil {
		return nil, err
	}
	return &r.Neuron, nil
}

func (c ClientReceiptChain) ModelPublisher(ctx context.Context, netuid uint16, hash string) (*subnettypes.ModelPublisher, error) {
	r, err := subnettypes.NewQueryClient(c.C.Conn()).Model(ctx, &subnettypes.QueryModelRequest{Netuid: uint32(netuid), ModelHash: hash})
	if err != nil {
		return nil, err
	}
	return &r.Publisher, nil
}

// ChainCheck is what the chain says about a receipt.
type ChainCheck struct {
	// At is the height the neuron was read at: the receipt's block, or 0
	// (latest) when the node no longer has that block's state.
	At        int64
	Publisher subnettypes.ModelPublisher
	// FirstPublisher is false when another UID published the model hash
	// first (the answering miner serves a copy, DESIGN §12).
	FirstPublisher bool
}

// VerifyOnChain checks, after VerifyOffline, that the answering UID was the
// miner's hotkey with the receipt's model hash announced on its axon at
// the receipt's block (or now, when that state is pruned), and that the
// model hash has a first publisher on chain no later than that block.
func VerifyOnChain(ctx context.Context, c ReceiptChain, r *Receipt) (*ChainCheck, error) {
	out := &ChainCheck{At: r.Block}
	n, err := c.NeuronAt(ctx, r.Netuid, r.Miner.UID, r.Block)
	if err != nil {
		out.At = 0
		if n, err = c.NeuronAt(ctx, r.Netuid, r.Miner.UID, 0); err != nil {
			return nil, receiptErr("miner.uid on chain", fmt.Errorf("netuid %d uid %d: %v", r.Netuid, r.Miner.UID, err))
		}
	}
	if n.Hotkey != r.Miner.Hotkey {
		return nil, receiptErr("miner.hotkey on chain", fmt.Errorf("netuid %d uid %d is %s on chain (height %d), the receipt names %s", r.Netuid, r.Miner.UID, n.Hotkey, out.At, r.Miner.Hotkey))
	}
	if n.Axon == nil || n.Axon.ModelHash != r.Response.ModelHash {
		announced := ""
		if n.Axon != nil {
			announced = n.Axon.ModelHash
		}
		return nil, receiptErr("response.model_hash on chain", fmt.Errorf("uid %d's axon announces %q (height %d), the receipt names %s", r.Miner.UID, announced, out.At, r.Response.ModelHash))
	}
	p, err := c.ModelPublisher(ctx, r.Netuid, r.Response.ModelHash)
	if err != nil {
		return nil, receiptErr("response.model_hash publisher", fmt.Errorf("netuid %d model %s: %v", r.Netuid, r.Response.ModelHash, err))
	}
	if p.Block > r.Block {
		return nil, receiptErr("response.model_hash publisher", fmt.Errorf("model %s was first published at block %d, after the receipt's block %d", r.Response.ModelHash, p.Block, r.Block))
	}
	out.Publisher = *p
	out.FirstPublisher = p.Uid == r.Miner.UID && p.Hotkey == r.Miner.Hotkey
	return out, nil
}
