package explorer_test

import (
	"context"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"cosmossdk.io/math"
	grpctypes "github.com/cosmos/cosmos-sdk/types/grpc"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/metadata"

	"github.com/assay-network/assay/explorer"
	emissiontypes "github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/subnet/epoch"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

const (
	netuid    = 1
	tempo     = 4
	modelHash = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"
	axonAddr  = "127.0.0.1:7001"
)

// scenario is a chain with subnet 1 (german-credit): validator hotkey
// "vhot" (UID 0, coldkey the chain's validator account), miners "m1" and
// "m2" (UIDs 1 and 2, coldkey "mcold"), m1 serving an axon, a delegator
// staking on vhot, vhot weighting m1 3:1 over m2, and two epochs paid.
type scenario struct {
	c                               *chain
	owner, vhot, m1, m2, mcold, del string
	node                            *explorer.Node
	subnetQ                         subnettypes.QueryClient
	emissionQ                       emissiontypes.QueryClient
}

func newScenario(t *testing.T) *scenario {
	t.Helper()
	c := newChain(t)
	owner := c.Val.Address
	hp := subnettypes.DefaultHyperparams()
	hp.Tempo, hp.CommitReveal, hp.WeightsRateLimit, hp.ImmunityPeriod = tempo, false, 0, 0
	hp.MinValidatorStake = math.NewInt(1)
	c.broadcast(c.Val.Moniker, &subnettypes.MsgRegisterSubnet{Owner: owner.String(), Name: "german-credit", TaskSpec: builtinTask(t, "german-credit"), Hyperparams: &hp})

	vhot, m1, m2, mcold, del := c.NewKey("vhot"), c.NewKey("m1"), c.NewKey("m2"), c.NewKey("mcold"), c.NewKey("delegator")
	c.Fund(50_000_000, vhot, m1, mcold, del)
	c.broadcast(c.Val.Moniker, c.Registration(netuid, c.Val.Moniker, "vhot"))
	c.broadcast("mcold", c.Registration(netuid, "mcold", "m1"), c.Registration(netuid, "mcold", "m2"))
	c.broadcast("delegator", &subnettypes.MsgAddStake{Coldkey: del.String(), Netuid: netuid, Hotkey: vhot.String(), Amount: math.NewInt(20_000_000)})
	c.broadcast("m1", &subnettypes.MsgServeAxon{Hotkey: m1.String(), Netuid: netuid, Endpoint: axonAddr, Protocol: "grpc", ModelHash: modelHash, Version: "1"})
	c.broadcast("vhot", &subnettypes.MsgSetWeights{Hotkey: vhot.String(), Netuid: netuid, Uids: []uint32{1, 2}, Weights: []uint32{3, 1}})

	h, err := c.Net.LatestHeight()
	require.NoError(t, err)
	first := epoch.Next(h, netuid, tempo)
	second := epoch.Next(first, netuid, tempo)
	_, err = c.Net.WaitForHeight(second + 1)
	require.NoError(t, err)

	node, err := explorer.DialNode(c.GRPCAddr())
	require.NoError(t, err)
	t.Cleanup(func() { node.Close() })
	s := &scenario{c: c, owner: owner.String(), vhot: vhot.String(), m1: m1.String(), m2: m2.String(), mcold: mcold.String(), del: del.String(),
		node: node, subnetQ: node.Subnet, emissionQ: node.Emission}
	hist, err := s.emissionQ.History(t.Context(), &emissiontypes.QueryHistoryRequest{Netuid: netuid, Limit: 2})
	require.NoError(t, err)
	require.Len(t, hist.Epochs, 2)
	require.True(t, hist.Epochs[0].Paid, "the latest epoch paid")
	return s
}

// explorerAt serves the explorer over HTTP; a long heightTTL freezes the
// height it reads (so pages, twins and the chain compare at one height).
func (s *scenario) explorerAt(t *testing.T, heightTTL time.Duration) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(explorer.NewServer(s.node, explorer.Config{HeightTTL: heightTTL}))
	t.Cleanup(srv.Close)
	return srv
}

// at pins a query to the state after block h.
func at(ctx context.Context, h int64) context.Context {
	return metadata.AppendToOutgoingContext(ctx, grpctypes.GRPCBlockHeightHeader, strconv.FormatInt(h, 10))
}
