package e2e

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"cosmossdk.io/math"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/dataset"
	"github.com/assay-network/assay/internal/testminer"
	"github.com/assay-network/assay/internal/testtime"
	"github.com/assay-network/assay/miner/model"
	"github.com/assay-network/assay/task"
	"github.com/assay-network/assay/validator"
	"github.com/assay-network/assay/validator/state"
	"github.com/assay-network/assay/x/subnet/epoch"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// referenceModels loads the built-in german-credit task (its data from the
// content-addressed cache `make data` fills) and the good/poor/biased
// reference models from models/ (`make models`), training any that are
// missing or were trained for another task.
func referenceModels(t *testing.T) (*dataset.Dataset, map[string]*model.Model) {
	t.Helper()
	spec := germanCreditTask(t)
	s, err := task.Parse([]byte(spec))
	require.NoError(t, err)
	data := repoFile(t, filepath.Join("data", "sha256", s.Dataset.Files[0].SHA256))
	if _, err := os.Stat(data); err != nil {
		t.Skipf("german-credit data missing (run `make data`): %v", err)
	}
	d := loadTask(t, spec, map[string]string{task.RoleData: data})
	out := map[string]*model.Model{}
	for _, v := range model.Variants() {
		m, _, err := model.LoadFor(repoFile(t, filepath.Join("models", "german-credit-"+v+".amdl")), d.Task, d.TaskHash)
		if err != nil {
			t.Logf("models/german-credit-%s.amdl: %v; training it", v, err)
			m, err = model.TrainReference(t.Context(), d, v, 0, 0, zerolog.Nop())
			require.NoError(t, err)
		}
		out[v] = m
	}
	return d, out
}

// startMiner serves m on loopback under the keyring hotkey and publishes
// its axon, for the rest of t.
func startMiner(t *testing.T, c *Chain, cc *client.Chain, netuid uint32, hotkey string, m *model.Model) {
	t.Helper()
	testminer.Start(t, c.Ctx().Keyring, cc, uint16(netuid), hotkey, m)
}

// runValidator starts a validator on the state file; stop cancels it and
// waits for Run to return.
func runValidator(t *testing.T, c *Chain, cc *client.Chain, d *dataset.Dataset, statePath string, log zerolog.Logger) (v *validator.Validator, stop func()) {
	t.Helper()
	vc, err := validator.NewClientChain(cc, "val")
	require.NoError(t, err)
	signer, err := client.NewKeyringSigner(c.Ctx().Keyring, "val")
	require.NoError(t, err)
	v, err = validator.New(validator.Config{Netuid: 1, StatePath: statePath, SyncInterval: 200 * time.Millisecond,
		RoundInterval: 500 * time.Millisecond, BatchSize: 150, Pairs: 100, Alpha: 0.3, Seed: 7},
		validator.Deps{Chain: vc, Signer: signer, Dataset: d, Log: log})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- v.Run(ctx) }()
	var stopped bool
	stop = func() {
		if !stopped {
			stopped = true
			cancel()
			require.NoError(t, <-done)
		}
	}
	t.Cleanup(stop)
	return v, stop
}

// TestValidatorRanksMinersAndRevealsAfterRestart runs the real chain, three
// real miners (good, poor, biased reference models) on loopback and the
// validator. The validator is stopped right after its first commit lands
// and restarted from its state file: the restarted one must reveal that
// commit. After a few more tempos the weights on chain must rank good above
// biased and above poor, with the biased miner's flip rate visibly higher.
func TestValidatorRanksMinersAndRevealsAfterRestart(t *testing.T) {
	d, models := referenceModels(t)
	c := NewChain(t, nil)
	ctx := t.Context()
	cc := c.Client()
	q := subnettypes.NewQueryClient(c.Ctx())
	owner := c.Val.Address.String()

	// A reveal period of two epochs leaves a whole epoch between the first
	// commit landing and its reveal window, so stopping the validator
	// before the window opens does not race the chain on a busy machine.
	params, err := q.Params(ctx, &subnettypes.QueryParamsRequest{})
	require.NoError(t, err)
	hp := params.Params.DefaultHyperparams
	hp.RevealPeriod = 2
	res := c.Broadcast(c.Val.Moniker, &subnettypes.MsgRegisterSubnet{Owner: owner, Name: "credit", TaskSpec: germanCreditTask(t), Hyperparams: &hp})
	require.Zero(t, res.Code, res.RawLog)
	const netuid = 1
	hotkeys := []string{"val", "good", "poor", "biased"} // UIDs 0..3
	c.NewFundedKeys(10_000_000, hotkeys...)
	c.RegisterNeurons(netuid, hotkeys...)
	res = c.Broadcast(c.Val.Moniker, &subnettypes.MsgAddStake{Coldkey: owner, Netuid: netuid, Hotkey: c.Addr("val").String(), Amount: math.NewInt(5_000_000)})
	require.Zero(t, res.Code, res.RawLog)
	for _, h := range hotkeys[1:] {
		startMiner(t, c, cc, netuid, h, models[h])
	}
	mg, err := cc.Metagraph(ctx, netuid)
	require.NoError(t, err)
	require.True(t, mg.Neurons[0].ValidatorPermit, "staked validator holds a permit")
	hp = mg.Subnet.Hyperparams
	require.True(t, hp.CommitReveal)
	require.Equal(t, uint64(2), hp.RevealPeriod)

	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.InfoLevel)
	statePath := filepath.Join(t.TempDir(), "validator-state.json")

	// Phase 1: run until the first commit is in a block, then stop.
	_, stopA := runValidator(t, c, cc, d, statePath, log.With().Str("instance", "A").Logger())
	var pending state.Commit
	require.Eventually(t, func() bool {
		b, err := os.ReadFile(statePath)
		if err != nil {
			return false
		}
		st, err := state.Decode(b)
		if err != nil || len(st.Pending) == 0 || st.Pending[0].Block == 0 {
			return false
		}
		pending = st.Pending[0]
		return true
	}, testtime.Scale(60*time.Second), 50*time.Millisecond, "no commit landed")
	stopA()
	mg, err = cc.Metagraph(ctx, netuid)
	require.NoError(t, err)
	require.Less(t, mg.Block, pending.RevealFrom, "stopped before the reveal window")
	commits, err := (&validator.ClientChain{C: cc}).Commits(ctx, netuid, c.Addr("val").String())
	require.NoError(t, err)
	require.Len(t, commits, 1, "the commit is pending on chain")
	t.Logf("stopped at block %d with commit %s… (block %d, reveal %d–%d)", mg.Block, pending.Hash[:12], pending.Block, pending.RevealFrom, pending.RevealUntil)

	// Phase 2: a new process on the same state file reveals it.
	vB, _ := runValidator(t, c, cc, d, statePath, log.With().Str("instance", "B").Logger())
	require.Len(t, vB.State().Pending, 1, "the restarted validator loaded the pending commit")
	weightsRow := func() subnettypes.WeightsRow {
		r, err := q.Weights(ctx, &subnettypes.QueryWeightsRequest{Netuid: netuid, Uid: 0})
		if err != nil {
			return subnettypes.WeightsRow{}
		}
		return r.Row
	}
	var row subnettypes.WeightsRow
	require.Eventually(t, func() bool { row = weightsRow(); return len(row.Uids) > 0 }, testtime.Scale(30*time.Second), 50*time.Millisecond, "pending commit never revealed")
	require.Equal(t, pending.UIDs, row.Uids, "the revealed row is the commit made before the restart")
	require.Equal(t, pending.Weights, row.Weights)
	require.GreaterOrEqual(t, row.Block, pending.RevealFrom)
	require.LessOrEqual(t, row.Block, pending.RevealUntil)
	t.Logf("revealed after restart at block %d: uids %v weights %v", row.Block, row.Uids, row.Weights)

	// A few more tempos: the moving averages settle and new weights are revealed.
	settleFrom := row.Block + 3*epoch.Length(hp.Tempo)
	require.Eventually(t, func() bool { row = weightsRow(); return row.Block >= settleFrom }, testtime.Scale(60*time.Second), 200*time.Millisecond,
		"no weights revealed after block %d", settleFrom)
	w := map[uint32]uint32{}
	for i, u := range row.Uids {
		w[u] = row.Weights[i]
	}
	st := vB.State()
	byName := map[string]state.UIDScore{}
	for i, h := range hotkeys[1:] {
		s := st.Score(uint32(i + 1))
		require.NotNil(t, s, "%s scored", h)
		byName[h] = *s
		t.Logf("%-6s uid %d: weight %5d  score %.3f  accuracy %.3f  flip rate %.3f  rounds %d  %s",
			h, s.UID, w[s.UID], s.Score, s.Quality, s.Bias, s.Rounds, s.LastError)
	}
	require.Greater(t, w[1], w[3], "good outweighs biased")
	require.Greater(t, w[1], w[2], "good outweighs poor")
	require.Greater(t, byName["biased"].Bias, byName["good"].Bias+0.1, "the biased miner's flip rate is visibly higher")
	require.False(t, slices.Contains(row.Uids, 0), "no self-weight")
}
