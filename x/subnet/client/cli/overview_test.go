package cli_test

import (
	"bytes"
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	emissiontypes "github.com/assay-network/assay/x/emission/types"
	"github.com/assay-network/assay/x/subnet/client/cli"
	"github.com/assay-network/assay/x/subnet/types"
)

func TestOverviewText(t *testing.T) {
	zero := math.ZeroInt()
	o := cli.Overview{
		Address: coldD, Block: 260, Balance: math.NewInt(987_654_321), Staked: math.NewInt(5_250_000),
		Positions: []cli.OverviewPosition{{StakePosition: types.StakePosition{Netuid: 1, Hotkey: hotA, Coldkey: coldD, Shares: math.NewInt(5_000_000),
			Amount: math.NewInt(5_250_000), Principal: math.NewInt(5_000_000), Earned: math.NewInt(250_000)}, EarnedLastEpoch: math.NewInt(50_000)}},
		Unbondings: []types.Unbonding{{Netuid: 1, Hotkey: hotA, Coldkey: coldD, Amount: math.NewInt(1_000_000), ReleaseBlock: 300}},
		Neurons:    []cli.OverviewNeuron{{Netuid: 1, UID: 3, Hotkey: hotD, As: "coldkey", Role: cli.RoleMiner, EmissionPerEpoch: math.NewInt(3_600_000)}},
		Rewards: []emissiontypes.AddressRewards{{Address: coldD, Netuid: 1, Totals: emissiontypes.RewardTotals{
			OwnerCut: zero, Miner: math.NewInt(12_600_000), ValidatorTake: zero, StakePool: zero}}},
		Earned: math.NewInt(12_600_000), PositionsEarned: math.NewInt(250_000),
	}
	var out bytes.Buffer
	require.NoError(t, cli.WriteOverview(&out, o, goldenBlockTime))
	requireGolden(t, "overview.golden", out.String())
	require.Contains(t, out.String(), "40 blocks (~4m0s)", "the unbonding releases at 300, the overview is at 260")
	require.Contains(t, out.String(), "balance 987.654321 ASSAY   staked 5.25 ASSAY   rewards booked 12.6 ASSAY   earned staking 0.25 ASSAY")

	out.Reset()
	require.NoError(t, cli.WriteOverview(&out, cli.Overview{Address: coldD, Balance: zero, Staked: zero, Earned: zero, PositionsEarned: zero}, goldenBlockTime))
	require.Equal(t, "address "+coldD+" at block 0\nbalance 0 ASSAY   staked 0 ASSAY   rewards booked 0 ASSAY   earned staking 0 ASSAY\n", out.String())
}

func TestUnbondingsText(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, cli.WriteUnbondings(&out, coldD, 260, []types.Unbonding{
		{Netuid: 1, Hotkey: hotA, Coldkey: coldD, Amount: math.NewInt(1_500_000), ReleaseBlock: 300},
		{Netuid: 1, Hotkey: hotB, Coldkey: coldD, Amount: math.NewInt(2), ReleaseBlock: 260},
	}, goldenBlockTime))
	require.Equal(t, ""+
		"unbonding for "+coldD+" at block 260:\n"+
		"  NETUID          HOTKEY  AMOUNT(ASSAY)  RELEASE_BLOCK        RELEASED_IN\n"+
		"       1  assay1qqq…qqqa            1.5            300  40 blocks (~4m0s)\n"+
		"       1  assay1qqq…qqqb       0.000002            260                due\n", out.String())

	out.Reset()
	require.NoError(t, cli.WriteUnbondings(&out, coldD, 260, nil, goldenBlockTime))
	require.Equal(t, coldD+" has nothing unbonding at block 260\n", out.String())
}
