package keeper_test

import (
	"fmt"
	"testing"
	"time"

	"cosmossdk.io/math"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/subnet/keeper"
	"github.com/assay-network/assay/x/subnet/types"
)

func (f *fixture) setWeights(netuid uint32, hot account, uids, weights []uint32) {
	f.t.Helper()
	require.NoError(f.t, f.trySetWeights(netuid, hot, uids, weights, 0))
}

func (f *fixture) trySetWeights(netuid uint32, hot account, uids, weights []uint32, version uint64) error {
	_, err := f.msgs.SetWeights(f.ctx, &types.MsgSetWeights{Hotkey: hot.String(), Netuid: netuid, Uids: uids, Weights: weights, VersionKey: version})
	return err
}

// weightsSubnet registers a subnet with hp, a staked validator (uid 0) and n-1 miners.
func (f *fixture) weightsSubnet(hp *types.Hyperparams, n int) (uint32, account) {
	f.t.Helper()
	owner := f.funded(1000 * assay)
	netuid := f.registerSubnet(owner, hp)
	val := newAccount()
	cold := f.funded(100 * assay)
	f.registerNeuron(netuid, cold, val)
	f.stake(netuid, cold, val, 10*assay)
	for i := 1; i < n; i++ {
		f.registerNeuron(netuid, f.funded(10*assay), newAccount())
	}
	return netuid, val
}

func TestSetWeights(t *testing.T) {
	f := newFixture(t)
	netuid, val := f.weightsSubnet(plainHP(), 4)
	f.setWeights(netuid, val, []uint32{3, 1, 2}, []uint32{10, 0, 30})
	row, err := f.k.GetWeights(f.ctx, uint16(netuid), 0)
	require.NoError(t, err)
	require.Equal(t, []uint32{2, 3}, row.Uids, "sorted, zeros dropped")
	require.Equal(t, []uint32{30, 10}, row.Weights)
	n, _ := f.k.GetNeuron(f.ctx, uint16(netuid), 0)
	require.Equal(t, f.ctx.BlockHeight(), n.LastUpdate)
	q, err := f.qs.Weights(f.ctx, &types.QueryWeightsRequest{Netuid: netuid, Uid: 0})
	require.NoError(t, err)
	require.Equal(t, row, q.Row)
}

func TestSetWeightsRules(t *testing.T) {
	f := newFixture(t)
	hp := plainHP()
	hp.MinAllowedWeights = 2
	hp.MaxWeightLimit = 65535 * 6 / 10 // at most 60% of the row on one uid
	hp.WeightsVersion = 3
	netuid, val := f.weightsSubnet(hp, 4)
	miner, _ := f.k.GetNeuron(f.ctx, uint16(netuid), 1)
	minerHot := account{addr: mustAddr(miner.Hotkey)}
	cr := *plainHP()
	cr.CommitReveal = true
	crNetuid, crVal := f.weightsSubnet(&cr, 3)

	cases := []struct {
		name    string
		netuid  uint32
		hot     account
		uids    []uint32
		weights []uint32
		version uint64
		want    error
		msg     string
	}{
		{"no permit", netuid, minerHot, []uint32{0, 2}, []uint32{1, 1}, 3, types.ErrNoValidatorPermit, "has no validator permit"},
		{"duplicate uid", netuid, val, []uint32{1, 1}, []uint32{1, 1}, 3, types.ErrDuplicateUID, "uid 1 appears twice"},
		{"unknown uid", netuid, val, []uint32{1, 9}, []uint32{1, 1}, 3, types.ErrUnknownUID, "uid 9 is not registered"},
		{"too few", netuid, val, []uint32{1, 2}, []uint32{1, 0}, 3, types.ErrTooFewWeights, "min_allowed_weights is 2"},
		{"max weight", netuid, val, []uint32{1, 2}, []uint32{2, 1}, 3, types.ErrMaxWeightLimit, "exceeds max_weight_limit"},
		{"version", netuid, val, []uint32{1, 2}, []uint32{1, 1}, 2, types.ErrWeightsVersion, "below netuid"},
		{"lengths", netuid, val, []uint32{1, 2}, []uint32{1}, 3, types.ErrInvalidWeights, "lengths differ"},
		{"above uint16", netuid, val, []uint32{1, 2}, []uint32{1, 70000}, 3, types.ErrInvalidWeights, "above 65535"},
		{"all zero", netuid, val, []uint32{1, 2}, []uint32{0, 0}, 3, types.ErrTooFewWeights, ""},
		{"commit-reveal on", crNetuid, crVal, []uint32{1, 2}, []uint32{1, 1}, 0, types.ErrCommitRevealEnabled, "commit-weights"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := f.trySetWeights(tc.netuid, tc.hot, tc.uids, tc.weights, tc.version)
			require.ErrorIs(t, err, tc.want)
			require.ErrorContains(t, err, tc.msg)
			n, _ := f.k.GetNeuron(f.ctx, uint16(tc.netuid), 0)
			require.Zero(t, n.LastUpdate, "a failed SetWeights writes nothing")
		})
	}

	// Exactly at the limit passes; then the rate limit applies.
	require.NoError(t, f.trySetWeights(netuid, val, []uint32{1, 2}, []uint32{1, 1}, 3))
	err := f.trySetWeights(netuid, val, []uint32{1, 2}, []uint32{1, 1}, 3)
	require.ErrorIs(t, err, types.ErrWeightsRateLimit)
	require.ErrorContains(t, err, fmt.Sprintf("next allowed at block %d", f.ctx.BlockHeight()+10))
	f.advance(10)
	require.NoError(t, f.trySetWeights(netuid, val, []uint32{1, 2}, []uint32{1, 1}, 3))
}

func TestBuildWeightsRowMaxWeightLimitIsOnNormalisedWeights(t *testing.T) {
	s := types.Subnet{Netuid: 1, NeuronCount: 3, Hyperparams: types.DefaultHyperparams()}
	s.Hyperparams.MaxWeightLimit = 65535 * 6 / 10 // 60%
	_, err := keeper.BuildWeightsRow(s, []uint32{0, 1}, []uint32{600, 400})
	require.NoError(t, err)
	_, err = keeper.BuildWeightsRow(s, []uint32{0, 1}, []uint32{601, 399})
	require.ErrorIs(t, err, types.ErrMaxWeightLimit)
	_, err = keeper.BuildWeightsRow(s, []uint32{0, 1}, []uint32{65535, 65535})
	require.NoError(t, err, "scale does not matter")
}

// BenchmarkSetWeightsBlock is a block of 64 SetWeights txs of 256 weights
// each on a 256-UID subnet with 64 permitted validators: it reports the gas
// each message consumes (store gas, default KV gas config) and the time per
// message (DeliverTx's message execution, without signature checks).
func BenchmarkSetWeightsBlock(b *testing.B) {
	f := newFixture(b)
	hp := plainHP()
	hp.WeightsRateLimit = 1
	hp.MaxValidators = 64
	owner := f.funded(1000 * assay)
	netuid := f.registerSubnet(owner, hp)
	vals := make([]account, 0, 64)
	staker := f.funded(100_000 * assay)
	for i := 0; i < 256; i++ {
		hot := newAccount()
		f.registerNeuron(netuid, f.funded(1000*assay), hot)
		if i < 64 {
			f.stake(netuid, staker, hot, 2*assay)
			vals = append(vals, hot)
		}
	}
	uids := make([]uint32, 256)
	weights := make([]uint32, 256)
	for i := range uids {
		uids[i] = uint32(255 - i)
		weights[i] = uint32(1000 + i)
	}
	var gas uint64
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		f.advance(1)
		for _, v := range vals {
			ctx := f.ctx.WithGasMeter(storetypes.NewInfiniteGasMeter())
			_, err := f.msgs.SetWeights(ctx, &types.MsgSetWeights{Hotkey: v.String(), Netuid: netuid, Uids: uids, Weights: weights})
			if err != nil {
				b.Fatal(err)
			}
			gas = ctx.GasMeter().GasConsumed()
		}
	}
	elapsed := time.Since(start)
	b.ReportMetric(float64(gas), "gas/tx")
	b.ReportMetric(float64(elapsed.Microseconds())/float64(b.N*len(vals)), "µs/tx")
	b.ReportMetric(float64(elapsed.Milliseconds())/float64(b.N), "ms/block")
	_ = math.ZeroInt
}
