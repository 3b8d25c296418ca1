package cli_test

import (
	"bytes"
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/emission/client/cli"
	"github.com/assay-network/assay/x/emission/types"
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
