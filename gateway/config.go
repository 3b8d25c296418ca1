package gateway

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"
	"google.golang.org/grpc"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/dataset"
)

// MaxRows is the most rows one infer request may carry: a miner's default
// max_batch, so one request is one synapse call.
const MaxRows = 256

// Config is the gateway's tunables; zero fields take the defaults below.
type Config struct {
	// Netuids are the subnets served; infer on another is 404.
	Netuids []uint16
	// Redundancy is k: how many miners answer each request (default 1).
	// With k ≥ 3 the answer is the per-row majority.
	Redundancy int
	// HedgeAfter overrides the task's latency target (max_latency_ms / 4):
	// when no answer came after it, the next miner is asked too.
	HedgeAfter time.Duration
	// Deadline bounds a whole request (default 2 × the task's max latency).
	Deadline time.Duration
	// SyncInterval is how often the metagraph is re-read (1s: about a block);
	// StaleAfter is how long the last one serves while the chain is down (30s).
	SyncInterval time.Duration
	StaleAfter   time.Duration
	DataDir      string   // the tasks' data cache (default dataset.DefaultDataDir())
	DataCaches   []string // further read-only caches (check.Options.Caches)
	MaxBodyBytes int64    // an infer body larger than this is 413 (8 MiB)
}

func (c *Config) setDefaults() {
	if c.Redundancy <= 0 {
		c.Redundancy = 1
	}
	if c.SyncInterval <= 0 {
		c.SyncInterval = time.Second
	}
	if c.StaleAfter <= 0 {
		c.StaleAfter = 30 * time.Second
	}
	if c.DataDir == "" {
		c.DataDir = dataset.DefaultDataDir()
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 8 << 20
	}
}

// Deps are what the gateway is given rather than builds.
type Deps struct {
	Chain  Chain
	Signer client.Signer // the validator hotkey: signs synapse requests and countersigns receipts
	Keys   *Keys         // API keys and the anonymous tier (nil: nobody is admitted)
	// Skipper names miners not to route to (nil: none skipped).
	Skipper Skipper
	// Dial opens a connection to a miner endpoint (default: plaintext gRPC).
	Dial     func(endpoint string) (grpc.ClientConnInterface, func() error, error)
	Registry prometheus.Registerer // nil: a fresh private registry
	Clock    func() time.Time
	Log      zerolog.Logger
}

func (d *Deps) check() error {
	if d.Chain == nil || d.Signer == nil {
		return errors.New("gateway: Chain and Signer are required")
	}
	if d.Clock == nil {
		d.Clock = time.Now
	}
	if d.Registry == nil {
		d.Registry = prometheus.NewRegistry()
	}
	if d.Keys == nil {
		d.Keys = &Keys{}
	}
	return nil
}
