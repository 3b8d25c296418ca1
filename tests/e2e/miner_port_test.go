package e2e

import (
	"bytes"
	"context"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	minercmd "github.com/assay-network/assay/cmd/assay-miner/cmd"
	"github.com/assay-network/assay/internal/testtime"
	synapsev1 "github.com/assay-network/assay/synapse/v1"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// freeAddr is a loopback address nothing listens on (the port is released
// before it is returned, so a test can hand it to a process to bind).
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

// TestSecondMinerOnTakenPortLeavesAxon runs `assay-miner serve` twice with
// one hotkey and one --listen address against a real node. The first
// publishes its axon and serves. The second announces another endpoint, so
// a publish would move the axon, but its port is taken: it must exit before
// it sends anything, leaving the first miner's axon on chain and reachable.
func TestSecondMinerOnTakenPortLeavesAxon(t *testing.T) {
	c := NewChain(t, nil)
	ctx := t.Context()
	cc := c.Client()
	_, m, task := minerModel(t)
	modelPath := filepath.Join(t.TempDir(), "wages.amdl")
	hash, err := m.Save(modelPath)
	require.NoError(t, err)

	res := c.Broadcast(c.Val.Moniker, &subnettypes.MsgRegisterSubnet{Owner: c.Val.Address.String(), Name: "wages", TaskSpec: task})
	require.Zero(t, res.Code, res.RawLog)
	const netuid = 1
	c.NewFundedKeys(1_000_000, "mhot") // the hotkey signs MsgServeAxon
	c.RegisterNeurons(netuid, "mhot")
	hot := c.Addr("mhot").String()

	listen := freeAddr(t)
	serve := func(ctx context.Context, announce string) (string, error) {
		root := minercmd.NewRootCmd()
		var out bytes.Buffer
		root.SetOut(&out)
		root.SetErr(&out)
		root.SetArgs([]string{"--log-format", "json", "--log-level", "warn", "serve",
			"--model", modelPath, "--netuid", "1", "--hotkey", "mhot",
			"--home", c.Ctx().KeyringDir, "--keyring-backend", "test", "--grpc", c.Val.AppConfig.GRPC.Address,
			"--listen", listen, "--announce", announce, "--metrics", ""})
		err := root.ExecuteContext(ctx)
		return out.String(), err
	}

	// The first miner: serves until the test ends.
	firstCtx, stopFirst := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() { _, err := serve(firstCtx, listen); first <- err }()
	t.Cleanup(func() { stopFirst(); require.NoError(t, <-first) })
	var before subnettypes.AxonInfo
	require.Eventually(t, func() bool {
		n, ok, err := cc.NeuronByHotkey(ctx, netuid, hot)
		if err != nil || !ok || n.Axon == nil || n.Axon.Endpoint != listen {
			return false
		}
		before = *n.Axon
		return true
	}, testtime.Scale(30*time.Second), 100*time.Millisecond, "the first miner never published its axon")

	// The second miner on the same port, announcing somewhere else.
	out, err := serve(ctx, freeAddr(t))
	require.Error(t, err, "a second miner on a taken port started: %s", out)
	require.ErrorContains(t, err, "listen "+listen)

	// Had it sent a tx, Join would have returned only once it was in a
	// block; one more block makes sure nothing else lands either.
	require.NoError(t, c.Net.WaitForNextBlock())
	n, ok, err := cc.NeuronByHotkey(ctx, netuid, hot)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, before, *n.Axon, "the axon on chain moved")

	// And validators still reach the first miner where the chain says.
	conn, err := grpc.NewClient(n.Axon.Endpoint, grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	defer conn.Close()
	info, err := synapsev1.NewAxonClient(conn).Info(ctx, &synapsev1.InfoRequest{})
	require.NoError(t, err)
	require.Equal(t, hash, info.ModelHash)
}
