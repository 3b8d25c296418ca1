package validator

import (
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"
	"google.golang.org/grpc"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/dataset"
)

// MaxRequestRows is the most rows one challenge sends (a miner's default max_batch).
const MaxRequestRows = 256

// Config is the validator's tunables; zero fields take the defaults below.
type Config struct {
	Netuid    uint16
	StatePath string // state file (required)
	DataDir   string // the task files' content-addressed cache is its sha256/ (default dataset.DefaultDataDir())

	SyncInterval  time.Duration // metagraph poll (1s: about every block)
	RoundInterval time.Duration // between query rounds (12s)
	BatchSize     int           // held-out rows per challenge (64)
	Pairs         int           // counterfactual twins per challenge (32)
	// QueryTimeout is the deadline of one miner query (default: the task's
	// max_latency_ms); TargetLatency is where the latency factor starts to
	// fall (default: a quarter of max_latency_ms).
	QueryTimeout  time.Duration
	TargetLatency time.Duration
	Alpha         float64 // EMA weight of a new round (0.1)
	Seed          uint64  // challenge seed; 0: random at start
	VersionKey    uint64  // weights version key (at least the subnet's weights_version)
	Concurrency   int     // miners queried at once (64)
	MetricsAddr   string  // HTTP /metrics and /healthz; empty: none

	// Replay verification (DESIGN §12, models.go for the fetch policy).
	// ModelCacheMB caps the model files held in memory (64); it is also
	// the largest model fetched. ReplayFraction is the share of a round's
	// rows replayed, in (0, 1]; 0: 1.0 for models under 1 MiB, 0.25 above.
	// FetchTimeout bounds one model download (30s).
	ModelCacheMB   int
	ReplayFraction float64
	FetchTimeout   time.Duration
}

func (c *Config) setDefaults() {
	defD := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	defI := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defD(&c.SyncInterval, time.Second)
	defD(&c.RoundInterval, 12*time.Second)
	defI(&c.BatchSize, 64)
	if c.Pairs < 0 {
		c.Pairs = 0
	} else if c.Pairs == 0 {
		c.Pairs = 32
	}
	// One request carries the whole challenge; miners refuse more than
	// their max_batch (256 by default).
	c.BatchSize = min(c.BatchSize, MaxRequestRows)
	c.Pairs = min(c.Pairs, MaxRequestRows-c.BatchSize, c.BatchSize)
	defI(&c.Concurrency, 64)
	defI(&c.ModelCacheMB, 64)
	defD(&c.FetchTimeout, 30*time.Second)
	if !(c.Alpha > 0 && c.Alpha <= 1) {
		c.Alpha = 0.1
	}
	if c.DataDir == "" {
		c.DataDir = dataset.DefaultDataDir()
	}
}

// check refuses settings that cannot be defaulted, naming the field.
func (c *Config) check() error {
	if !(c.ReplayFraction >= 0 && c.ReplayFraction <= 1) {
		return fmt.Errorf("validator: ReplayFraction (--replay-fraction) %v, want in (0, 1], or 0 for the default", c.ReplayFraction)
	}
	return nil
}

// Deps are what the validator is given rather than builds.
type Deps struct {
	Chain  Chain
	Signer client.Signer // the validator hotkey: signs synapse requests
	// Dataset overrides loading the subnet's dataset from Config.DataDir.
	Dataset *dataset.Dataset
	// Dial opens a connection to a miner endpoint (default: plaintext gRPC).
	Dial     func(endpoint string) (grpc.ClientConnInterface, func() error, error)
	Registry prometheus.Registerer // nil: a fresh private registry
	Gatherer prometheus.Gatherer
	Clock    func() time.Time
	Log      zerolog.Logger
}
