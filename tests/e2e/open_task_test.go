package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"cosmossdk.io/math"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/client"
	minercmd "github.com/assay-network/assay/cmd/assay-miner/cmd"
	"github.com/assay-network/assay/internal/testtime"
	"github.com/assay-network/assay/miner/model"
	"github.com/assay-network/assay/task"
	"github.com/assay-network/assay/validator"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// openTaskCSV generates a dataset no code in the repository has seen: 600
// people with a numeric protected column (age), two numeric and two nominal
// features, and a three-class label (tier) that depends on income and
// education but not on age. Deterministic for a seed.
func openTaskCSV(seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 13))
	const rows = 600
	regions := []string{"north", "south", "east", "west"}
	educations := []string{"basic", "college", "graduate"}
	type person struct {
		age, income, hours int
		region, education  string
		score              float64
	}
	ps := make([]person, rows)
	for i := range ps {
		e := r.IntN(len(educations))
		p := person{age: 18 + r.IntN(53), income: 20 + r.IntN(100), hours: 10 + r.IntN(40),
			region: regions[r.IntN(len(regions))], education: educations[e]}
		p.score = float64(p.income)/25 + 1.5*float64(e) + r.NormFloat64()*0.3
		ps[i] = p
	}
	// Terciles of the score: three classes of about 200 rows each.
	scores := make([]float64, rows)
	for i, p := range ps {
		scores[i] = p.score
	}
	slices.Sort(scores)
	lo, hi := scores[rows/3], scores[2*rows/3]
	var b bytes.Buffer
	b.WriteString("age,income,hours,region,education,tier\n")
	for _, p := range ps {
		tier := "mid"
		switch {
		case p.score < lo:
			tier = "low"
		case p.score >= hi:
			tier = "high"
		}
		fmt.Fprintf(&b, "%d,%d,%d,%s,%q,%s\n", p.age, p.income, p.hours, p.region, p.education, tier)
	}
	return b.Bytes()
}

// openTaskSpec is the task file a creator writes for that CSV: age groups
// by range, each group's counterfactual twin an age in the other group.
const openTaskSpec = `{
  "name": "e2e-open-tiers",
  "task_type": "tabular-classification",
  "dataset": {
    "format": "csv",
    "files": [{"role": "data", "sha256": "%s", "size_bytes": %d, "urls": ["%s"]}],
    "csv": {"delimiter": ",", "header": true}
  },
  "label": {"column": "tier"},
  "split": {"seed": 7, "validation_fraction": "0.3"},
  "metric": "macro_f1",
  "fairness": {
    "protected": {
      "column": "age",
      "groups": {"young": {"max": "30"}, "older": {"min": "30"}},
      "counterfactual": {"young": "45", "older": "25"}
    },
    "bias_metric": "counterfactual_flip",
    "bias_weight": "0.3"
  },
  "reward": {"baseline": "majority", "temperature": "0.05"},
  "max_latency_ms": 2000
}`

// TestOpenTaskEndToEnd is issue 13's "Done when": a creator registers a
// task on a CSV the code has never seen, served only from a loopback HTTP
// server; the register-subnet CLI checks it, a miner trains for it with
// `assay-miner train --netuid` (the task read from chain, data fetched into
// its own cache) and serves the model; a validator fetches the data by
// itself into an empty data dir; its weights reach the chain and an epoch
// pays the miner incentive.
func TestOpenTaskEndToEnd(t *testing.T) {
	start := time.Now()
	data := openTaskCSV(1)
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/tiers.csv" {
			http.NotFound(w, r)
			return
		}
		hits.Add(1)
		http.ServeContent(w, r, "tiers.csv", time.Time{}, bytes.NewReader(data))
	}))
	t.Cleanup(srv.Close)
	url := srv.URL + "/tiers.csv"
	taskFile := writeTempFile(t, "tiers.json", fmt.Sprintf(openTaskSpec, sha, len(data), url))

	c := NewChain(t, nil)
	ctx := t.Context()
	cc := c.Client()
	q := subnettypes.NewQueryClient(c.Ctx())
	owner := c.Val.Address.String()

	// The creator registers through the CLI, which fetches and checks the data first.
	hp := writeTempFile(t, "hp.json", `{"tempo": "5", "weights_rate_limit": "0", "immunity_period": "0"}`)
	hash, out := execTxOut(t, c, "register-subnet", "--task-file", taskFile, "--hyperparams-file", hp,
		"--data-dir", t.TempDir(), "--from", c.Val.Moniker)
	res := quickWaitTx(t, c, hash)
	require.Zero(t, res.Code, res.RawLog)
	for _, want := range []string{"600", "low", "mid", "high", "young", "older", "passes every check"} {
		require.Contains(t, out, want, "the data check's report")
	}
	require.EqualValues(t, 1, hits.Load(), "the CLI fetched the data once")
	const netuid = 1
	sn, err := cc.Subnet(ctx, netuid)
	require.NoError(t, err)
	s, err := sn.Task()
	require.NoError(t, err)
	wantHash, err := s.Hash()
	require.NoError(t, err)
	require.Equal(t, wantHash, sn.TaskHash)

	c.NewFundedKeys(10_000_000, "val", "miner")
	c.RegisterNeurons(netuid, "val", "miner") // UIDs 0, 1
	stake := &subnettypes.MsgAddStake{Coldkey: owner, Netuid: netuid, Hotkey: c.Addr("val").String(), Amount: math.NewInt(5_000_000)}
	res = c.Broadcast(c.Val.Moniker, stake)
	require.Zero(t, res.Code, res.RawLog)

	// The miner: `assay-miner train --netuid`, its own empty data dir.
	minerData := t.TempDir()
	modelFile := filepath.Join(t.TempDir(), "tiers-good.amdl")
	trainStart := time.Now()
	trainOut := runMinerCmd(t, "train", "--netuid", "1", "--grpc", c.Val.AppConfig.GRPC.Address,
		"--variant", model.VariantGood, "--data-dir", minerData, "--out", modelFile)
	t.Logf("train took %s:\n%s", time.Since(trainStart).Round(time.Millisecond), trainOut)
	require.Contains(t, trainOut, "task_hash:   "+sn.TaskHash)
	require.FileExists(t, filepath.Join(minerData, "sha256", sha))
	require.EqualValues(t, 2, hits.Load(), "the miner fetched the data itself")
	fetched := runMinerCmd(t, "data", "fetch", "--netuid", "1", "--grpc", c.Val.AppConfig.GRPC.Address, "--data-dir", minerData)
	require.Contains(t, fetched, "data: sha256 "+sha+fmt.Sprintf(", %d bytes, already cached", len(data)), "data fetch --netuid reads the chain's task")
	require.EqualValues(t, 2, hits.Load())
	m, _, err := model.LoadFor(modelFile, task.TypeTabular, sn.TaskHash)
	require.NoError(t, err)
	startMiner(t, c, cc, netuid, "miner", m)

	// The validator: no dataset given, an empty data dir; it fetches by itself.
	valData := t.TempDir()
	vc, err := validator.NewClientChain(cc, "val")
	require.NoError(t, err)
	signer, err := client.NewKeyringSigner(c.Ctx().Keyring, "val")
	require.NoError(t, err)
	v, err := validator.New(validator.Config{Netuid: netuid, StatePath: filepath.Join(t.TempDir(), "state.json"), DataDir: valData,
		SyncInterval: 200 * time.Millisecond, RoundInterval: 500 * time.Millisecond, BatchSize: 120, Pairs: 60, Alpha: 0.5, Seed: 3},
		validator.Deps{Chain: vc, Signer: signer, Log: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.InfoLevel)})
	require.NoError(t, err)
	vctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- v.Run(vctx) }()
	t.Cleanup(func() { cancel(); require.NoError(t, <-done) })

	// Weights on chain: the validator's row names the miner.
	var row subnettypes.WeightsRow
	require.Eventually(t, func() bool {
		r, err := q.Weights(ctx, &subnettypes.QueryWeightsRequest{Netuid: netuid, Uid: 0})
		if err != nil {
			return false
		}
		row = r.Row
		return slices.Contains(row.Uids, 1)
	}, testtime.Scale(45*time.Second), 100*time.Millisecond, "no weights for the miner reached the chain")
	require.FileExists(t, filepath.Join(valData, "sha256", sha), "the validator cached the data")
	require.EqualValues(t, 3, hits.Load(), "the validator fetched the data itself")
	t.Logf("weights at block %d: uids %v weights %v", row.Block, row.Uids, row.Weights)

	// An epoch after those weights pays the miner.
	var incentive math.LegacyDec
	require.Eventually(t, func() bool {
		mg, err := cc.Metagraph(ctx, netuid)
		if err != nil || len(mg.Neurons) < 2 {
			return false
		}
		incentive = mg.Neurons[1].Incentive
		return incentive.IsPositive()
	}, testtime.Scale(30*time.Second), 100*time.Millisecond, "no epoch paid the miner incentive")
	sc := v.State().Score(1)
	require.NotNil(t, sc)
	require.Greater(t, sc.Quality, 0.6, "the validator's macro F1 of the good miner, well above chance (1/3)")
	t.Logf("miner uid 1: incentive %s, score %.3f, %s %.3f, flip rate %.3f, rounds %d; wall time %s",
		incentive, sc.Score, s.Metric, sc.Quality, sc.Bias, sc.Rounds, time.Since(start).Round(time.Millisecond))
}

// runMinerCmd runs assay-miner in-process and returns its stdout.
func runMinerCmd(t *testing.T, args ...string) string {
	t.Helper()
	root := minercmd.NewRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(append([]string{"--log-format", "json", "--log-level", "warn"}, args...))
	require.NoError(t, root.ExecuteContext(t.Context()), "assay-miner %s: %s", strings.Join(args, " "), errOut.String())
	return out.String()
}
