package cli_test

import (
	"testing"
	"time"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/subnet/client/cli"
)

func TestParseAmount(t *testing.T) {
	for in, want := range map[string]int64{
		"1500000": 1_500_000, "1500000uassay": 1_500_000, " 7 ": 7,
		"1.5assay": 1_500_000, "1.5ASSAY": 1_500_000, "2ASSAY": 2_000_000,
		".000001assay": 1, "0.000001ASSAY": 1, "1000assay": 1_000_000_000,
	} {
		got, err := cli.ParseAmount("amount", in)
		require.NoError(t, err, in)
		require.Equal(t, want, got.Int64(), in)
	}
	for _, in := range []string{"", "-1", "1.5", "abc", "1.0000001assay", "-1assay", "0x10assay", "assay", "1e3assay", "1.5uassay"} {
		_, err := cli.ParseAmount("amount", in)
		require.ErrorContains(t, err, "--amount", in)
	}
}

func TestFormatAssay(t *testing.T) {
	for in, want := range map[int64]string{
		0: "0", 1: "0.000001", 1_500_000: "1.5", 2_000_000: "2", 1_234_567_890: "1234.56789", -2_500_000: "-2.5",
	} {
		require.Equal(t, want, cli.FormatAssay(math.NewInt(in)), in)
	}
	require.Equal(t, "0", cli.FormatAssay(math.Int{}))
	require.Equal(t, "1.5 ASSAY", cli.FormatAmount(math.NewInt(1_500_000)))
}

func TestFormatPercent(t *testing.T) {
	for in, want := range map[string]string{
		"0.18": "18.00%", "0": "0.00%", "1": "100.00%", "0.123456": "12.35%", "0.00004": "0.00%", "0.00006": "0.01%", "-0.5": "-50.00%",
	} {
		require.Equal(t, want, cli.FormatPercent(math.LegacyMustNewDecFromStr(in)), in)
	}
	// The take as the chain stores it (18 decimals) reads as a percentage.
	d := math.LegacyNewDecWithPrec(18, 2)
	require.Equal(t, "180000000000000000", d.BigInt().String())
	require.Equal(t, "18.00%", cli.FormatPercent(d))
}

func TestParseTake(t *testing.T) {
	for in, want := range map[string]string{"0.18": "0.18", "18%": "0.18", " 9.5 % ": "0.095", "0": "0"} {
		got, err := cli.ParseTake(in)
		require.NoError(t, err, in)
		require.Equal(t, math.LegacyMustNewDecFromStr(want), got, in)
	}
	_, err := cli.ParseTake("lots")
	require.ErrorContains(t, err, `take: "lots"`)
}

func TestFormatBlocks(t *testing.T) {
	require.Equal(t, "120 blocks (~2m0s)", cli.FormatBlocks(120, time.Second))
	require.Equal(t, "0 blocks", cli.FormatBlocks(0, time.Second))
	require.Equal(t, "5 blocks", cli.FormatBlocks(5, 0))
}
