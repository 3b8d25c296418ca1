package keeper

import (
	"bytes"
	"context"
	"encoding/hex"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/subnet/epoch"
	"github.com/assay-network/assay/x/subnet/types"
)

// pendingCommits returns the hotkey's commits that have not expired at
// height, and the block of its latest commit (0: never).
func (k *Keeper) pendingCommits(ctx context.Context, netuid uint16, hotkey sdk.AccAddress, height int64) (live, expired []types.WeightCommit, last int64, err error) {
	all, err := k.Commits.Get(ctx, joinHotkey(netuid, hotkey))
	if isNotFound(err) {
		return nil, nil, 0, nil
	}
	if err != nil {
		return nil, nil, 0, err
	}
	last = all.LastCommitBlock
	for _, c := range all.Commits {
		if c.RevealUntil < height {
			expired = append(expired, c)
		} else {
			live = append(live, c)
		}
	}
	return live, expired, last, nil
}

func (k *Keeper) saveCommits(ctx context.Context, netuid uint16, hotkey sdk.AccAddress, commits []types.WeightCommit, last int64) error {
	key := joinHotkey(netuid, hotkey)
	if len(commits) == 0 && last == 0 {
		return k.Commits.Remove(ctx, key)
	}
	return k.Commits.Set(ctx, key, types.WeightCommits{Commits: commits, LastCommitBlock: last})
}

// CommitWeights stores a weights commitment (a WeightsCommitHash) of a
// registered hotkey. Expired commits are dropped first; at most
// MaxPendingCommits stay pending, and a commit is rate-limited by
// weights_rate_limit from the previous one.
func (k *Keeper) CommitWeights(ctx context.Context, hotkey sdk.AccAddress, netuid uint16, hash []byte) (types.WeightCommit, error) {
	var c types.WeightCommit
	s, err := k.GetSubnet(ctx, netuid)
	if err != nil {
		return c, err
	}
	if !s.Hyperparams.CommitReveal {
		return c, types.ErrCommitRevealDisabled.Wrapf("netuid %d: send set-weights instead", netuid)
	}
	if _, err := k.checkWeightsSender(ctx, s, hotkey, s.Hyperparams.WeightsVersion); err != nil {
		return c, err
	}
	height := blockHeight(ctx)
	live, _, last, err := k.pendingCommits(ctx, netuid, hotkey, height)
	if err != nil {
		return c, err
	}
	if len(live) >= types.MaxPendingCommits {
		return c, types.ErrTooManyCommits.Wrapf("hotkey %s has %d pending commits on netuid %d (max %d): reveal or wait for one to expire at block %d",
			hotkey, len(live), netuid, types.MaxPendingCommits, live[0].RevealUntil+1)
	}
	for _, p := range live {
		if bytes.Equal(p.Hash, hash) {
			return c, types.ErrInvalidCommit.Wrapf("hash: %X is already pending (committed at block %d)", hash, p.Block)
		}
	}
	// Counted from the latest commit, revealed or not: revealing must not
	// reset the limit.
	if last > 0 {
		if next := last + int64(s.Hyperparams.WeightsRateLimit); height < next {
			return c, types.ErrCommitRateLimit.Wrapf("hotkey %s committed on netuid %d at block %d: next allowed at block %d",
				hotkey, netuid, last, next)
		}
	}
	from, until := epoch.RevealWindow(height, netuid, s.Hyperparams.Tempo, s.Hyperparams.RevealPeriod)
	c = types.WeightCommit{Hash: hash, Block: height, RevealFrom: from, RevealUntil: until}
	if err := k.saveCommits(ctx, netuid, hotkey, append(live, c), height); err != nil {
		return c, err
	}
	return c, sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventWeightsCommitted{
		Netuid: uint32(netuid), Hotkey: hotkey.String(), Hash: hex.EncodeToString(hash), RevealFrom: from, RevealUntil: until,
	})
}

// RevealWeights opens the oldest pending commit whose hash matches the
// revealed vector and applies it with every SetWeights rule except the rate
// limit (the commit was rate-limited). The matched commit and any expired
// ones are dropped. uids and weights satisfy the message's stateless rules,
// as for SetWeights.
func (k *Keeper) RevealWeights(ctx context.Context, hotkey sdk.AccAddress, netuid uint16, uids, weights []uint32, salt []byte, versionKey uint64) error {
	s, err := k.GetSubnet(ctx, netuid)
	if err != nil {
		return err
	}
	if !s.Hyperparams.CommitReveal {
		return types.ErrCommitRevealDisabled.Wrapf("netuid %d: send set-weights instead", netuid)
	}
	height := blockHeight(ctx)
	live, expired, last, err := k.pendingCommits(ctx, netuid, hotkey, height)
	if err != nil {
		return err
	}
	hash := types.WeightsCommitHash(uint16(netuid), hotkey, uids, weights, salt, versionKey)
	match := -1
	for i, c := range live {
		if bytes.Equal(c.Hash, hash) {
			match = i
			break
		}
	}
	if match < 0 {
		for _, c := range expired {
			if bytes.Equal(c.Hash, hash) {
				return types.ErrRevealExpired.Wrapf("commit %X made at block %d could be revealed in blocks %d..%d; now is block %d",
					hash, c.Block, c.RevealFrom, c.RevealUntil, height)
			}
		}
		return types.ErrRevealMismatch.Wrapf("hash of the revealed uids, weights, salt and version_key is %X; hotkey %s has %d pending commits on netuid %d and none has it",
			hash, hotkey, len(live), netuid)
	}
	c := live[match]
	if height < c.RevealFrom {
		return types.ErrRevealTooEarly.Wrapf("commit %X made at block %d can be revealed in blocks %d..%d; now is block %d",
			hash, c.Block, c.RevealFrom, c.RevealUntil, height)
	}
	if err := k.applyWeights(ctx, s, weightsInput{
		netuid: netuid, hotkey: hotkey, uids: uids, weights: weights, versionKey: versionKey, revealed: true,
	}); err != nil {
		return err
	}
	rest := append(append([]types.WeightCommit{}, live[:match]...), live[match+1:]...)
	return k.saveCommits(ctx, netuid, hotkey, rest, last)
}
