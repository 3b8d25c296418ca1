package keeper_test

import (
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/emission/types"
)

// A delegator is booked no reward role, yet q emission rewards shows what
// its position earned: a quarter of what validator A's pool received at
// each epoch (it holds a quarter of A's shares), to the uassay, and the
// same sum in positions_earned. The booked rewards and their total stay as
// they were.
func TestRewardsShowDelegatorEarnings(t *testing.T) {
	f := newFixture(t)
	s := newExactSubnet(t, f)
	rewards := func(a account) *types.QueryRewardsResponse {
		res, err := f.qs.Rewards(f.ctx, &types.QueryRewardsRequest{Address: a.String()})
		require.NoError(t, err)
		return res
	}
	before := rewards(s.delegator)
	require.Empty(t, before.Rewards)
	require.Len(t, before.Positions, 1)
	require.Equal(t, "0", before.PositionsEarned.String(), "nothing earned before an epoch")

	rec := f.nextEpoch(s.netuid)
	staked := rec.Results[0].ValidatorStaked
	require.True(t, staked.IsPositive(), "A's pool was credited")
	res := rewards(s.delegator)
	require.Empty(t, res.Rewards, "a delegator is booked no role")
	require.Equal(t, "0", res.Total.String())
	require.Len(t, res.Positions, 1)
	p := res.Positions[0]
	require.Equal(t, s.a.String(), p.Hotkey)
	require.Equal(t, math.NewInt(1_000_000).String(), p.Principal.String())
	require.Equal(t, staked.QuoRaw(4).String(), p.Earned.String(), "a quarter of A's pool credit")
	require.Equal(t, p.Earned.String(), res.PositionsEarned.String())
	require.Equal(t, p.Principal.Add(p.Earned).String(), p.Amount.String())

	rec2 := f.nextEpoch(s.netuid)
	both := staked.Add(rec2.Results[0].ValidatorStaked)
	res = rewards(s.delegator)
	require.Equal(t, both.QuoRaw(4).String(), res.PositionsEarned.String(), "earnings add up over epochs")

	// A's coldkey holds three quarters of the shares: booked its take and
	// the pool's credit as before, and its position's earnings besides.
	aCold := rewards(s.aCold)
	require.Len(t, aCold.Rewards, 1)
	require.Len(t, aCold.Positions, 1)
	require.True(t, aCold.PositionsEarned.Sub(both.MulRaw(3).QuoRaw(4)).Abs().LTE(math.OneInt()),
		"A's coldkey earned %s, want 3/4 of %s", aCold.PositionsEarned, both)
}
