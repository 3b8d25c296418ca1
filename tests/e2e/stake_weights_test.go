package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/client/tx"
	clitestutil "github.com/cosmos/cosmos-sdk/testutil/cli"
	sdk "github.com/cosmos/cosmos-sdk/types"
	grpctypes "github.com/cosmos/cosmos-sdk/types/grpc"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/metadata"

	"github.com/assay-network/assay/app"
	assaycmd "github.com/assay-network/assay/cmd/assayd/cmd"
	"github.com/assay-network/assay/x/subnet/client/cli"
	"github.com/assay-network/assay/x/subnet/epoch"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// TestStakeAndWeights is issue 4's walk-through over real txs: two validator
// hotkeys are staked by two coldkeys, set weights in the clear, then through
// commit-reveal, and the metagraph shows stake, permits and last_update; the
// errors a user meets on the way (rate limit, commit-reveal on, mismatched
// reveal, removing more than owned) come back with their amounts and blocks.
func TestStakeAndWeights(t *testing.T) {
	c := NewChain(t, nil)
	owner := c.Val.Moniker
	q := subnettypes.NewQueryClient(c.Ctx())
	ctx := t.Context()
	const netuid = 1
	const tempo, rateLimit = 7, 100 // epochs of 8 blocks

	// 1. A quick subnet with commit-reveal off, two validators and two miners.
	hp := writeTempFile(t, "hp.json", fmt.Sprintf(`{"tempo": "%d", "weights_rate_limit": "%d", "commit_reveal": false}`, tempo, rateLimit))
	mustExecTx(t, c, "register-subnet", "--task-file", repoFile(t, "scripts/tasks/german-credit.json"), "--hyperparams-file", hp, "--from", owner)
	sres, err := q.Subnet(ctx, &subnettypes.QuerySubnetRequest{Netuid: netuid})
	require.NoError(t, err)
	shp := sres.Subnet.Hyperparams
	require.Equal(t, uint64(tempo), shp.Tempo)
	require.Equal(t, uint64(rateLimit), shp.WeightsRateLimit)
	require.False(t, shp.CommitReveal)
	minValStake := shp.MinValidatorStake
	require.Equal(t, math.NewInt(1_000_000), minValStake, "default min_validator_stake is 1 ASSAY")

	names := []string{"vali1", "vali2", "miner1", "miner2"} // UIDs 0..3 in this order
	addr := map[string]sdk.AccAddress{}
	for _, n := range names {
		addr[n] = c.NewKey(n)
		mustExecTx(t, c, "register-neuron", strconv.Itoa(netuid), "--hotkey", n, "--max-cost", "100000000", "--from", owner)
	}
	for i, n := range names {
		nr, err := q.NeuronByHotkey(ctx, &subnettypes.QueryNeuronByHotkeyRequest{Netuid: netuid, Hotkey: addr[n].String()})
		require.NoError(t, err)
		require.Equal(t, uint32(i), nr.Neuron.Uid, n)
	}
	// The validator hotkeys sign their own weights txs: they need accounts.
	delegator := c.NewKey("delegator")
	fund := func(to sdk.AccAddress, amount int64) sdk.Msg {
		return banktypes.NewMsgSend(c.Val.Address, to, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, amount)))
	}
	res := quickTx(t, c, owner, fund(addr["vali1"], 1_000_000), fund(addr["vali2"], 1_000_000), fund(delegator, 20_000_000))
	require.Zero(t, res.Code, res.RawLog)

	// 2. Two coldkeys stake: the owner through the CLI, a delegator with a Msg.
	mustExecTx(t, c, "add-stake", strconv.Itoa(netuid), addr["vali1"].String(), "5000000uassay", "--from", owner)
	before := c.Balance(delegator)
	res = quickTx(t, c, "delegator", &subnettypes.MsgAddStake{Coldkey: delegator.String(), Netuid: netuid, Hotkey: addr["vali2"].String(), Amount: math.NewInt(3_000_000)})
	require.Zero(t, res.Code, res.RawLog)
	require.Equal(t, before.SubRaw(3_000_000), c.Balance(delegator), "the stake left the delegator's account")
	// A stake below min_validator_stake gives no permit.
	res = quickTx(t, c, "delegator", &subnettypes.MsgAddStake{Coldkey: delegator.String(), Netuid: netuid, Hotkey: addr["miner1"].String(), Amount: math.NewInt(1_000)})
	require.Zero(t, res.Code, res.RawLog)

	mg := metagraphAt(t, c, res.Height)
	require.Len(t, mg.Neurons, 4)
	requireStakeMirrorsPools(t, c, mg, res.Height)
	require.True(t, mg.Neurons[0].Stake.GTE(math.NewInt(5_000_000)), "vali1 stake %s", mg.Neurons[0].Stake)
	require.True(t, mg.Neurons[1].Stake.GTE(math.NewInt(3_000_000)), "vali2 stake %s", mg.Neurons[1].Stake)
	require.Equal(t, math.NewInt(1_000), mg.Neurons[2].Stake)
	require.True(t, mg.Neurons[3].Stake.IsZero())
	require.Equal(t, []bool{true, true, false, false}, permitsOf(mg), "validators hold permits; miner1's 1000uassay is below min_validator_stake")
	for _, n := range mg.Neurons {
		require.Zero(t, n.LastUpdate, "uid %d has never set weights", n.Uid)
	}
	pos, err := q.StakeByAddress(ctx, &subnettypes.QueryStakeByAddressRequest{Address: delegator.String()})
	require.NoError(t, err)
	require.Len(t, pos.Positions, 2)
	require.Equal(t, math.NewInt(3_000_000*subnettypes.ShareScale), positionOn(t, pos, addr["vali2"]).Shares, "first deposit into an empty pool mints ShareScale per uassay")

	// 3. Commit-reveal off: plain weights.
	h1 := mustExecTx(t, c, "set-weights", strconv.Itoa(netuid), "3=50,2=100", "--from", "vali1").Height
	requireWeights(t, c, 0, []uint32{2, 3}, []uint32{100, 50}, h1)
	res = quickTx(t, c, "vali2", &subnettypes.MsgSetWeights{Hotkey: addr["vali2"].String(), Netuid: netuid, Uids: []uint32{3, 2, 0}, Weights: []uint32{7, 3, 0}})
	require.Zero(t, res.Code, res.RawLog)
	h2set := res.Height
	requireWeights(t, c, 1, []uint32{2, 3}, []uint32{3, 7}, h2set) // zeros dropped, sorted by uid
	mg = metagraphAt(t, c, h2set)
	require.Equal(t, []int64{h1, h2set, 0, 0}, lastUpdatesOf(mg))

	_, err = execTx(t, c, append([]string{"set-weights", strconv.Itoa(netuid), "2=1,3=1"}, txFlags(c, "vali1")...))
	require.ErrorContains(t, err, "weights set too fast", "the CLI's simulation refuses a second set within weights_rate_limit")
	require.ErrorContains(t, err, fmt.Sprintf("set weights at block %d: next allowed at block %d", h1, h1+rateLimit))
	requireWeights(t, c, 0, []uint32{2, 3}, []uint32{100, 50}, h1)

	// 4. Commit-reveal on, through the owner's hyperparameter overlay.
	cr := writeTempFile(t, "cr.json", `{"commit_reveal": true, "reveal_period": "1"}`)
	mustExecTx(t, c, "update-hyperparams", strconv.Itoa(netuid), "--hyperparams-file", cr, "--from", owner)
	sres, err = q.Subnet(ctx, &subnettypes.QuerySubnetRequest{Netuid: netuid})
	require.NoError(t, err)
	require.True(t, sres.Subnet.Hyperparams.CommitReveal)
	require.Equal(t, uint64(1), sres.Subnet.Hyperparams.RevealPeriod)
	require.Equal(t, uint64(tempo), sres.Subnet.Hyperparams.Tempo, "fields absent from the file keep their values")

	_, err = execTx(t, c, append([]string{"set-weights", strconv.Itoa(netuid), "2=1,3=1"}, txFlags(c, "vali2")...))
	require.ErrorContains(t, err, "commit weights, then reveal them")

	// Commit early in an epoch so the window (the next epoch) is still ahead
	// when the too-early reveal is tried.
	quickWaitHeight(t, c, epoch.Next(chainHeight(t, c), uint16(netuid), tempo))

	// vali1 commits through the CLI (random salt, kept under the client's home).
	hash, out := execTxOut(t, c, "commit-weights", strconv.Itoa(netuid), "3=40,2=60", "--from", "vali1")
	m := regexp.MustCompile(`commit hash ([0-9a-f]{64})`).FindStringSubmatch(out)
	require.NotNil(t, m, out)
	commit1 := m[1]
	cres := quickWaitTx(t, c, hash)
	require.Zero(t, cres.Code, cres.RawLog)
	from1, until1 := requireCommit(t, c, addr["vali1"], commit1, cres.Height, tempo)

	// Too early: the window has not opened; the CLI's simulation says when it does.
	require.Less(t, chainHeight(t, c)+1, from1, "test timing: the reveal window must still be ahead")
	_, err = execTx(t, c, append([]string{"reveal-weights", strconv.Itoa(netuid)}, txFlags(c, "vali1")...))
	require.ErrorContains(t, err, "reveal before the commit's reveal window")
	require.ErrorContains(t, err, fmt.Sprintf("can be revealed in blocks %d..%d", from1, until1))

	stored, path, err := cli.FindStoredCommit(c.Ctx().HomeDir, netuid, addr["vali1"], "")
	require.NoError(t, err)
	require.Equal(t, cli.CommitPath(c.Ctx().HomeDir, netuid, addr["vali1"].String(), commit1), path)
	require.Contains(t, out, path)
	require.Equal(t, []uint32{3, 2}, stored.UIDs, "stored in the order given: the hash covers that order")
	require.Equal(t, []uint32{40, 60}, stored.Weights)
	salt1, err := hex.DecodeString(stored.Salt)
	require.NoError(t, err)
	require.Len(t, salt1, 32)
	require.Equal(t, commit1, hex.EncodeToString(readmeCommitHash(netuid, addr["vali1"], []uint16{3, 2}, []uint16{40, 60}, salt1, 0)),
		"the CLI's hash is the README's encoding")

	// vali2 commits with a Msg, the hash built from the README's encoding.
	salt2 := []byte("0123456789abcdef")
	h2 := readmeCommitHash(netuid, addr["vali2"], []uint16{2, 3}, []uint16{1, 2}, salt2, 0)
	require.Equal(t, h2, subnettypes.WeightsCommitHash(netuid, addr["vali2"], []uint32{2, 3}, []uint32{1, 2}, salt2, 0))
	res = quickTx(t, c, "vali2", &subnettypes.MsgCommitWeights{Hotkey: addr["vali2"].String(), Netuid: netuid, Hash: h2})
	require.Zero(t, res.Code, res.RawLog)
	from2, until2 := requireCommit(t, c, addr["vali2"], hex.EncodeToString(h2), res.Height, tempo)

	// A reveal whose weights differ from the commit fails in the block, and
	// the commit stays pending.
	altered := []uint32{2, 1}
	res = quickTx(t, c, "vali2", &subnettypes.MsgRevealWeights{Hotkey: addr["vali2"].String(), Netuid: netuid, Uids: []uint32{2, 3}, Weights: altered, Salt: salt2})
	require.Equal(t, subnettypes.ErrRevealMismatch.ABCICode(), res.Code, res.RawLog)
	require.Equal(t, subnettypes.ModuleName, res.Codespace)
	require.Contains(t, res.RawLog, fmt.Sprintf("%X", subnettypes.WeightsCommitHash(netuid, addr["vali2"], []uint32{2, 3}, altered, salt2, 0)), "names the hash it computed")
	require.Contains(t, res.RawLog, "1 pending commits")
	cms, err := q.Commits(ctx, &subnettypes.QueryCommitsRequest{Netuid: netuid, Hotkey: addr["vali2"].String()})
	require.NoError(t, err)
	require.Len(t, cms.Commits, 1)
	requireWeights(t, c, 1, []uint32{2, 3}, []uint32{3, 7}, h2set)

	// In its window each reveals: vali1 through the CLI (it reads the stored
	// file), vali2 by Msg.
	// One block into the window: the CLI simulates against the last
	// committed state, whose height may still be from1-1 when from1 appears.
	quickWaitHeight(t, c, from1+1)
	rres := mustExecTx(t, c, "reveal-weights", strconv.Itoa(netuid), "--from", "vali1")
	require.GreaterOrEqual(t, rres.Height, from1)
	require.LessOrEqual(t, rres.Height, until1, "revealed inside the window")
	require.Equal(t, "true", eventAttr(t, rres, "assay.subnet.v1.EventWeightsSet", "revealed"))
	requireWeights(t, c, 0, []uint32{2, 3}, []uint32{60, 40}, rres.Height)

	quickWaitHeight(t, c, from2)
	res = quickTx(t, c, "vali2", &subnettypes.MsgRevealWeights{Hotkey: addr["vali2"].String(), Netuid: netuid, Uids: []uint32{2, 3}, Weights: []uint32{1, 2}, Salt: salt2})
	require.Zero(t, res.Code, res.RawLog)
	require.LessOrEqual(t, res.Height, until2)
	requireWeights(t, c, 1, []uint32{2, 3}, []uint32{1, 2}, res.Height)
	mg = metagraphAt(t, c, res.Height)
	require.Equal(t, []int64{rres.Height, res.Height, 0, 0}, lastUpdatesOf(mg), "reveals move last_update")
	for _, hk := range []string{"vali1", "vali2"} {
		cms, err := q.Commits(ctx, &subnettypes.QueryCommitsRequest{Netuid: netuid, Hotkey: addr[hk].String()})
		require.NoError(t, err)
		require.Empty(t, cms.Commits, "%s's commit was opened", hk)
	}

	// 5. Removing stake.
	_, err = execTx(t, c, append([]string{"remove-stake", strconv.Itoa(netuid), addr["vali2"].String(), "1000000000"}, txFlags(c, "delegator")...))
	require.ErrorContains(t, err, "insufficient stake")
	m = regexp.MustCompile(`removing 1000000000uassay but ` + delegator.String() + ` has (\d+)uassay staked on ` + addr["vali2"].String()).FindStringSubmatch(err.Error())
	require.NotNil(t, m, "the error names both amounts: %v", err)
	held, ok := math.NewIntFromString(m[1])
	require.True(t, ok)
	require.True(t, held.GTE(math.NewInt(3_000_000)), "held %s", held)

	before = c.Balance(delegator)
	res = quickTx(t, c, "delegator", &subnettypes.MsgRemoveStake{Coldkey: delegator.String(), Netuid: netuid, Hotkey: addr["vali2"].String(), Amount: math.NewInt(1_000_000)})
	require.Zero(t, res.Code, res.RawLog)
	require.Equal(t, before.AddRaw(1_000_000), c.Balance(delegator), "a partial removal pays the amount back to the coldkey")
	mg = metagraphAt(t, c, res.Height)
	requireStakeMirrorsPools(t, c, mg, res.Height)
	require.True(t, mg.Neurons[1].ValidatorPermit, "2 ASSAY left is still above min_validator_stake")

	// Topping miner1 up to exactly min_validator_stake earns a permit; taking
	// all of it out loses it and pays the whole position back.
	res = quickTx(t, c, "delegator", &subnettypes.MsgAddStake{Coldkey: delegator.String(), Netuid: netuid, Hotkey: addr["miner1"].String(), Amount: minValStake.SubRaw(1_000)})
	require.Zero(t, res.Code, res.RawLog)
	mg = metagraphAt(t, c, res.Height)
	require.Equal(t, minValStake, mg.Neurons[2].Stake)
	require.True(t, mg.Neurons[2].ValidatorPermit, "stake == min_validator_stake holds a permit")

	before = c.Balance(delegator)
	res = quickTx(t, c, "delegator", &subnettypes.MsgRemoveStake{Coldkey: delegator.String(), Netuid: netuid, Hotkey: addr["miner1"].String(), Amount: minValStake})
	require.Zero(t, res.Code, res.RawLog)
	require.Equal(t, before.Add(minValStake), c.Balance(delegator))
	mg = metagraphAt(t, c, res.Height)
	require.True(t, mg.Neurons[2].Stake.IsZero())
	require.False(t, mg.Neurons[2].ValidatorPermit, "no stake, no permit")
	pos, err = q.StakeByAddress(ctx, &subnettypes.QueryStakeByAddressRequest{Address: delegator.String()})
	require.NoError(t, err)
	require.Len(t, pos.Positions, 1, "the emptied position is gone")
	require.Equal(t, addr["vali2"].String(), pos.Positions[0].Hotkey)
}

// readmeCommitHash is x/subnet README's commit hash, written out here from
// the spec so the test notices if the chain or the CLI drift from it.
func readmeCommitHash(netuid uint16, hotkey sdk.AccAddress, uids, weights []uint16, salt []byte, versionKey uint64) []byte {
	var b []byte
	b = binary.BigEndian.AppendUint16(b, netuid)
	b = append(b, byte(len(hotkey)))
	b = append(b, hotkey...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(uids)))
	for _, u := range uids {
		b = binary.BigEndian.AppendUint16(b, u)
	}
	b = binary.BigEndian.AppendUint32(b, uint32(len(weights)))
	for _, w := range weights {
		b = binary.BigEndian.AppendUint16(b, w)
	}
	b = binary.BigEndian.AppendUint32(b, uint32(len(salt)))
	b = append(b, salt...)
	b = binary.BigEndian.AppendUint64(b, versionKey)
	h := sha256.Sum256(b)
	return h[:]
}

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
func requireCommit(t *testing.T, c *Chain, hotkey sdk.AccAddress, hash string, block int64, tempo uint64) (from, until int64) {
	t.Helper()
	cms, err := subnettypes.NewQueryClient(c.Ctx()).Commits(t.Context(), &subnettypes.QueryCommitsRequest{Netuid: 1, Hotkey: hotkey.String()})
	require.NoError(t, err)
	require.Len(t, cms.Commits, 1)
	cm := cms.Commits[0]
	require.Equal(t, hash, hex.EncodeToString(cm.Hash))
	require.Equal(t, block, cm.Block)
	from, until = epoch.RevealWindow(block, 1, tempo, 1) // netuid 1, reveal_period 1
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
	rec, err := c.Ctx().Keyring.Key(fromName)
	require.NoError(t, err)
	from, err := rec.GetAddress()
	require.NoError(t, err)
	ctx := c.Ctx().WithFromName(fromName).WithFromAddress(from).WithBroadcastMode("sync").WithSkipConfirmation(true).WithOutput(discard{})
	txf := tx.Factory{}.
		WithChainID(c.Net.Config.ChainID).WithKeybase(ctx.Keyring).WithTxConfig(ctx.TxConfig).
		WithAccountRetriever(ctx.AccountRetriever).WithGas(1_000_000).WithSignMode(signing.SignMode_SIGN_MODE_DIRECT)
	txf, err = txf.Prepare(ctx)
	require.NoError(t, err)
	builder, err := txf.BuildUnsignedTx(msgs...)
	require.NoError(t, err)
	require.NoError(t, tx.Sign(t.Context(), txf, fromName, builder, true))
	bz, err := ctx.TxConfig.TxEncoder()(builder.GetTx())
	require.NoError(t, err)
	res, err := ctx.BroadcastTx(bz)
	require.NoError(t, err)
	require.Zero(t, res.Code, "CheckTx rejected: %s", res.RawLog)
	return quickWaitTx(t, c, res.TxHash)
}

// quickWaitTx waits (up to 30 s) until txHash is in a block and returns its result.
func quickWaitTx(t *testing.T, c *Chain, txHash string) sdk.TxResponse {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
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
	deadline := time.Now().Add(30 * time.Second)
	for chainHeight(t, c) < h {
		require.True(t, time.Now().Before(deadline), "height %d not reached after 30 s", h)
		time.Sleep(100 * time.Millisecond)
	}
}
