package e2e

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/app"
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
	// A reveal period of two epochs: the window opens a whole epoch after
	// the commit's, so the too-early reveal below never races it, however
	// long the CLI takes to sign and broadcast on a busy machine.
	const revealPeriod = 2
	cr := writeTempFile(t, "cr.json", fmt.Sprintf(`{"commit_reveal": true, "reveal_period": "%d"}`, revealPeriod))
	mustExecTx(t, c, "update-hyperparams", strconv.Itoa(netuid), "--hyperparams-file", cr, "--from", owner)
	sres, err = q.Subnet(ctx, &subnettypes.QuerySubnetRequest{Netuid: netuid})
	require.NoError(t, err)
	require.True(t, sres.Subnet.Hyperparams.CommitReveal)
	require.Equal(t, uint64(revealPeriod), sres.Subnet.Hyperparams.RevealPeriod)
	require.Equal(t, uint64(tempo), sres.Subnet.Hyperparams.Tempo, "fields absent from the file keep their values")

	_, err = execTx(t, c, append([]string{"set-weights", strconv.Itoa(netuid), "2=1,3=1"}, txFlags(c, "vali2")...))
	require.ErrorContains(t, err, "commit weights, then reveal them")

	// Commit early in an epoch so the window (two epochs on) is well ahead
	// when the too-early reveal is tried.
	quickWaitHeight(t, c, epoch.Next(chainHeight(t, c), uint16(netuid), tempo))

	// vali1 commits through the CLI (random salt, kept under the client's home).
	hash, out := execTxOut(t, c, "commit-weights", strconv.Itoa(netuid), "3=40,2=60", "--from", "vali1")
	m := regexp.MustCompile(`commit hash ([0-9a-f]{64})`).FindStringSubmatch(out)
	require.NotNil(t, m, out)
	commit1 := m[1]
	cres := quickWaitTx(t, c, hash)
	require.Zero(t, cres.Code, cres.RawLog)
	from1, until1 := requireCommit(t, c, addr["vali1"], commit1, cres.Height, tempo, revealPeriod)

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
	from2, until2 := requireCommit(t, c, addr["vali2"], hex.EncodeToString(h2), res.Height, tempo, revealPeriod)

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
