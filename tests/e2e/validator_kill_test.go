package e2e

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"cosmossdk.io/math"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/dataset"
	"github.com/assay-network/assay/internal/testtime"
	"github.com/assay-network/assay/validator"
	"github.com/assay-network/assay/validator/state"
	"github.com/assay-network/assay/x/subnet/epoch"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// killAtCommit is the chain of a validator process that dies while its
// first commit tx is on the way: the commit is signed and its salt is on
// disk, the process is gone (its Run cancelled) before it learns whether
// the tx landed, and the tx is handed to the test to land later, as one
// that waited in a mempool.
type killAtCommit struct {
	validator.Chain
	kill context.CancelFunc
	sent chan []byte
}

func (k *killAtCommit) CommitWeights(ctx context.Context, _ uint16, hash []byte) (int64, error) {
	k.sent <- hash
	k.kill()
	<-ctx.Done()
	return 0, fmt.Errorf("killed with the commit tx in flight: %w", ctx.Err())
}

// startValidator runs a validator over chain on the state file until the
// test ends; done receives Run's result.
func startValidator(t *testing.T, c *Chain, chain validator.Chain, d *dataset.Dataset, statePath string, ctx context.Context, log zerolog.Logger) (*validator.Validator, <-chan error) {
	t.Helper()
	signer, err := client.NewKeyringSigner(c.Ctx().Keyring, "val")
	require.NoError(t, err)
	v, err := validator.New(validator.Config{Netuid: 1, StatePath: statePath, SyncInterval: 200 * time.Millisecond,
		RoundInterval: 500 * time.Millisecond, BatchSize: 60, Pairs: 30, Alpha: 0.3, Seed: 7},
		validator.Deps{Chain: chain, Signer: signer, Dataset: d, Log: log})
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- v.Run(ctx) }()
	return v, done
}

// syncedBlock is the block of the validator's last metagraph (0 before one).
func syncedBlock(v *validator.Validator) int64 {
	var h int64
	if s, err := v.Health(); err == nil {
		_, _ = fmt.Sscanf(s, "ok netuid=1 block=%d", &h)
	}
	return h
}

// TestValidatorKilledMidCommitRevealsAfterRestart: validator A is killed
// between sending its commit and the commit landing; B restarts on A's
// state file before the tx is in a block. B must keep the commit it cannot
// find on chain yet (and send no second commit for that epoch), find it by
// hash once it lands, and reveal it in its window.
func TestValidatorKilledMidCommitRevealsAfterRestart(t *testing.T) {
	c := NewChain(t, nil)
	ctx := t.Context()
	d, m, task := minerModel(t)
	owner := c.Val.Address.String()
	res := c.Broadcast(c.Val.Moniker, &subnettypes.MsgRegisterSubnet{Owner: owner, Name: "wages", TaskSpec: task})
	require.Zero(t, res.Code, res.RawLog)
	const netuid = 1
	c.NewFundedKeys(10_000_000, "val", "m1")
	c.RegisterNeurons(netuid, "val", "m1") // UIDs 0, 1
	res = c.Broadcast(c.Val.Moniker, &subnettypes.MsgAddStake{Coldkey: owner, Netuid: netuid, Hotkey: c.Addr("val").String(), Amount: math.NewInt(5_000_000)})
	require.Zero(t, res.Code, res.RawLog)
	cc := c.Client()
	startMiner(t, c, cc, netuid, "m1", m)
	mg, err := cc.Metagraph(ctx, netuid)
	require.NoError(t, err)
	hp := mg.Subnet.Hyperparams
	require.True(t, hp.CommitReveal)
	height := func() int64 {
		mg, err := cc.Metagraph(ctx, netuid)
		require.NoError(t, err)
		return mg.Block
	}
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.InfoLevel)
	statePath := filepath.Join(t.TempDir(), "validator-state.json")

	// A starts with an epoch, so its commit (after one round) and the late
	// landing below fall in that epoch, clear of B's next commit.
	start := epoch.Next(height(), netuid, hp.Tempo)
	require.Eventually(t, func() bool { return height() >= start }, testtime.Scale(30*time.Second), 50*time.Millisecond)
	aChain, err := validator.NewClientChain(c.Client(), "val") // A's own connection, as its own process
	require.NoError(t, err)
	actx, kill := context.WithCancel(context.Background())
	defer kill()
	killer := &killAtCommit{Chain: aChain, kill: kill, sent: make(chan []byte, 1)}
	_, aDone := startValidator(t, c, killer, d, statePath, actx, log.With().Str("instance", "A").Logger())
	var hash []byte
	select {
	case hash = <-killer.sent:
	case <-time.After(testtime.Scale(60 * time.Second)):
		t.Fatal("validator A never committed")
	}
	require.NoError(t, <-aDone)
	killedAt := height()
	b, err := os.ReadFile(statePath)
	require.NoError(t, err)
	st, err := state.Decode(b)
	require.NoError(t, err)
	require.Len(t, st.Pending, 1)
	pending := st.Pending[0]
	require.Equal(t, hex.EncodeToString(hash), pending.Hash)
	require.Zero(t, pending.Block, "A died before it learned where the commit landed")
	t.Logf("A killed at block %d with commit %s… of epoch %d in flight", killedAt, pending.Hash[:12], pending.Epoch)

	// B restarts on the state file; the commit is not on chain yet.
	bctx, stopB := context.WithCancel(context.Background())
	vB, bDone := startValidator(t, c, &validator.ClientChain{C: c.Client(), Key: "val", Hotkey: c.Addr("val").String()}, d, statePath, bctx, log.With().Str("instance", "B").Logger())
	t.Cleanup(func() { stopB(); require.NoError(t, <-bDone) })
	require.Eventually(t, func() bool { return syncedBlock(vB) >= killedAt+2 }, testtime.Scale(30*time.Second), 50*time.Millisecond, "B never synced")
	commits, err := aChain.Commits(ctx, netuid, c.Addr("val").String())
	require.NoError(t, err)
	require.Empty(t, commits, "nothing committed on chain while A's tx is held back")
	require.Len(t, vB.State().Pending, 1, "B dropped the commit it could not find on chain yet")
	require.Zero(t, vB.State().Pending[0].Block)

	// A's tx lands late.
	landed, err := aChain.CommitWeights(ctx, netuid, hash)
	require.NoError(t, err)
	from, until := epoch.RevealWindow(landed, netuid, hp.Tempo, hp.RevealPeriod)
	require.Equal(t, pending.Epoch, epoch.Index(landed, netuid, hp.Tempo), "landed in the epoch it was made in")
	t.Logf("A's commit landed at block %d; reveal window %d–%d", landed, from, until)

	var row subnettypes.WeightsRow
	require.Eventually(t, func() bool {
		r, err := subnettypes.NewQueryClient(c.Ctx()).Weights(ctx, &subnettypes.QueryWeightsRequest{Netuid: netuid, Uid: 0})
		if err != nil || len(r.Row.Uids) == 0 {
			return false
		}
		row = r.Row
		return true
	}, testtime.Scale(60*time.Second), 100*time.Millisecond, "B never revealed A's commit")
	require.Equal(t, pending.UIDs, row.Uids)
	require.Equal(t, pending.Weights, row.Weights)
	require.GreaterOrEqual(t, row.Block, from)
	require.LessOrEqual(t, row.Block, until, "revealed in the window of A's commit, not a later one's")
	t.Logf("B revealed A's commit at block %d: uids %v weights %v", row.Block, row.Uids, row.Weights)
}
