package explorer

import (
	"context"
	"fmt"
	"strconv"

	"github.com/cosmos/cosmos-sdk/client/grpc/cmtservice"
	"github.com/cosmos/cosmos-sdk/codec"
	grpctypes "github.com/cosmos/cosmos-sdk/types/grpc"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/assay-network/assay/client"
	emissiontypes "github.com/assay-network/assay/x/emission/types"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// Node is the node's gRPC endpoint as the explorer reads it.
type Node struct {
	Addr     string
	conn     *grpc.ClientConn
	Subnet   subnettypes.QueryClient
	Emission emissiontypes.QueryClient
	Bank     banktypes.QueryClient
	Cmt      cmtservice.ServiceClient
}

// DialNode prepares a connection to a node's gRPC endpoint (host:port,
// plaintext). It does not wait for the node: the explorer starts and says
// "node unreachable" on its pages until the node answers.
func DialNode(addr string) (*Node, error) {
	_, reg := client.Codec()
	// The chain's messages carry gogoproto custom types (math.Int,
	// LegacyDec) that grpc-go's default codec cannot decode; the SDK's
	// codec can, as in package client.
	cdc := grpc.ForceCodec(codec.NewProtoCodec(reg).GRPCCodec())
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()), grpc.WithDefaultCallOptions(cdc))
	if err != nil {
		return nil, fmt.Errorf("explorer: node gRPC %q: %w", addr, err)
	}
	return &Node{
		Addr:     addr,
		conn:     conn,
		Subnet:   subnettypes.NewQueryClient(conn),
		Emission: emissiontypes.NewQueryClient(conn),
		Bank:     banktypes.NewQueryClient(conn),
		Cmt:      cmtservice.NewServiceClient(conn),
	}, nil
}

// Close closes the connection.
func (n *Node) Close() error { return n.conn.Close() }

// atHeight pins a query to the state after block h, so every query of a
// page reads the same block.
func atHeight(ctx context.Context, h int64) context.Context {
	return metadata.AppendToOutgoingContext(ctx, grpctypes.GRPCBlockHeightHeader, strconv.FormatInt(h, 10))
}
