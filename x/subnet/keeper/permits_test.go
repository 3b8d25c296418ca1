package keeper_test

import (
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/subnet/keeper"
)

func TestValidatorPermits(t *testing.T) {
	ints := func(v ...int64) []math.Int {
		out := make([]math.Int, len(v))
		for i, x := range v {
			out[i] = math.NewInt(x)
		}
		return out
	}
	cases := []struct {
		name   string
		stakes []math.Int
		max    uint32
		min    int64
		want   []bool
	}{
		{"top by stake", ints(5, 9, 1, 7), 2, 0, []bool{false, true, false, true}},
		{"ties: higher uid first", ints(5, 5, 5), 2, 0, []bool{false, true, true}},
		{"min stake", ints(5, 9, 1, 7), 4, 6, []bool{false, true, false, true}},
		{"zero stake never", ints(0, 0, 3), 3, 0, []bool{false, false, true}},
		{"empty", nil, 3, 0, []bool{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, keeper.ValidatorPermits(tc.stakes, tc.max, math.NewInt(tc.min)))
		})
	}
}

func TestPermitsFollowStake(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1000 * assay)
	hp := plainHP()
	hp.MaxValidators = 2
	netuid := f.registerSubnet(owner, hp)
	hots := make([]account, 3)
	for i := range hots {
		hots[i] = newAccount()
		f.registerNeuron(netuid, f.funded(10*assay), hots[i])
	}
	staker := f.funded(100 * assay)
	f.stake(netuid, staker, hots[0], 3*assay)
	f.stake(netuid, staker, hots[1], 2*assay)
	f.stake(netuid, staker, hots[2], 2*assay)
	permits := func() []bool {
		ns, err := f.k.SubnetNeurons(f.ctx, uint16(netuid))
		require.NoError(t, err)
		out := make([]bool, len(ns))
		for i, n := range ns {
			out[i] = n.ValidatorPermit
		}
		return out
	}
	require.Equal(t, []bool{true, false, true}, permits(), "tie between uid 1 and 2 goes to the higher uid")
	require.NoError(t, f.unstake(netuid, staker, hots[0], math.NewInt(3*assay)))
	require.Equal(t, []bool{false, true, true}, permits())
}
