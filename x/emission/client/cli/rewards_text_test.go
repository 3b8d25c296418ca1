package cli_test

import (
	"bytes"
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/emission/client/cli"
	"github.com/assay-network/assay/x/emission/types"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

func TestWriteRewards(t *testing.T) {
	const addr = "assay1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqa"
	res := &types.QueryRewardsResponse{
		Rewards: []types.AddressRewards{{Address: addr, Netuid: 1, Totals: types.RewardTotals{
			OwnerCut: math.ZeroInt(), Miner: math.NewInt(11_992_500), ValidatorTake: math.NewInt(1), StakePool: math.NewInt(2_000_000)}}},
		Total: math.NewInt(11_992_501),
	}
	var out bytes.Buffer
	require.NoError(t, cli.WriteRewards(&out, addr, res))
	require.Equal(t, ""+
		"  NETUID  OWNER_CUT    MINER  VALIDATOR_TAKE  STAKE_POOL\n"+
		"       1          0  11.9925        0.000001           2\n"+
		"total: 11.992501 ASSAY (amounts in ASSAY)\n", out.String())

	out.Reset()
	require.NoError(t, cli.WriteRewards(&out, addr, &types.QueryRewardsResponse{Total: math.ZeroInt()}))
	require.Equal(t, addr+" has no rewards yet\n", out.String())
}

// A delegator has no booked role, only a position: the text shows what
// the position earned instead of "no rewards yet".
func TestWriteRewardsOfADelegator(t *testing.T) {
	const addr = "assay1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqa"
	const hot = "assay1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqcd"
	res := &types.QueryRewardsResponse{
		Total: math.ZeroInt(),
		Positions: []subnettypes.StakePosition{{Netuid: 1, Hotkey: hot, Coldkey: addr, Shares: math.NewInt(1_000_000_000_000_000_000),
			Amount: math.NewInt(1_331_250), Principal: math.NewInt(1_000_000), Earned: math.NewInt(331_250)}},
		PositionsEarned: math.NewInt(331_250),
	}
	var out bytes.Buffer
	require.NoError(t, cli.WriteRewards(&out, addr, res))
	require.Equal(t, ""+
		"earned by stake positions (value now - principal):\n"+
		"  NETUID          HOTKEY  PRINCIPAL    VALUE   EARNED\n"+
		"       1  assay1qqq…qqcd          1  1.33125  0.33125\n"+
		"earned staking: 0.33125 ASSAY\n", out.String())
}
