package cli_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/subnet/client/cli"
)

func TestParseWeights(t *testing.T) {
	uids, w, err := cli.ParseWeights("3=100, 1=65535,0=0")
	require.NoError(t, err)
	require.Equal(t, []uint32{3, 1, 0}, uids)
	require.Equal(t, []uint32{100, 65535, 0}, w)
	for _, bad := range []string{"", "1", "1=", "x=1", "1=65536", "70000=1"} {
		_, _, err := cli.ParseWeights(bad)
		require.Error(t, err, bad)
	}
}
