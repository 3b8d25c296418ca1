package keeper_test

import (
	"encoding/hex"
	"fmt"
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/subnet/epoch"
	"github.com/assay-network/assay/x/subnet/types"
)

func mustAddr(s string) sdk.AccAddress { return sdk.MustAccAddressFromBech32(s) }

func crHP() *types.Hyperparams {
	hp := plainHP()
	hp.CommitReveal = true
	hp.Tempo = 9 // epochs of 10 blocks
	hp.RevealPeriod = 1
	hp.WeightsRateLimit = 2
	return hp
}

var testSalt = []byte("0123456789abcdef")

func (f *fixture) commit(netuid uint32, hot account, uids, weights []uint32, salt []byte, version uint64) (*types.MsgCommitWeightsResponse, error) {
	h := types.WeightsCommitHash(uint16(netuid), hot.addr, uids, weights, salt, version)
	return f.msgs.CommitWeights(f.ctx, &types.MsgCommitWeights{Hotkey: hot.String(), Netuid: netuid, Hash: h})
}

func (f *fixture) reveal(netuid uint32, hot account, uids, weights []uint32, salt []byte, version uint64) error {
	_, err := f.msgs.RevealWeights(f.ctx, &types.MsgRevealWeights{Hotkey: hot.String(), Netuid: netuid, Uids: uids, Weights: weights, Salt: salt, VersionKey: version})
	return err
}

func TestWeightsCommitHashVector(t *testing.T) {
	// The README's vector: netuid 1, hotkey bytes 0x01..0x14, uids [0,1],
	// weights [65535,1], salt "0123456789abcdef", version_key 7.
	hot := make(sdk.AccAddress, 20)
	for i := range hot {
		hot[i] = byte(i + 1)
	}
	h := types.WeightsCommitHash(1, hot, []uint32{0, 1}, []uint32{65535, 1}, testSalt, 7)
	require.Equal(t, "ab91ad4e1472412bb670767d5df409e2c93a132cf955eb89387a8b09fda4838e", hex.EncodeToString(h))
}

func TestCommitThenReveal(t *testing.T) {
	f := newFixture(t)
	netuid, val := f.weightsSubnet(crHP(), 3)
	uids, weights := []uint32{1, 2}, []uint32{3, 1}
	res, err := f.commit(netuid, val, uids, weights, testSalt, 0)
	require.NoError(t, err)
	from, until := epoch.RevealWindow(f.ctx.BlockHeight(), uint16(netuid), 9, 1)
	require.Equal(t, from, res.RevealFrom)
	require.Equal(t, until, res.RevealUntil)
	q, err := f.qs.Commits(f.ctx, &types.QueryCommitsRequest{Netuid: netuid, Hotkey: val.String()})
	require.NoError(t, err)
	require.Len(t, q.Commits, 1)

	err = f.reveal(netuid, val, uids, weights, testSalt, 0)
	require.ErrorIs(t, err, types.ErrRevealTooEarly)
	require.ErrorContains(t, err, "can be revealed in blocks")

	f.ctx = f.ctx.WithBlockHeight(from)
	err = f.reveal(netuid, val, uids, []uint32{3, 2}, testSalt, 0)
	require.ErrorIs(t, err, types.ErrRevealMismatch)
	require.ErrorContains(t, err, "none has it")
	err = f.reveal(netuid, val, uids, weights, []byte("another-salt-xyz"), 0)
	require.ErrorIs(t, err, types.ErrRevealMismatch)

	require.NoError(t, f.reveal(netuid, val, uids, weights, testSalt, 0))
	row, err := f.k.GetWeights(f.ctx, uint16(netuid), 0)
	require.NoError(t, err)
	require.Equal(t, weights, row.Weights)
	n, _ := f.k.GetNeuron(f.ctx, uint16(netuid), 0)
	require.Equal(t, from, n.LastUpdate)
	q, _ = f.qs.Commits(f.ctx, &types.QueryCommitsRequest{Netuid: netuid, Hotkey: val.String()})
	require.Empty(t, q.Commits, "a revealed commit is gone")
	err = f.reveal(netuid, val, uids, weights, testSalt, 0)
	require.ErrorIs(t, err, types.ErrRevealMismatch, "a commit reveals once")
}

func TestCommitRules(t *testing.T) {
	f := newFixture(t)
	hp := crHP()
	hp.Tempo = 100
	netuid, val := f.weightsSubnet(hp, 3)
	plain, plainVal := f.weightsSubnet(plainHP(), 2)

	_, err := f.commit(plain, plainVal, []uint32{1}, []uint32{1}, testSalt, 0)
	require.ErrorIs(t, err, types.ErrCommitRevealDisabled)
	err = f.reveal(plain, plainVal, []uint32{1}, []uint32{1}, testSalt, 0)
	require.ErrorIs(t, err, types.ErrCommitRevealDisabled)
	_, err = f.msgs.CommitWeights(f.ctx, &types.MsgCommitWeights{Hotkey: val.String(), Netuid: netuid, Hash: []byte{1, 2}})
	require.ErrorIs(t, err, types.ErrInvalidCommit)
	err = f.reveal(netuid, val, []uint32{1}, []uint32{1}, []byte("short"), 0)
	require.ErrorIs(t, err, types.ErrInvalidCommit)

	// Rate limit between commits, then the pending cap.
	for i := 0; i < types.MaxPendingCommits; i++ {
		_, err := f.commit(netuid, val, []uint32{1}, []uint32{uint32(i + 1)}, testSalt, 0)
		require.NoError(t, err, "commit %d", i)
		if i == 0 {
			_, err = f.commit(netuid, val, []uint32{1}, []uint32{99}, testSalt, 0)
			require.ErrorIs(t, err, types.ErrCommitRateLimit)
			require.ErrorContains(t, err, "next allowed at block")
		}
		f.advance(2)
		// Keep every commit alive: stay within the first commit's window.
	}
	_, err = f.commit(netuid, val, []uint32{1}, []uint32{77}, testSalt, 0)
	require.ErrorIs(t, err, types.ErrTooManyCommits)
	require.ErrorContains(t, err, "10 pending commits")
}

func TestCommitExpires(t *testing.T) {
	f := newFixture(t)
	netuid, val := f.weightsSubnet(crHP(), 3)
	uids, weights := []uint32{1, 2}, []uint32{3, 1}
	res, err := f.commit(netuid, val, uids, weights, testSalt, 0)
	require.NoError(t, err)
	f.ctx = f.ctx.WithBlockHeight(res.RevealUntil + 1)
	err = f.reveal(netuid, val, uids, weights, testSalt, 0)
	require.ErrorIs(t, err, types.ErrRevealExpired)
	require.ErrorContains(t, err, "could be revealed in blocks")
	// The next commit drops the expired one.
	_, err = f.commit(netuid, val, uids, []uint32{1, 1}, testSalt, 0)
	require.NoError(t, err)
	q, _ := f.qs.Commits(f.ctx, &types.QueryCommitsRequest{Netuid: netuid, Hotkey: val.String()})
	require.Len(t, q.Commits, 1)
}

// A reveal removes the pending commit; the rate limit must still count from
// that commit, or a validator could commit again at once.
func TestCommitRateLimitSurvivesTheReveal(t *testing.T) {
	f := newFixture(t)
	hp := crHP()
	hp.WeightsRateLimit = 15
	netuid, val := f.weightsSubnet(hp, 3)
	uids, weights := []uint32{1, 2}, []uint32{3, 1}
	committed := f.ctx.BlockHeight()
	res, err := f.commit(netuid, val, uids, weights, testSalt, 0)
	require.NoError(t, err)
	f.ctx = f.ctx.WithBlockHeight(res.RevealFrom)
	require.Less(t, res.RevealFrom, committed+15)
	require.NoError(t, f.reveal(netuid, val, uids, weights, testSalt, 0))

	_, err = f.commit(netuid, val, uids, []uint32{1, 1}, testSalt, 0)
	require.ErrorIs(t, err, types.ErrCommitRateLimit)
	require.ErrorContains(t, err, fmt.Sprintf("next allowed at block %d", committed+15))
	f.ctx = f.ctx.WithBlockHeight(committed + 15)
	_, err = f.commit(netuid, val, uids, []uint32{1, 1}, testSalt, 0)
	require.NoError(t, err)
}

func TestTurningCommitRevealOffDropsPendingCommits(t *testing.T) {
	f := newFixture(t)
	netuid, val := f.weightsSubnet(crHP(), 3)
	_, err := f.commit(netuid, val, []uint32{1}, []uint32{1}, testSalt, 0)
	require.NoError(t, err)
	s, _ := f.k.GetSubnet(f.ctx, uint16(netuid))
	hp := s.Hyperparams
	hp.CommitReveal = false
	_, err = f.msgs.UpdateHyperparams(f.ctx, &types.MsgUpdateHyperparams{Owner: s.Owner, Netuid: netuid, Hyperparams: hp})
	require.NoError(t, err)
	q, err := f.qs.Commits(f.ctx, &types.QueryCommitsRequest{Netuid: netuid, Hotkey: val.String()})
	require.NoError(t, err)
	require.Empty(t, q.Commits)
}

func TestUpdateHyperparamsRecomputesPermits(t *testing.T) {
	f := newFixture(t)
	netuid, val := f.weightsSubnet(crHP(), 3)
	n, _ := f.k.NeuronByHotkey(f.ctx, uint16(netuid), val.addr)
	require.True(t, n.ValidatorPermit)
	s, _ := f.k.GetSubnet(f.ctx, uint16(netuid))
	hp := s.Hyperparams
	hp.MinValidatorStake = n.Stake.AddRaw(1)
	_, err := f.msgs.UpdateHyperparams(f.ctx, &types.MsgUpdateHyperparams{Owner: s.Owner, Netuid: netuid, Hyperparams: hp})
	require.NoError(t, err)
	n, _ = f.k.NeuronByHotkey(f.ctx, uint16(netuid), val.addr)
	require.False(t, n.ValidatorPermit, "the raised min_validator_stake applies at once")
}

// The reveal window is inclusive at both ends, on a netuid whose epoch
// boundaries are offset (netuid 3 with 10-block epochs): a reveal at
// RevealUntil lands, on the subnet's own epoch arithmetic.
func TestRevealAtTheWindowsLastBlock(t *testing.T) {
	f := newFixture(t)
	f.weightsSubnet(crHP(), 2)
	f.weightsSubnet(crHP(), 2)
	netuid, val := f.weightsSubnet(crHP(), 3)
	require.Equal(t, uint32(3), netuid)
	uids, weights := []uint32{1, 2}, []uint32{3, 1}
	res, err := f.commit(netuid, val, uids, weights, testSalt, 0)
	require.NoError(t, err)
	from, until := epoch.RevealWindow(f.ctx.BlockHeight(), uint16(netuid), 9, 1)
	require.Equal(t, []int64{from, until}, []int64{res.RevealFrom, res.RevealUntil})
	require.Equal(t, int64(9), until-from, "one 10-block epoch")
	require.True(t, epoch.IsStart(from, uint16(netuid), 9), "the window opens on an epoch boundary of netuid 3")

	f.ctx = f.ctx.WithBlockHeight(from - 1)
	require.ErrorIs(t, f.reveal(netuid, val, uids, weights, testSalt, 0), types.ErrRevealTooEarly, "the block before the window")
	f.ctx = f.ctx.WithBlockHeight(until)
	require.NoError(t, f.reveal(netuid, val, uids, weights, testSalt, 0), "the window's last block")
	row, err := f.k.GetWeights(f.ctx, uint16(netuid), 0)
	require.NoError(t, err)
	require.Equal(t, weights, row.Weights)
}
