package miner

import (
	"context"
	"fmt"
	"strings"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/rs/zerolog"

	"github.com/assay-network/assay/miner/model"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// Chain is what the miner needs from the chain; client.Chain implements it,
// tests pass a fake.
type Chain interface {
	MetagraphSource
	Subnet(ctx context.Context, netuid uint16) (*subnettypes.Subnet, error)
	NeuronByHotkey(ctx context.Context, netuid uint16, hotkey string) (*subnettypes.Neuron, bool, error)
	RegistrationCost(ctx context.Context, netuid uint16) (sdkmath.Int, error)
	RegisterNeuron(ctx context.Context, coldkey, hotkey string, netuid uint16, maxCost sdkmath.Int) (*subnettypes.MsgRegisterNeuronResponse, error)
	ServeAxon(ctx context.Context, hotkey string, netuid uint16, endpoint, protocol, modelHash, version string) error
}

// AxonRetryInterval is how often Join retries an axon update refused by the
// subnet's serving_rate_limit.
var AxonRetryInterval = 2 * time.Second

// Announce describes how the miner joins its subnet.
type Announce struct {
	Netuid    uint16
	Hotkey    string // keyring name (signs MsgServeAxon and the authorisation)
	HotkeyAdr string // its bech32 address
	Coldkey   string // keyring name that pays registration; empty: refuse to register
	MaxCost   sdkmath.Int
	Endpoint  string // host:port validators dial
	ModelHash string
}

// Join checks the model fits the subnet's task, registers the hotkey if it
// is not yet (never paying more than MaxCost) and publishes the axon with
// the model hash unless the chain already shows exactly that. It returns the UID.
func Join(ctx context.Context, c Chain, m *model.Model, a Announce, log zerolog.Logger) (uint32, error) {
	sn, err := c.Subnet(ctx, a.Netuid)
	if err != nil {
		return 0, fmt.Errorf("subnet %d: %w", a.Netuid, err)
	}
	spec, err := sn.Task()
	if err != nil {
		return 0, fmt.Errorf("netuid %d: %w", a.Netuid, err)
	}
	if err := m.CheckTask(spec.TaskType, sn.TaskHash); err != nil {
		return 0, fmt.Errorf("netuid %d: %w", a.Netuid, err)
	}
	n, ok, err := c.NeuronByHotkey(ctx, a.Netuid, a.HotkeyAdr)
	if err != nil {
		return 0, err
	}
	if !ok {
		if a.Coldkey == "" {
			return 0, fmt.Errorf("hotkey %s is not registered on netuid %d; pass --coldkey to register it", a.HotkeyAdr, a.Netuid)
		}
		cost, err := c.RegistrationCost(ctx, a.Netuid)
		if err != nil {
			return 0, err
		}
		if cost.GT(a.MaxCost) {
			return 0, fmt.Errorf("registration on netuid %d costs %s uassay, above --max-cost %s", a.Netuid, cost, a.MaxCost)
		}
		res, err := c.RegisterNeuron(ctx, a.Coldkey, a.Hotkey, a.Netuid, a.MaxCost)
		if err != nil {
			return 0, fmt.Errorf("registering %s on netuid %d: %w", a.HotkeyAdr, a.Netuid, err)
		}
		log.Info().Uint32("uid", res.Uid).Str("burned", res.Burned).Msg("registered")
		n = &subnettypes.Neuron{Netuid: uint32(a.Netuid), Uid: res.Uid, Hotkey: a.HotkeyAdr}
	}
	if ax := n.Axon; ax != nil && ax.Endpoint == a.Endpoint && ax.ModelHash == a.ModelHash && ax.Version == Version {
		log.Info().Uint32("uid", n.Uid).Msg("axon already published")
		return n.Uid, nil
	}
	for {
		err := c.ServeAxon(ctx, a.Hotkey, a.Netuid, a.Endpoint, "grpc", a.ModelHash, Version)
		if err == nil {
			break
		}
		// The axon was published moments ago (a restart, or by hand): wait out
		// serving_rate_limit rather than exit.
		if !strings.Contains(err.Error(), subnettypes.ErrServingRateLimit.Error()) {
			return 0, fmt.Errorf("publishing the axon: %w", err)
		}
		log.Info().Uint32("uid", n.Uid).Err(err).Msg("axon served too recently; retrying")
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(AxonRetryInterval):
		}
	}
	log.Info().Uint32("uid", n.Uid).Str("endpoint", a.Endpoint).Msg("axon published")
	return n.Uid, nil
}
