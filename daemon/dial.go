package daemon

import (
	"context"
	"fmt"
	"time"

	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/rs/zerolog"

	"github.com/assay-network/assay/client"
)

// ChainDial says which node to reach and how patiently.
type ChainDial struct {
	Addr           string              // node gRPC endpoint, host:port
	Keyring        keyring.Keyring     // signs txs; nil: queries only
	Options        client.ChainOptions // tx building
	Backoff        Backoff             // between attempts; zero: 1 s doubling to 30 s
	AttemptTimeout time.Duration       // one attempt; zero: 10 s
}

// DialChain connects to the node, retrying with backoff and logging each
// failure, until an attempt succeeds or ctx ends: a node that is still
// starting is waited for. The caller bounds the wait with ctx (SIGINT, or a
// deadline); when ctx ends first, the error names the endpoint and the last
// failure and wraps ctx.Err(). Once connected it warns if the keyring is
// the unencrypted test one on a network that is not local (WarnTestKeyring).
func DialChain(ctx context.Context, log zerolog.Logger, d ChainDial) (*client.Chain, error) {
	timeout := d.AttemptTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	b := d.Backoff
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, timeout)
		chain, err := client.Dial(actx, d.Addr, d.Keyring, d.Options)
		cancel()
		if err == nil {
			if d.Keyring != nil {
				WarnTestKeyring(log, d.Keyring.Backend(), chain.ChainID())
			}
			return chain, nil
		}
		if ctx.Err() != nil {
			return nil, d.unreachable(ctx, attempt, err)
		}
		wait := b.Next()
		log.Warn().Err(err).Str("grpc", d.Addr).Dur("retry_in", wait).Msg("node unreachable; retrying")
		if !Sleep(ctx, wait) {
			return nil, d.unreachable(ctx, attempt, err)
		}
	}
}

func (d ChainDial) unreachable(ctx context.Context, attempts int, last error) error {
	return fmt.Errorf("node gRPC %s unreachable after %d attempts: %w (last error: %v)", d.Addr, attempts, ctx.Err(), last)
}
