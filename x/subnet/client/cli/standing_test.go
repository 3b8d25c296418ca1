package cli_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	emissiontypes "github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/subnet/client/cli"
	"github.com/assay-network/assay/x/subnet/types"
)

const coldD = "assay1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqcd"

func sampleStanding(t *testing.T) cli.Standing {
	t.Helper()
	mg := sampleMetagraph()
	mg.Neurons[3].Coldkey = coldD
	// The validator gave UID 1 a quarter and UID 3 three quarters.
	rows := map[uint32]types.WeightsRow{0: {Uids: []uint32{1, 3}, Weights: []uint32{16384, 49151}, Block: 115}}
	zero := math.ZeroInt()
	rewards := []emissiontypes.AddressRewards{
		{Address: coldD, Netuid: 1, Totals: emissiontypes.RewardTotals{Miner: math.NewInt(12_600_000), ValidatorTake: zero, OwnerCut: zero, StakePool: zero}},
		{Address: coldD, Netuid: 2, Totals: emissiontypes.RewardTotals{Miner: math.NewInt(999), ValidatorTake: zero, OwnerCut: zero, StakePool: zero}},
	}
	s, err := cli.BuildStanding(mg, hotD, rows, rewards)
	require.NoError(t, err)
	return s
}

func TestStanding(t *testing.T) {
	s := sampleStanding(t)
	require.Equal(t, uint32(3), s.UID)
	require.Equal(t, cli.RoleMiner, s.Role)
	require.Equal(t, 1, s.Rank)
	require.Equal(t, 3, s.RoleCount)
	require.Len(t, s.Weights, 1)
	require.Equal(t, uint32(49151), s.Weights[0].Weight)
	require.Equal(t, "0.749996185244525825", s.Weights[0].Share.String()) // 49151 / (16384 + 49151)
	require.Equal(t, int64(12_600_000), s.Earned.Total.Int64(), "subnet 2's rewards are not this subnet's")

	var out bytes.Buffer
	require.NoError(t, cli.WriteStanding(&out, s, goldenBlockTime))
	requireGolden(t, "standing.golden", out.String())

	bz, err := json.Marshal(s)
	require.NoError(t, err)
	requireGolden(t, "standing.json", string(bz)+"\n")
}

func TestStandingUnregistered(t *testing.T) {
	_, err := cli.BuildStanding(sampleMetagraph(), coldD, nil, nil)
	require.ErrorIs(t, err, cli.ErrNotOnSubnet)
	require.ErrorContains(t, err, coldD)
}
