package guides

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseBlocks(t *testing.T) {
	md := "text\n```sh\nmake build   # comment\nassayd tx x \\\n    --from a -y\n\n# a note\n```\n" +
		"```go\nnot run\n```\n" +
		"```sh\n# in another terminal (it runs until Ctrl-C); ready when http://127.0.0.1:9102/healthz answers\nassay-validator run --netuid 1\n```\n"
	blocks := ParseBlocks(md)
	require.Len(t, blocks, 2)
	require.Equal(t, []string{"make build   # comment", "assayd tx x      --from a -y"}, blocks[0].Commands)
	require.False(t, blocks[0].Background())
	require.Equal(t, "http://127.0.0.1:9102/healthz", blocks[1].ReadyURL)
	require.Equal(t, []string{"assay-validator run --netuid 1"}, blocks[1].Commands)
}

func TestTxHashes(t *testing.T) {
	const h = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
	require.Equal(t, []string{h, h}, TxHashes("code: 0\ntxhash: "+h+"\n"+`{"code":0,"txhash":"`+h+`"}`))
	require.Empty(t, TxHashes("no tx here"))
}
