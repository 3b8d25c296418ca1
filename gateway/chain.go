package gateway

import (
	"context"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/assay-network/assay/client"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// Chain is what the gateway reads from the chain; ClientChain implements
// it over client.Chain, tests may pass fakes.
type Chain interface {
	Subnets(ctx context.Context) ([]subnettypes.Subnet, error)
	Metagraph(ctx context.Context, netuid uint16) (*subnettypes.QueryMetagraphResponse, error)
}

// ClientChain is Chain over the shared chain client.
type ClientChain struct{ C *client.Chain }

func (c ClientChain) Metagraph(ctx context.Context, netuid uint16) (*subnettypes.QueryMetagraphResponse, error) {
	return c.C.Metagraph(ctx, netuid)
}

// Subnets pages through every subnet.
func (c ClientChain) Subnets(ctx context.Context) ([]subnettypes.Subnet, error) {
	q := subnettypes.NewQueryClient(c.C.Conn())
	var out []subnettypes.Subnet
	var key []byte
	for {
		r, err := q.Subnets(ctx, &subnettypes.QuerySubnetsRequest{Pagination: &query.PageRequest{Key: key, Limit: 200}})
		if err != nil {
			return nil, err
		}
		out = append(out, r.Subnets...)
		if r.Pagination == nil || len(r.Pagination.NextKey) == 0 {
			return out, nil
		}
		key = r.Pagination.NextKey
	}
}
