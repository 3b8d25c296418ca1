// Package testminer runs a real miner in the test process for the chain
// tests under tests/: the model served over gRPC on loopback, signed with a
// keyring hotkey, its axon published on chain. Only test code imports it.
package testminer

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/miner"
	"github.com/assay-network/assay/miner/model"
)

// Start serves m on loopback as hotkey (a key of kr) and publishes its
// axon on netuid through cc. It admits every registered caller: the
// chain's permits decide who may set weights, not who may ask. stop kills
// the miner (the listener closes, calls in flight fail); it also runs when
// t ends.
func Start(t testing.TB, kr keyring.Keyring, cc *client.Chain, netuid uint16, hotkey string, m *model.Model) (stop func()) {
	t.Helper()
	signer, err := client.NewKeyringSigner(kr, hotkey)
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
