package e2e

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/dataset"
	"github.com/assay-network/assay/miner"
	"github.com/assay-network/assay/miner/model"
	synapsev1 "github.com/assay-network/assay/synapse/v1"
	"github.com/assay-network/assay/task"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// minerModel trains a small model on the committed CPS wages data (hermetic;
// the german-credit data is not in the repository) and the task a subnet
// for it declares: the built-in cps1985-wages task, judged by demographic
// parity on gender.
func minerModel(t *testing.T) (*dataset.Dataset, *model.Model, string) {
	t.Helper()
	spec := builtinTask(t, "cps1985-wages", func(s *task.Spec) {
		s.Label.Positive = "management"
		s.Fairness.BiasMetric = task.BiasDemographicParity
	})
	d := loadTask(t, spec, map[string]string{task.RoleData: repoFile(t, "dataset/testdata/cps1985-wages/data.csv")})
	m, err := model.Train(t.Context(), d, model.TrainConfig{Hidden: []int{16}, Epochs: 3, BatchSize: 16, LearnRate: 1e-2, Seed: 1})
	require.NoError(t, err)
	return d, m, spec
}

// TestMinerOnChain runs the miner's chain side against a real node: the
// chain client's queries and txs, Join (registration paid by the coldkey
// under the max-cost guard, then the axon with the model hash), permits
// read from the metagraph once a validator hotkey has stake, and the axon
// serving that validator while refusing a registered hotkey without a permit.
func TestMinerOnChain(t *testing.T) {
	c := NewChain(t, nil)
	ctx := t.Context()
	d, m, spec := minerModel(t)
	modelHash, err := m.Hash()
	require.NoError(t, err)

	res := c.Broadcast(c.Val.Moniker, &subnettypes.MsgRegisterSubnet{Owner: c.Val.Address.String(), Name: "wages", TaskSpec: spec})
	require.Zero(t, res.Code, res.RawLog)
	const netuid = 1

	cold := c.NewKey("cold")
	c.NewKey("mhot")
	c.NewKey("vhot")
	c.NewKey("nhot")
	c.Fund(50_000_000, cold)
	c.Fund(1_000_000, c.Addr("mhot")) // an account to sign MsgServeAxon

	// The miner's own client, dialled like `assay-miner serve --grpc` does.
	chain, err := client.Dial(ctx, c.Val.AppConfig.GRPC.Address, c.Ctx().Keyring, client.ChainOptions{PollInterval: 100 * time.Millisecond})
	require.NoError(t, err)
	defer chain.Close()
	require.Equal(t, c.Net.Config.ChainID, chain.ChainID())

	sn, err := chain.Subnet(ctx, netuid)
	require.NoError(t, err)
	require.Equal(t, spec, sn.TaskSpec)
	_, err = chain.Subnet(ctx, 99)
	require.Equal(t, codes.NotFound, status.Code(err), "%v", err)
	_, ok, err := chain.NeuronByHotkey(ctx, netuid, c.Addr("mhot").String())
	require.NoError(t, err)
	require.False(t, ok)
	cost, err := chain.RegistrationCost(ctx, netuid)
	require.NoError(t, err)
	require.True(t, cost.IsPositive())

	// The axon listens first so Join can announce its real address.
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	mhotSigner, err := client.NewKeyringSigner(c.Ctx().Keyring, "mhot")
	require.NoError(t, err)
	a := miner.Announce{Netuid: netuid, Hotkey: "mhot", HotkeyAdr: mhotSigner.Address(), Coldkey: "cold",
		MaxCost: cost.SubRaw(1), Endpoint: lis.Addr().String(), ModelHash: modelHash}

	// Join refuses before sending when the cost is above --max-cost: nothing paid.
	before := c.Balance(cold)
	_, err = miner.Join(ctx, chain, m, a, zerolog.Nop())
	require.ErrorContains(t, err, "above --max-cost")
	require.Equal(t, before, c.Balance(cold))

	// The chain enforces max_cost too: the simulation fails, naming it.
	_, err = chain.RegisterNeuron(ctx, "cold", "mhot", netuid, sdkmath.OneInt())
	require.ErrorContains(t, err, "max_cost")
	require.Equal(t, before, c.Balance(cold))

	a.MaxCost = cost
	uid, err := miner.Join(ctx, chain, m, a, zerolog.Nop())
	require.NoError(t, err)
	require.Equal(t, uint32(0), uid)
	require.Equal(t, before.Sub(cost), c.Balance(cold), "the coldkey paid exactly the quoted cost")

	mg, err := chain.Metagraph(ctx, netuid)
	require.NoError(t, err)
	require.Len(t, mg.Neurons, 1)
	n := mg.Neurons[0]
	require.Equal(t, mhotSigner.Address(), n.Hotkey)
	require.Equal(t, cold.String(), n.Coldkey)
	require.NotNil(t, n.Axon)
	require.Equal(t, lis.Addr().String(), n.Axon.Endpoint)
	require.Equal(t, "grpc", n.Axon.Protocol)
	require.Equal(t, modelHash, n.Axon.ModelHash)
	require.Equal(t, miner.Version, n.Axon.Version)

	// A restart with the same model pays nothing and publishes nothing.
	height := mg.Block
	uid2, err := miner.Join(ctx, chain, m, a, zerolog.Nop())
	require.NoError(t, err)
	require.Equal(t, uid, uid2)
	require.Equal(t, before.Sub(cost), c.Balance(cold))
	n2, _, err := chain.NeuronByHotkey(ctx, netuid, mhotSigner.Address())
	require.NoError(t, err)
	require.Equal(t, n.Axon, n2.Axon)
	require.LessOrEqual(t, n2.Axon.Block, height)

	// A validator hotkey with stake, and one registered without stake.
	for _, hk := range []string{"vhot", "nhot"} {
		cost, err := chain.RegistrationCost(ctx, netuid)
		require.NoError(t, err)
		_, err = chain.RegisterNeuron(ctx, "cold", hk, netuid, cost)
		require.NoError(t, err)
	}
	vhot, nhot := c.Addr("vhot").String(), c.Addr("nhot").String()
	_, err = chain.Broadcast(ctx, "cold", &subnettypes.MsgAddStake{Coldkey: cold.String(), Netuid: netuid, Hotkey: vhot,
		Amount: sn.Hyperparams.MinValidatorStake.MulRaw(2)})
	require.NoError(t, err)
	mg, err = chain.Metagraph(ctx, netuid)
	require.NoError(t, err)
	require.Len(t, mg.Neurons, 3)
	require.True(t, mg.Neurons[1].ValidatorPermit, "staked validator has a permit: %+v", mg.Neurons[1])
	require.False(t, mg.Neurons[2].ValidatorPermit)

	// The miner, as serve runs it: permits from the metagraph.
	permits := &miner.MetagraphPermits{Source: chain, Netuid: netuid}
	require.NoError(t, permits.Refresh(ctx))
	srv, err := miner.New(miner.Config{Netuid: netuid}, miner.Deps{Model: m, ModelHash: modelHash, Signer: mhotSigner,
		Permits: permits, Log: zerolog.Nop(), UID: uid})
	require.NoError(t, err)
	sctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(sctx, lis, nil) }()
	defer func() {
		stop()
		require.NoError(t, <-served)
	}()

	// A validator dials the axon the chain announces and checks the model hash.
	conn, err := grpc.NewClient(n.Axon.Endpoint, grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	defer conn.Close()
	ax := client.Axon{Hotkey: n.Hotkey, ModelHash: n.Axon.ModelHash, Conn: conn}
	var rows [][]float64
	for _, i := range d.Validation[:8] {
		rows = append(rows, d.Row(i))
	}
	req := client.NewInferRequest(netuid, rows)
	infer := func(key string) (*synapsev1.InferResponse, error) {
		s, err := client.NewKeyringSigner(c.Ctx().Keyring, key)
		require.NoError(t, err)
		return client.NewDendrite(s, nil).Infer(ctx, ax, req, 10*time.Second)
	}
	resp, err := infer("vhot")
	require.NoError(t, err)
	require.EqualValues(t, len(rows), resp.Rows)
	require.Len(t, resp.Probabilities, len(rows)*int(resp.Classes))
	require.NoError(t, client.VerifyResponse(req, resp, n.Hotkey, n.Axon.ModelHash), "a third party re-proves the answer")

	_, err = infer("nhot")
	require.Equal(t, codes.PermissionDenied, status.Code(err), "%v", err)
	require.ErrorContains(t, err, "no validator_permit")
	require.ErrorContains(t, err, nhot)

	stranger := client.NewPrivKeySigner(secp256k1.GenPrivKey())
	_, err = client.NewDendrite(stranger, nil).Infer(ctx, ax, req, 10*time.Second)
	require.Equal(t, codes.PermissionDenied, status.Code(err), "%v", err)
	require.True(t, strings.Contains(err.Error(), "not registered"), "%v", err)
}
