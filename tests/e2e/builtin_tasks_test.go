package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"cosmossdk.io/math"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/internal/testtime"
	"github.com/assay-network/assay/miner/model"
	"github.com/assay-network/assay/task"
	"github.com/assay-network/assay/validator"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// builtinE2E is one built-in task in TestBuiltinTasksEndToEnd: its file and
// the epochs its good model trains for (0: the recipe's).
var builtinE2E = []struct {
	name   string
	epochs int
}{
	{"german-credit", 0},
	{"cps1985-wages", 0},
	{"mnist", 1}, // the recipe's 3 take ~3× as long; one epoch is ~0.95 accurate
}

// loopbackCache serves the `make data` cache (data/sha256/<hex>) at
// /sha256/<hex> and counts the requests for each hash.
type loopbackCache struct {
	dir  string
	mu   sync.Mutex
	hits map[string]int
}

func (l *loopbackCache) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sha, ok := strings.CutPrefix(r.URL.Path, "/sha256/")
	if !ok || len(sha) != 64 || strings.Trim(sha, "0123456789abcdef") != "" {
		http.NotFound(w, r)
		return
	}
	l.mu.Lock()
	l.hits[sha]++
	l.mu.Unlock()
	http.ServeFile(w, r, filepath.Join(l.dir, sha))
}

func (l *loopbackCache) count(sha string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.hits[sha]
}

// loopbackTask is the built-in task file name with every file's URLs
// replaced by the loopback server's: same data (hash, size), so the same
// rows, split and encoder. The URLs are part of the canonical spec, so its
// task hash is not the built-in file's. It skips when `make data` has not
// filled cacheDir.
func loopbackTask(t *testing.T, name, cacheDir, baseURL string) task.Spec {
	t.Helper()
	raw, err := os.ReadFile(repoFile(t, "scripts/tasks/"+name+".json"))
	require.NoError(t, err)
	s, err := task.Parse(raw)
	require.NoError(t, err)
	for i, f := range s.Dataset.Files {
		if _, err := os.Stat(filepath.Join(cacheDir, f.SHA256)); err != nil {
			t.Skipf("%s: %s (sha256 %s) is not in %s; run `make data`", name, f.Role, f.SHA256, cacheDir)
		}
		s.Dataset.Files[i].URLs = []string{baseURL + "/sha256/" + f.SHA256}
	}
	return s
}

// TestBuiltinTasksEndToEnd is issue 13's "the same flow passes for the
// three built-in task files": on one chain, each of german-credit,
// cps1985-wages and MNIST is registered through the CLI (data check
// included) with its files served from loopback; a miner trains its good
// model with `assay-miner train --netuid` and serves it; a validator per
// subnet fetches the data by itself into an empty data dir; its weights
// reach the chain and an epoch pays the miner incentive.
func TestBuiltinTasksEndToEnd(t *testing.T) {
	start := time.Now()
	cache := &loopbackCache{dir: repoFile(t, "data/sha256"), hits: map[string]int{}}
	srv := httptest.NewServer(cache)
	t.Cleanup(srv.Close)
	specs := make([]task.Spec, len(builtinE2E))
	for i, b := range builtinE2E {
		specs[i] = loopbackTask(t, b.name, cache.dir, srv.URL)
	}

	c := NewChain(t, nil)
	ctx := t.Context()
	cc := c.Client()
	q := subnettypes.NewQueryClient(c.Ctx())
	grpcAddr := c.Val.AppConfig.GRPC.Address

	// One validator and one miner hotkey per subnet: validators signing
	// from one account at once would race for its sequence.
	var keys []string
	for i := range specs {
		keys = append(keys, fmt.Sprintf("val%d", i+1), fmt.Sprintf("miner%d", i+1))
	}
	c.NewFundedKeys(10_000_000, keys...)

	hp := writeTempFile(t, "hp.json", `{"tempo": "5", "weights_rate_limit": "0", "immunity_period": "0"}`)
	minerData := t.TempDir()
	validators := make([]*validator.Validator, len(specs))
	valData := make([]string, len(specs))
	valBefore := make([][]int, len(specs))
	for i, s := range specs {
		netuid := uint32(i + 1)
		canonical, err := s.Canonical()
		require.NoError(t, err)
		taskHash, err := s.Hash()
		require.NoError(t, err)

		// The creator registers through the CLI, which checks the data first.
		taskFile := writeTempFile(t, s.Name+".json", string(canonical))
		hash, out := execTxOut(t, c, "register-subnet", "--task-file", taskFile, "--hyperparams-file", hp,
			"--data-dir", t.TempDir(), "--from", c.Val.Moniker)
		res := quickWaitTx(t, c, hash)
		require.Zero(t, res.Code, res.RawLog)
		require.Contains(t, out, "passes every check", s.Name)
		sn, err := cc.Subnet(ctx, uint16(netuid))
		require.NoError(t, err)
		require.Equal(t, taskHash, sn.TaskHash, "%s is subnet %d", s.Name, netuid)

		val, miner := keys[2*i], keys[2*i+1]
		c.RegisterNeurons(uint16(netuid), val, miner) // UIDs 0, 1
		stake := &subnettypes.MsgAddStake{Coldkey: c.Val.Address.String(), Netuid: netuid, Hotkey: c.Addr(val).String(), Amount: math.NewInt(5_000_000)}
		res = c.Broadcast(c.Val.Moniker, stake)
		require.Zero(t, res.Code, res.RawLog)

		// The miner: `assay-miner train --netuid`, data fetched from loopback.
		before := fileHits(cache, s)
		modelFile := filepath.Join(t.TempDir(), s.Name+"-good.amdl")
		args := []string{"train", "--netuid", fmt.Sprint(netuid), "--grpc", grpcAddr,
			"--variant", model.VariantGood, "--data-dir", minerData, "--out", modelFile}
		if e := builtinE2E[i].epochs; e > 0 {
			args = append(args, "--epochs", fmt.Sprint(e))
		}
		trainStart := time.Now()
		trainOut := runMinerCmd(t, args...)
		t.Logf("%s: train took %s:\n%s", s.Name, time.Since(trainStart).Round(time.Millisecond), trainOut)
		require.Contains(t, trainOut, "task_hash:   "+taskHash)
		requireFetchedOnce(t, cache, s, before, minerData, "the miner")
		m, _, err := model.LoadFor(modelFile, s.TaskType, taskHash)
		require.NoError(t, err)
		startMiner(t, c, cc, netuid, miner, m)

		// The validator: no dataset given, its own empty data dir.
		valData[i], valBefore[i] = t.TempDir(), fileHits(cache, s)
		validators[i] = startDataDirValidator(t, c, cc, uint16(netuid), val, valData[i])
	}

	for i, s := range specs {
		netuid := uint32(i + 1)
		var row subnettypes.WeightsRow
		require.Eventually(t, func() bool {
			r, err := q.Weights(ctx, &subnettypes.QueryWeightsRequest{Netuid: netuid, Uid: 0})
			if err != nil {
				return false
			}
			row = r.Row
			return slices.Contains(row.Uids, 1)
		}, testtime.Scale(90*time.Second), 100*time.Millisecond, "%s: no weights for the miner reached the chain", s.Name)
		requireFetchedOnce(t, cache, s, valBefore[i], valData[i], "the validator")

		var incentive math.LegacyDec
		require.Eventually(t, func() bool {
			mg, err := cc.Metagraph(ctx, uint16(netuid))
			if err != nil || len(mg.Neurons) < 2 {
				return false
			}
			incentive = mg.Neurons[1].Incentive
			return incentive.IsPositive()
		}, testtime.Scale(30*time.Second), 100*time.Millisecond, "%s: no epoch paid the miner incentive", s.Name)
		sc := validators[i].State().Score(1)
		require.NotNil(t, sc)
		require.Positive(t, sc.Score, s.Name)
		t.Logf("%s (netuid %d): weights %v at block %d; miner incentive %s, score %.3f, %s %.3f, bias %.3f, rounds %d",
			s.Name, netuid, row.Weights, row.Block, incentive, sc.Score, s.Metric, sc.Quality, sc.Bias, sc.Rounds)
	}
	t.Logf("wall time %s", time.Since(start).Round(time.Millisecond))
}

// fileHits is how often the loopback server has sent each of s's files.
func fileHits(cache *loopbackCache, s task.Spec) []int {
	out := make([]int, len(s.Dataset.Files))
	for i, f := range s.Dataset.Files {
		out[i] = cache.count(f.SHA256)
	}
	return out
}

// requireFetchedOnce checks that who fetched each of s's files from the
// loopback server exactly once since before, into dataDir's cache.
func requireFetchedOnce(t *testing.T, cache *loopbackCache, s task.Spec, before []int, dataDir, who string) {
	t.Helper()
	for i, f := range s.Dataset.Files {
		require.Equal(t, before[i]+1, cache.count(f.SHA256), "%s: %s fetched %s itself, once", s.Name, who, f.Role)
		require.FileExists(t, filepath.Join(dataDir, "sha256", f.SHA256), "%s: %s cached %s", s.Name, who, f.Role)
	}
}

// startDataDirValidator runs a validator for netuid that loads the
// subnet's task itself into dataDir, until the test ends.
func startDataDirValidator(t *testing.T, c *Chain, cc *client.Chain, netuid uint16, key, dataDir string) *validator.Validator {
	t.Helper()
	vc, err := validator.NewClientChain(cc, key)
	require.NoError(t, err)
	signer, err := client.NewKeyringSigner(c.Ctx().Keyring, key)
	require.NoError(t, err)
	v, err := validator.New(validator.Config{Netuid: netuid, StatePath: filepath.Join(t.TempDir(), "state.json"), DataDir: dataDir,
		SyncInterval: 200 * time.Millisecond, RoundInterval: 500 * time.Millisecond, BatchSize: 120, Pairs: 60, Alpha: 0.5, Seed: 3},
		validator.Deps{Chain: vc, Signer: signer, Log: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)})
	require.NoError(t, err)
	vctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- v.Run(vctx) }()
	t.Cleanup(func() { cancel(); require.NoError(t, <-done) })
	return v
}
