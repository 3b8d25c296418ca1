// Package gateway_test drives assay-gateway end to end: a real in-process
// chain, real miners on loopback, real HTTP requests (issue 20).
package gateway_test

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/internal/testchain"
	"github.com/assay-network/assay/internal/testminer"
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
// kills it.
func (c *chain) startMiner(cc *client.Chain, netuid uint16, hotkey string, m *model.Model) (stop func()) {
	return testminer.Start(c.T(), c.Keyring(), cc, netuid, hotkey, m)
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
