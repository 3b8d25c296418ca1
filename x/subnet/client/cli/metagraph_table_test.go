package cli_test

import (
	"bytes"
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/subnet/client/cli"
	"github.com/assay-network/assay/x/subnet/types"
)

const (
	hotA = "assay1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqa"
	hotB = "assay1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqb"
	hotC = "assay1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc"
	hotD = "assay1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqd"
)

func dec(s string) math.LegacyDec { return math.LegacyMustNewDecFromStr(s) }

// sampleMetagraph: one validator and three miners after an epoch; miner 3
// earned more than miner 1, miner 2 has no axon and never set weights.
func sampleMetagraph() *types.QueryMetagraphResponse {
	zero := math.LegacyZeroDec()
	return &types.QueryMetagraphResponse{
		Block:  120,
		Subnet: types.Subnet{Netuid: 1, Name: "credit", Hyperparams: types.Hyperparams{Tempo: 10, MaxUids: 8}, Locked: math.NewInt(100_000_000), TaskHash: "0123456789abcdef"},
		Neurons: []types.Neuron{
			{Uid: 0, Hotkey: hotA, ValidatorPermit: true, Stake: math.NewInt(100_000_000_000), LastUpdate: 115,
				ValidatorTrust: dec("0.98"), Consensus: zero, Incentive: zero, Dividends: dec("1"), Emission: math.NewInt(4_500_000),
				Axon: &types.AxonInfo{Endpoint: ""}},
			{Uid: 1, Hotkey: hotB, Stake: math.ZeroInt(), ValidatorTrust: zero, Consensus: dec("0.25"), Incentive: dec("0.2"), Dividends: zero,
				Emission: math.NewInt(900_000), Axon: &types.AxonInfo{Endpoint: "127.0.0.1:8091"}, LastUpdate: 0},
			{Uid: 2, Hotkey: hotC, Stake: math.NewInt(1), ValidatorTrust: zero, Consensus: zero, Incentive: zero, Dividends: zero, Emission: math.ZeroInt()},
			{Uid: 3, Hotkey: hotD, Stake: math.ZeroInt(), ValidatorTrust: zero, Consensus: dec("0.75"), Incentive: dec("0.8"), Dividends: zero,
				Emission: math.NewInt(3_600_000), Axon: &types.AxonInfo{Endpoint: "127.0.0.1:8093"}},
		},
	}
}

func TestRanksPerRole(t *testing.T) {
	require.Equal(t, map[uint32]int{0: 1, 3: 1, 1: 2, 2: 3}, cli.Ranks(sampleMetagraph().Neurons))
}

func TestMetagraphTable(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, cli.WriteMetagraphTable(&out, sampleMetagraph(), goldenBlockTime))
	requireGolden(t, "metagraph.golden", out.String())
	// The numbers a reader checks, independent of the layout.
	require.Contains(t, out.String(), "100000")   // validator stake, 10^11 uassay
	require.Contains(t, out.String(), "80.00%")   // miner 3's incentive
	require.Contains(t, out.String(), "3.6")      // miner 3's emission
	require.Contains(t, out.String(), "0.000001") // miner 2's one uassay of stake
	require.Contains(t, out.String(), "total stake 100000.000001 ASSAY")
	require.Contains(t, out.String(), "tempo 10 blocks (~1m0s)")
	require.Contains(t, out.String(), "5 ago (~30s)") // UID 0 set weights at 115, the table is at 120

	// a node that cannot tell its block time: the counts alone
	out.Reset()
	require.NoError(t, cli.WriteMetagraphTable(&out, sampleMetagraph(), 0))
	require.Contains(t, out.String(), "tempo 10 blocks, total stake")
	require.NotContains(t, out.String(), "~")
}

func TestSubnetsTable(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, cli.WriteSubnetsTable(&out, []types.Subnet{sampleMetagraph().Subnet}, goldenBlockTime))
	requireGolden(t, "subnets.golden", out.String())
	out.Reset()
	require.NoError(t, cli.WriteSubnetsTable(&out, nil, goldenBlockTime))
	require.Contains(t, out.String(), "no subnets")
}

func TestHotkeyStakeText(t *testing.T) {
	var out bytes.Buffer
	res := &types.QueryHotkeyStakeResponse{Pool: types.StakePool{TotalStake: math.NewInt(2_500_000), TotalShares: math.NewInt(2_000_000)},
		Take: dec("0.18"), Uid: 4, ValidatorPermit: true}
	require.NoError(t, cli.WriteHotkeyStake(&out, 1, hotA, res))
	requireGolden(t, "hotkey_stake.golden", out.String())
	require.Contains(t, out.String(), "18.00%")
	require.Contains(t, out.String(), "2.5 ASSAY")
}

func TestCostText(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, cli.WriteCost(&out, "subnet lock cost", math.NewInt(10_000_000), 12))
	require.Equal(t, "subnet lock cost at block 12: 10 ASSAY (10000000uassay)\n", out.String())
}
