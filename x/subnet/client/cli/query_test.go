package cli_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/subnet/client/cli"
	"github.com/assay-network/assay/x/subnet/types"
)

// The printed commits carry the hash in hex (as commit-weights prints it),
// int64s as decimal strings, and an empty list rather than null.
func TestCommitsJSON(t *testing.T) {
	hash := make([]byte, 32)
	hash[0], hash[31] = 0xab, 0x01
	for name, tc := range map[string]struct {
		res  *types.QueryCommitsResponse
		want string
	}{
		"none": {&types.QueryCommitsResponse{}, `{"commits":[]}`},
		"one": {&types.QueryCommitsResponse{Commits: []types.WeightCommit{{Hash: hash, Block: 7, RevealFrom: 12, RevealUntil: 15}}},
			`{"commits":[{"hash":"ab00000000000000000000000000000000000000000000000000000000000001","block":"7","reveal_from":"12","reveal_until":"15"}]}`},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := cli.CommitsJSON(tc.res)
			require.NoError(t, err)
			require.JSONEq(t, tc.want, string(got))
		})
	}
}
