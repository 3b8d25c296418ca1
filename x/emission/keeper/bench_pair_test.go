package keeper_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"cosmossdk.io/math"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/emission/yuma"
	"github.com/assay-network/assay/x/subnet/epoch"
)

// epochSize is a benchmark subnet: uids neurons, the first validators of
// them staked, each validator weighting perRow miners (0: every miner).
// With oneColdkey the subnet owner registers every neuron (one operator,
// as BenchmarkEpoch256x64 has it); otherwise each neuron has its own
// coldkey, so every paid UID costs a bank send to a distinct account.
type epochSize struct {
	uids, validators, perRow int
	oneColdkey               bool
}

func (s epochSize) String() string {
	row, cold := "all", "per_uid"
	if s.perRow > 0 {
		row = fmt.Sprint(s.perRow)
	}
	if s.oneColdkey {
		cold = "1"
	}
	return fmt.Sprintf("uids=%d/validators=%d/weights_per_row=%s/coldkeys=%s", s.uids, s.validators, row, cold)
}

// epochSizes: 256 and 1024 UIDs dense, 4096 UIDs sparse; one coldkey and
// one per UID.
var epochSizes = []epochSize{
	{256, 64, 0, true}, {1024, 128, 0, true}, {4096, 256, 32, true},
	{256, 64, 0, false}, {1024, 128, 0, false}, {4096, 256, 32, false},
}

const benchTempo = 100

// steadySubnet registers s.uids neurons, stakes the validators, sets their weights and runs three epochs, so the
// measured epoch sees stored bonds and permits and pays every role.
func steadySubnet(b testing.TB, f *fixture, s epochSize) uint16 {
	owner := f.funded(1 << 55)
	hp := quickHP(benchTempo)
	hp.MaxUids = uint32(s.uids)
	hp.MaxValidators = uint32(s.validators)
	hp.MaxBurn, hp.MinBurn = math.NewInt(1), math.NewInt(1)
	netuid := f.subnet(owner, hp)
	hots := make([]account, s.uids)
	for i := range hots {
		hots[i] = newAccount()
		cold := owner
		if !s.oneColdkey {
			cold = f.funded(1_000)
		}
		f.neuron(netuid, cold, hots[i])
	}
	for v := 0; v < s.validators; v++ {
		f.stake(netuid, owner, hots[v], int64(1_000_000+v))
	}
	f.ctx = f.ctx.WithBlockHeight(f.ctx.BlockHeight() + 1)
	miners := s.uids - s.validators
	for v := 0; v < s.validators; v++ {
		first, count := 0, miners
		if s.perRow > 0 {
			// windows that overlap the other validators' so consensus forms
			first, count = (v*s.perRow/4)%(miners-s.perRow+1), s.perRow
		}
		targets, ws := make([]uint32, count), make([]uint32, count)
		for j := range targets {
			targets[j] = uint32(s.validators + first + j)
			ws[j] = uint32(1 + (first+j)*7919%65535)
		}
		f.setWeights(netuid, hots[v], targets, ws)
	}
	for range 3 {
		f.ctx = f.ctx.WithBlockHeight(epoch.Next(f.ctx.BlockHeight(), uint16(netuid), benchTempo) - 1)
		f.block()
	}
	return uint16(netuid)
}

// BenchmarkEpochVsYuma runs, per iteration, one EndBlock that runs the
// subnet's epoch (reads, Yuma, payouts, writes) and yuma.Epoch alone on the
// identical input that epoch builds, and reports the median of each and
// their ratio (medians, so a neighbour stealing the CPU for one run does
// not tilt the ratio).
func BenchmarkEpochVsYuma(b *testing.B) {
	for _, s := range epochSizes {
		b.Run(s.String(), func(b *testing.B) {
			f := newFixture(b)
			netuid := steadySubnet(b, f, s)
			// commit, as a chain does every block: otherwise every store
			// iterator of the epoch merges the whole setup's unsaved writes
			root := f.ctx.MultiStore().(storetypes.CommitMultiStore)
			root.Commit()
			h := epoch.Next(f.ctx.BlockHeight(), netuid, benchTempo)
			// epochBlock is the epoch block as a node runs it: BeginBlock
			// (which funds the pool) and then EndBlock write into one cache
			// over the committed store, never into the tree itself
			epochBlock := func() sdk.Context {
				ctx := f.ctx.WithMultiStore(root.CacheMultiStore()).WithBlockHeight(h).WithEventManager(sdk.NewEventManager())
				require.NoError(b, f.k.BeginBlock(ctx))
				return ctx
			}
			in, err := f.k.YumaInputAt(epochBlock(), netuid)
			require.NoError(b, err)
			keeperT, yumaT := make([]time.Duration, 0, b.N), make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				ctx := epochBlock() // a fresh cache each time, so every run sees the same state
				b.StartTimer()
				t0 := time.Now()
				require.NoError(b, f.k.EndBlock(ctx))
				t1 := time.Now()
				if _, err := yuma.Epoch(in); err != nil {
					b.Fatal(err)
				}
				keeperT, yumaT = append(keeperT, t1.Sub(t0)), append(yumaT, time.Since(t1))
			}
			k, y := median(keeperT), median(yumaT)
			b.ReportMetric(float64(k.Nanoseconds()), "keeper-ns/epoch")
			b.ReportMetric(float64(y.Nanoseconds()), "yuma-ns/epoch")
			b.ReportMetric(float64(k)/float64(y), "keeper/yuma")
		})
	}
}

func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2]
}
