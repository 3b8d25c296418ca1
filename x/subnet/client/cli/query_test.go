package cli_test

import (
	"bytes"
	"testing"
	"time"

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

func TestCommitsText(t *testing.T) {
	hash := make([]byte, 32)
	hash[0], hash[31] = 0xab, 1
	res := &types.QueryCommitsResponse{Commits: []types.WeightCommit{
		{Hash: hash, Block: 7, RevealFrom: 12, RevealUntil: 15},
		{Hash: hash, Block: 2, RevealFrom: 4, RevealUntil: 9},
		{Hash: hash, Block: 9, RevealFrom: 20, RevealUntil: 30},
	}}
	var out bytes.Buffer
	require.NoError(t, cli.WriteCommits(&out, 1, hotA, 12, res, 6*time.Second))
	h := "ab00000000000000000000000000000000000000000000000000000000000001"
	require.Equal(t, ""+
		"pending commits of "+hotA+" on subnet 1 at block 12:\n"+
		"HASH                                                              COMMITTED  REVEAL_FROM  REVEAL_UNTIL  WINDOW\n"+
		h+"  7          12           15            open for 4 blocks (~24s)\n"+
		h+"  2          4            9             expired\n"+
		h+"  9          20           30            opens in 8 blocks (~48s)\n", out.String())

	out.Reset()
	require.NoError(t, cli.WriteCommits(&out, 1, hotA, 12, &types.QueryCommitsResponse{}, 0))
	require.Equal(t, hotA+" has no pending commits on subnet 1 at block 12\n", out.String())
}
