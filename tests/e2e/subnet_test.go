package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	clitestutil "github.com/cosmos/cosmos-sdk/testutil/cli"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	assaycmd "github.com/assay-network/assay/cmd/assayd/cmd"
	"github.com/assay-network/assay/x/subnet/client/cli"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

func repoFile(t *testing.T, rel string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", rel))
	require.NoError(t, err)
	return p
}

func txFlags(c *Chain, from string) []string {
	return []string{"--from", from, "--yes", "--broadcast-mode", "sync", "--output", "json", "--chain-id", c.Net.Config.ChainID}
}

// execTx runs an x/subnet tx command as a user would and returns the tx hash
// once CheckTx accepted it.
func execTx(t *testing.T, c *Chain, args []string) (txHash string, err error) {
	t.Helper()
	out, err := clitestutil.ExecTestCLICmd(c.Ctx(), cli.NewTxCmd(), args)
	if err != nil {
		return "", err
	}
	var res struct {
		TxHash string `json:"txhash"`
		Code   uint32 `json:"code"`
		RawLog string `json:"raw_log"`
	}
	// The mock IO merges stderr (register-subnet's data report) into the
	// output; the tx result is the last line.
	lines := bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n"))
	require.NoError(t, json.Unmarshal(lines[len(lines)-1], &res), out.String())
	require.Zero(t, res.Code, res.RawLog)
	return res.TxHash, nil
}

// TestSubnetRegistrationFlow is DESIGN §10's walk-through over real txs: a
// subnet from the german-credit task file, three neurons, an axon, then the
// metagraph; and the errors a user meets on the way.
func TestSubnetRegistrationFlow(t *testing.T) {
	c := NewChain(t, nil)
	owner := c.Val.Moniker
	q := subnettypes.NewQueryClient(c.Ctx())
	ctx := t.Context()

	// A malformed task file is refused by the CLI, naming the field: an
	// unknown enum, and a v1 (flat) task file.
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(strings.Replace(germanCreditTask(t), `"metric":"accuracy"`, `"metric":"vibes"`, 1)), 0o600))
	_, err := execTx(t, c, append([]string{"register-subnet", "--task-file", bad}, txFlags(c, owner)...))
	require.ErrorContains(t, err, "task: metric: ")
	require.NoError(t, os.WriteFile(bad, []byte(`{"task_type":"tabular-classification","dataset":"german-credit","feature_names":["a"],"feature_count":1,"num_classes":2,"metric":"accuracy","protected_attribute":"a","bias_metric":"demographic_parity","bias_weight":"0.5","max_latency_ms":10}`), 0o600))
	_, err = execTx(t, c, append([]string{"register-subnet", "--task-file", bad}, txFlags(c, owner)...))
	require.ErrorContains(t, err, "task: feature_names: unknown field")

	// Data whose hash is not the task's is refused before anything is
	// signed: the URL and both hashes named, nothing cached, no subnet.
	wrongHashRefused(t, c, owner)

	// The built-in task: the CLI fetches its data (from the `make data`
	// cache) and checks it, then the chain stores the canonical spec and hash.
	taskFile := repoFile(t, "scripts/tasks/german-credit.json")
	hash, err := execTx(t, c, append([]string{"register-subnet", "--task-file", taskFile, "--data-dir", t.TempDir()}, txFlags(c, owner)...))
	require.NoError(t, err)
	require.Zero(t, c.WaitTx(hash).Code)

	subnet, err := q.Subnet(ctx, &subnettypes.QuerySubnetRequest{Netuid: 1})
	require.NoError(t, err)
	require.Equal(t, germanCreditTask(t), subnet.Subnet.TaskSpec)
	spec, err := subnet.Subnet.Task()
	require.NoError(t, err)
	taskHash, err := spec.Hash()
	require.NoError(t, err)
	require.Equal(t, taskHash, subnet.Subnet.TaskHash)
	require.Equal(t, "german-credit", subnet.Subnet.Name, "the name defaults to the task's")
	require.Equal(t, "personal_status", spec.Fairness.Protected.Column)
	// `assayd q subnet subnet 1` shows the task hash and the spec.
	root := assaycmd.NewRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.PersistentFlags().String("home", t.TempDir(), "") // svrcmd.Execute adds it in the binary
	root.SetArgs([]string{"q", "subnet", "subnet", "1", "--node", c.Val.RPCAddress, "-o", "json"})
	require.NoError(t, root.ExecuteContext(ctx))
	var shown struct {
		Subnet struct {
			TaskSpec string `json:"task_spec"`
			TaskHash string `json:"task_hash"`
		} `json:"subnet"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &shown), out.String())
	require.Equal(t, taskHash, shown.Subnet.TaskHash)
	require.Equal(t, subnet.Subnet.TaskSpec, shown.Subnet.TaskSpec)
	require.Equal(t, uint64(10), subnet.Subnet.Hyperparams.Tempo, "localnet genesis shortens the tempo")
	require.Equal(t, c.Val.Address.String(), subnet.Subnet.Owner)

	// Three hotkeys, registered by the owner's coldkey; each hotkey signs its
	// authorisation from the keyring.
	miners := []string{"miner1", "miner2", "miner3"}
	for _, m := range miners {
		c.NewKey(m)
	}
	_, err = execTx(t, c, append([]string{"register-neuron", "1", "--hotkey", "miner1", "--max-cost", "1"}, txFlags(c, owner)...))
	require.ErrorContains(t, err, "max_cost is 1uassay", "the simulation reports the cost guard before broadcasting")

	for _, m := range miners {
		hash, err := execTx(t, c, append([]string{"register-neuron", "1", "--hotkey", m, "--max-cost", "100000000"}, txFlags(c, owner)...))
		require.NoError(t, err)
		require.Zero(t, c.WaitTx(hash).Code)
	}
	_, err = execTx(t, c, append([]string{"register-neuron", "1", "--hotkey", "miner2", "--max-cost", "100000000"}, txFlags(c, owner)...))
	require.ErrorContains(t, err, "already registered")

	// miner1 serves an axon: it needs an account to sign, so fund it.
	rec, _ := c.Ctx().Keyring.Key("miner1")
	miner1, _ := rec.GetAddress()
	c.Fund(1_000_000, miner1)
	modelHash := strings.Repeat("ab", 32)
	res := c.Broadcast("miner1", &subnettypes.MsgServeAxon{Hotkey: miner1.String(), Netuid: 1, Endpoint: "127.0.0.1:8091", Protocol: "grpc", ModelHash: modelHash, Version: "test"})
	require.Zero(t, res.Code, res.RawLog)

	mg, err := q.Metagraph(ctx, &subnettypes.QueryMetagraphRequest{Netuid: 1})
	require.NoError(t, err)
	require.Len(t, mg.Neurons, 3)
	for i, n := range mg.Neurons {
		require.Equal(t, uint32(i), n.Uid)
		require.Equal(t, c.Val.Address.String(), n.Coldkey)
	}
	require.Equal(t, miner1.String(), mg.Neurons[0].Hotkey)
	require.NotNil(t, mg.Neurons[0].Axon)
	require.Equal(t, modelHash, mg.Neurons[0].Axon.ModelHash)
	require.Nil(t, mg.Neurons[1].Axon)

	// The costs moved: the registration cost rose with each registration.
	cost, err := q.RegistrationCost(ctx, &subnettypes.QueryRegistrationCostRequest{Netuid: 1})
	require.NoError(t, err)
	require.True(t, cost.Cost.GT(subnet.Subnet.Hyperparams.MinBurn), "cost %s above min_burn after 3 registrations", cost.Cost)

	// Unknown subnet: a clear not-found.
	_, err = q.Subnet(ctx, &subnettypes.QuerySubnetRequest{Netuid: 999})
	require.Equal(t, codes.NotFound, status.Code(err), "%v", err)
	require.ErrorContains(t, err, "netuid 999")

	// Dissolve refunds the lock and clears the neurons.
	before := c.Balance(c.Val.Address)
	res = c.Broadcast(owner, &subnettypes.MsgDissolveSubnet{Owner: c.Val.Address.String(), Netuid: 1})
	require.Zero(t, res.Code, res.RawLog)
	require.Equal(t, before.Add(subnet.Subnet.Locked), c.Balance(c.Val.Address))
	_, err = q.Metagraph(ctx, &subnettypes.QueryMetagraphRequest{Netuid: 1})
	require.Equal(t, codes.NotFound, status.Code(err))
}
