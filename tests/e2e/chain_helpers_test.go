package e2e

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	clitestutil "github.com/cosmos/cosmos-sdk/testutil/cli"
	sdk "github.com/cosmos/cosmos-sdk/types"
	grpctypes "github.com/cosmos/cosmos-sdk/types/grpc"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/metadata"

	assaycmd "github.com/assay-network/assay/cmd/assayd/cmd"
	"github.com/assay-network/assay/internal/testchain"
	"github.com/assay-network/assay/internal/testtime"
	"github.com/assay-network/assay/x/subnet/client/cli"
	"github.com/assay-network/assay/x/subnet/epoch"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// Helpers the e2e tests share: CLI txs, waiting on chain state, reading
// the metagraph at a height.

func writeTempFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
	return p
}

// mustExecTx runs an x/subnet CLI tx (standard flags added, --from in args),
// waits for its block and requires success; it returns the delivered result.
func mustExecTx(t *testing.T, c *Chain, args ...string) sdk.TxResponse {
	t.Helper()
	hash, _ := execTxOut(t, c, args...)
	res := quickWaitTx(t, c, hash)
	require.Zero(t, res.Code, "%v: %s", args, res.RawLog)
	return res
}

// execTxOut is execTx for commands that also print to stderr (the test CLI
// shares one buffer for both): the tx response is the last JSON line. It
// returns the tx hash and the whole output.
func execTxOut(t *testing.T, c *Chain, args ...string) (string, string) {
	t.Helper()
	var from string
	for i, a := range args {
		if a == "--from" && i+1 < len(args) {
			from = args[i+1]
		}
	}
	require.NotEmpty(t, from, "--from is required")
	flags := txFlags(c, from)[2:] // --from is already in args
	out, err := clitestutil.ExecTestCLICmd(c.Ctx(), cli.NewTxCmd(), append(args, flags...))
	require.NoError(t, err, "%v: %s", args, out.String())
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var res struct {
		TxHash string `json:"txhash"`
		Code   uint32 `json:"code"`
		RawLog string `json:"raw_log"`
	}
	require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &res), out.String())
	require.Zero(t, res.Code, res.RawLog)
	return res.TxHash, out.String()
}

// atHeight pins a query to the state after block h.
func atHeight(ctx context.Context, h int64) context.Context {
	return metadata.AppendToOutgoingContext(ctx, grpctypes.GRPCBlockHeightHeader, strconv.FormatInt(h, 10))
}

func metagraphAt(t *testing.T, c *Chain, h int64) *subnettypes.QueryMetagraphResponse {
	t.Helper()
	mg, err := subnettypes.NewQueryClient(c.Ctx()).Metagraph(atHeight(t.Context(), h), &subnettypes.QueryMetagraphRequest{Netuid: 1})
	require.NoError(t, err)
	return mg
}

// requireStakeMirrorsPools checks each neuron's stake against its hotkey's
// pool and permit in the same block's state.
func requireStakeMirrorsPools(t *testing.T, c *Chain, mg *subnettypes.QueryMetagraphResponse, h int64) {
	t.Helper()
	q := subnettypes.NewQueryClient(c.Ctx())
	for _, n := range mg.Neurons {
		hs, err := q.HotkeyStake(atHeight(t.Context(), h), &subnettypes.QueryHotkeyStakeRequest{Netuid: n.Netuid, Hotkey: n.Hotkey})
		require.NoError(t, err)
		require.Equal(t, n.Uid, hs.Uid)
		require.True(t, hs.Pool.TotalStake.Equal(n.Stake), "uid %d: neuron stake %s, pool %s", n.Uid, n.Stake, hs.Pool.TotalStake)
		require.Equal(t, n.ValidatorPermit, hs.ValidatorPermit, "uid %d", n.Uid)
	}
}

func permitsOf(mg *subnettypes.QueryMetagraphResponse) []bool {
	out := make([]bool, len(mg.Neurons))
	for i, n := range mg.Neurons {
		out[i] = n.ValidatorPermit
	}
	return out
}

func lastUpdatesOf(mg *subnettypes.QueryMetagraphResponse) []int64 {
	out := make([]int64, len(mg.Neurons))
	for i, n := range mg.Neurons {
		out[i] = n.LastUpdate
	}
	return out
}

func positionOn(t *testing.T, res *subnettypes.QueryStakeByAddressResponse, hotkey sdk.AccAddress) subnettypes.StakePosition {
	t.Helper()
	for _, p := range res.Positions {
		if p.Hotkey == hotkey.String() {
			return p
		}
	}
	require.FailNow(t, "no position", "on %s in %v", hotkey, res.Positions)
	return subnettypes.StakePosition{}
}

// requireWeights checks the weights row of uid and that last_update is its block.
func requireWeights(t *testing.T, c *Chain, uid uint32, uids, weights []uint32, block int64) {
	t.Helper()
	q := subnettypes.NewQueryClient(c.Ctx())
	w, err := q.Weights(atHeight(t.Context(), block), &subnettypes.QueryWeightsRequest{Netuid: 1, Uid: uid})
	require.NoError(t, err)
	require.Equal(t, uids, w.Row.Uids, "uid %d", uid)
	require.Equal(t, weights, w.Row.Weights, "uid %d", uid)
	require.Equal(t, block, w.Row.Block, "uid %d", uid)
	n, err := q.Neuron(atHeight(t.Context(), block), &subnettypes.QueryNeuronRequest{Netuid: 1, Uid: uid})
	require.NoError(t, err)
	require.Equal(t, block, n.Neuron.LastUpdate, "uid %d last_update", uid)
}

// requireCommit checks the hotkey's single pending commit against the
// README's window rule and returns the window.
func requireCommit(t *testing.T, c *Chain, hotkey sdk.AccAddress, hash string, block int64, tempo, revealPeriod uint64) (from, until int64) {
	t.Helper()
	cms, err := subnettypes.NewQueryClient(c.Ctx()).Commits(t.Context(), &subnettypes.QueryCommitsRequest{Netuid: 1, Hotkey: hotkey.String()})
	require.NoError(t, err)
	require.Len(t, cms.Commits, 1)
	cm := cms.Commits[0]
	require.Equal(t, hash, hex.EncodeToString(cm.Hash))
	require.Equal(t, block, cm.Block)
	from, until = epoch.RevealWindow(block, 1, tempo, revealPeriod) // netuid 1
	require.Equal(t, from, cm.RevealFrom)
	require.Equal(t, until, cm.RevealUntil)

	// and `q subnet commits` prints the hash in hex, as commit-weights did
	root := assaycmd.NewRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.PersistentFlags().String("home", t.TempDir(), "") // svrcmd.Execute adds it in the binary
	root.SetArgs([]string{"q", "subnet", "commits", "1", hotkey.String(), "--node", c.Val.RPCAddress, "-o", "json"})
	require.NoError(t, root.ExecuteContext(t.Context()))
	var printed struct {
		Commits []struct {
			Hash        string `json:"hash"`
			RevealFrom  string `json:"reveal_from"`
			RevealUntil string `json:"reveal_until"`
		} `json:"commits"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &printed), out.String())
	require.Len(t, printed.Commits, 1, out.String())
	require.Equal(t, hash, printed.Commits[0].Hash)
	require.Equal(t, strconv.FormatInt(from, 10), printed.Commits[0].RevealFrom)
	require.Equal(t, strconv.FormatInt(until, 10), printed.Commits[0].RevealUntil)
	return cm.RevealFrom, cm.RevealUntil
}

func eventAttr(t *testing.T, res sdk.TxResponse, typ, key string) string {
	t.Helper()
	for _, ev := range res.Events {
		if ev.Type != typ {
			continue
		}
		for _, a := range ev.Attributes {
			if a.Key == key {
				return strings.Trim(a.Value, `"`)
			}
		}
	}
	require.FailNow(t, "event not found", "%s.%s in %v", typ, key, res.Events)
	return ""
}

// The helpers below wait with 100 ms polls: c.WaitTx and the network's
// WaitForHeight tick once a second, which is several blocks here and too
// coarse for a reveal window a few blocks wide.

// quickTx is c.Broadcast with quickWaitTx: it signs msgs with the keyring key
// fromName, requires CheckTx to accept them and returns the delivered result.
func quickTx(t *testing.T, c *Chain, fromName string, msgs ...sdk.Msg) sdk.TxResponse {
	t.Helper()
	return quickWaitTx(t, c, c.Submit(fromName, testchain.DefaultGas, msgs...))
}

// quickWaitTx waits (up to 30 s) until txHash is in a block and returns its result.
func quickWaitTx(t *testing.T, c *Chain, txHash string) sdk.TxResponse {
	t.Helper()
	deadline := time.Now().Add(testtime.Scale(30 * time.Second))
	for {
		res, err := authtx.QueryTx(c.Ctx(), txHash)
		if err == nil {
			return *res
		}
		require.True(t, time.Now().Before(deadline), "tx %s not in a block after 30 s: %v", txHash, err)
		time.Sleep(100 * time.Millisecond)
	}
}

// chainHeight is the latest committed height.
func chainHeight(t *testing.T, c *Chain) int64 {
	t.Helper()
	st, err := c.Ctx().Client.Status(t.Context())
	require.NoError(t, err)
	return st.SyncInfo.LatestBlockHeight
}

// quickWaitHeight waits (up to 30 s) until block h is committed.
func quickWaitHeight(t *testing.T, c *Chain, h int64) {
	t.Helper()
	deadline := time.Now().Add(testtime.Scale(30 * time.Second))
	for chainHeight(t, c) < h {
		require.True(t, time.Now().Before(deadline), "height %d not reached after 30 s", h)
		time.Sleep(100 * time.Millisecond)
	}
}
