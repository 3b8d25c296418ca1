// Package gateway_test drives assay-gateway end to end: a real in-process
// chain, real miners on loopback, real HTTP requests (issue 20).
package gateway_test

import (
	"context"
	"encoding/json"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/internal/testchain"
	"github.com/assay-network/assay/miner"
	"github.com/assay-network/assay/miner/model"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// chain is the shared in-process chain (testchain), which also takes the
// port lock, with the gateway tests' own setup on top.
type chain struct{ *testchain.Chain }

func newChain(t *testing.T) *chain { return &chain{testchain.New(t, nil)} }

// registerSubnet registers a task (canonical JSON) with hp and returns its netuid.
func (c *chain) registerSubnet(name, spec string, hp subnettypes.Hyperparams) uint16 {
	t := c.T()
	t.Helper()
	before, err := subnettypes.NewQueryClient(c.Val.ClientCtx).Subnets(t.Context(), &subnettypes.QuerySubnetsRequest{})
	require.NoError(t, err)
	c.Deliver(c.Val.Moniker, &subnettypes.MsgRegisterSubnet{Owner: c.Val.Address.String(), Name: name, TaskSpec: spec, Hyperparams: &hp})
	after, err := subnettypes.NewQueryClient(c.Val.ClientCtx).Subnets(t.Context(), &subnettypes.QuerySubnetsRequest{})
	require.NoError(t, err)
	require.Len(t, after.Subnets, len(before.Subnets)+1)
	return uint16(after.Subnets[len(after.Subnets)-1].Netuid)
}

// startMiner serves m on loopback as hotkey and publishes its axon; stop
// kills it (the listener closes, in-flight calls fail).
func (c *chain) startMiner(cc *client.Chain, netuid uint16, hotkey string, m *model.Model) (stop func()) {
	t := c.T()
	t.Helper()
	signer, err := client.NewKeyringSigner(c.Keyring(), hotkey)
	require.NoError(t, err)
	hash, err := m.Hash()
	require.NoError(t, err)
	permits := &miner.MetagraphPermits{Source: cc, Netuid: netuid, Every: time.Second}
	require.NoError(t, permits.Refresh(t.Context()))
	srv, err := miner.New(miner.Config{Netuid: netuid, BatchWindow: time.Millisecond}, miner.Deps{
		Model: m, ModelHash: hash, Signer: signer, Permits: permits, Log: zerolog.Nop()})
	require.NoError(t, err)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go permits.Run(ctx)
	go func() { done <- srv.Serve(ctx, lis, nil) }()
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			cancel()
			<-done
		}
	}
	t.Cleanup(stop)
	require.NoError(t, cc.ServeAxon(t.Context(), hotkey, netuid, lis.Addr().String(), "grpc", hash, miner.Version))
	return stop
}

func repoFile(t *testing.T, rel string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", rel))
	require.NoError(t, err)
	return p
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}
