package gateway_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"cosmossdk.io/math"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/gateway"
	"github.com/assay-network/assay/miner/model"
	"github.com/assay-network/assay/task"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// tiersCSV is a dataset no code in the repository names: a three-class
// label from income and education, a nominal region, a numeric age.
func tiersCSV(seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 13))
	regions := []string{"north", "south", "east", "west"}
	educations := []string{"basic", "college", "graduate"}
	var b bytes.Buffer
	b.WriteString("age,income,region,education,tier\n")
	for range 450 {
		e := r.IntN(3)
		income := 20 + r.IntN(100)
		score := float64(income)/25 + 1.5*float64(e) + r.NormFloat64()*0.3
		tier := "mid"
		switch {
		case score < 3.2:
			tier = "low"
		case score >= 4.8:
			tier = "high"
		}
		fmt.Fprintf(&b, "%d,%d,%s,%s,%s\n", 18+r.IntN(53), income, regions[r.IntN(4)], educations[e], tier)
	}
	return b.Bytes()
}

const tiersSpec = `{
  "name": "gateway-e2e-tiers",
  "task_type": "tabular-classification",
  "dataset": {"format": "csv", "files": [{"role": "data", "sha256": "%s", "size_bytes": %d, "urls": ["%s"]}],
              "csv": {"delimiter": ",", "header": true}},
  "label": {"column": "tier"},
  "split": {"seed": 7, "validation_fraction": "0.3"},
  "metric": "macro_f1",
  "reward": {"baseline": "majority", "temperature": "0.05"},
  "max_latency_ms": 1500
}`

// TestGatewayServesBuiltinAndRegisteredTasks: one gateway serving three
// subnets, the built-in cps1985-wages and MNIST tasks (784 pixel columns
// per row) and a task registered in the test on a CSV served from loopback,
// each with a miner (trained here, MNIST's from `make models`); every
// answer's receipts verify against the chain.
func TestGatewayServesBuiltinAndRegisteredTasks(t *testing.T) {
	data := tiersCSV(1)
	sum := sha256.Sum256(data)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "tiers.csv", time.Time{}, bytes.NewReader(data))
	}))
	t.Cleanup(srv.Close)
	s, err := task.Parse(fmt.Appendf(nil, tiersSpec, hex.EncodeToString(sum[:]), len(data), srv.URL+"/tiers.csv"))
	require.NoError(t, err)
	canonical, err := s.Canonical()
	require.NoError(t, err)
	specs := map[string]string{"wages": builtinTask(t, "cps1985-wages"), "digits": builtinTask(t, "mnist"), "tiers": string(canonical)}
	names := []string{"wages", "digits", "tiers"}

	c := newChain(t)
	cc := c.Client()
	hp := subnettypes.DefaultHyperparams()
	hp.Tempo, hp.CommitReveal, hp.WeightsRateLimit, hp.ImmunityPeriod = 4, false, 0, 0
	hp.MinValidatorStake = math.NewInt(1)
	c.NewFundedKeys(10_000_000, "val", "wages-miner", "digits-miner", "tiers-miner")
	netuids := map[string]uint16{}
	var served []uint16
	for _, name := range names {
		d := loadTask(t, specs[name])
		var m *model.Model
		if name == "digits" { // `make models` trained it; training here would take ~30 s
			m, _, err = model.LoadFor(repoFile(t, filepath.Join("models", "mnist-good.amdl")), d.Task, d.TaskHash)
			if err != nil {
				t.Skipf("models/mnist-good.amdl: %v (run `make models`)", err)
			}
		} else {
			m, err = model.TrainReference(t.Context(), d, model.VariantGood, 1, 0, zerolog.Nop())
			require.NoError(t, err)
		}
		n := c.registerSubnet(name, specs[name], hp)
		c.RegisterNeurons(n, "val", name+"-miner") // UIDs 0, 1
		c.Deliver(c.Val.Moniker, &subnettypes.MsgAddStake{Coldkey: c.Val.Address.String(), Netuid: uint32(n), Hotkey: c.Addr("val").String(), Amount: math.NewInt(1_000_000)})
		c.startMiner(cc, n, name+"-miner", m)
		netuids[name] = n
		served = append(served, n)
	}
	appKey, appDef := newKey("app", 0, 0)
	keys, err := gateway.NewKeys(gateway.KeysFile{Key: []gateway.KeyDef{appDef}})
	require.NoError(t, err)
	gw := startGateway(t, gateway.Config{Netuids: served, DataDir: t.TempDir(), DataCaches: []string{repoFile(t, "data")}, SyncInterval: 200 * time.Millisecond},
		gateway.Deps{Chain: gateway.ClientChain{C: cc}, Signer: signerOf(t, c, "val"), Keys: keys})

	for _, name := range names {
		d := loadTask(t, specs[name])
		n := netuids[name]
		res := gw.infer(n, appKey, rowsOf(d, d.Validation[:20]))
		require.Equal(t, d.TaskHash, res.TaskHash, name)
		right := 0
		for i, p := range res.Predictions {
			if p.Label == d.Schema.Classes[d.Y[d.Validation[i]]] {
				right++
			}
		}
		t.Logf("%s (netuid %d, %s): %d of 20 labels match the data", name, n, d.TaskHash[:12], right)
		require.GreaterOrEqual(t, right, 10, "%s: the trained model beats a coin", name)
		file := filepath.Join(t.TempDir(), name+".json")
		require.NoError(t, os.WriteFile(file, mustJSON(t, res), 0o600))
		out, err := verifyCmd(t, file, "--grpc", c.GRPCAddr())
		require.NoError(t, err, out)
		require.Contains(t, out, "verified 1 receipt(s)")
	}
}
