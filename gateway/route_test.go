package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/miner"
	"github.com/assay-network/assay/miner/model"
	"github.com/assay-network/assay/task"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// Routing against real miners on loopback (a fake chain announces them):
// the built-in german-credit task and its good reference model.

type fakeChain struct {
	mg *subnettypes.QueryMetagraphResponse
}

func (f fakeChain) Subnets(context.Context) ([]subnettypes.Subnet, error) {
	return []subnettypes.Subnet{f.mg.Subnet}, nil
}

func (f fakeChain) Metagraph(_ context.Context, netuid uint16) (*subnettypes.QueryMetagraphResponse, error) {
	if uint32(netuid) != f.mg.Subnet.Netuid {
		return nil, status.Errorf(codes.NotFound, "subnet %d not found", netuid)
	}
	return f.mg, nil
}

// slowMiner decorates a miner's forward pass.
type slowMiner struct {
	delay time.Duration
	fail  bool
}

type allPermits struct{}

func (allPermits) Permit(context.Context, string) (miner.Permit, error) { return miner.Permit{}, nil }

// routeFixture starts one real miner per behaviour (UID i, incentive
// falling with i) and a gateway over a fake chain announcing them.
func routeFixture(t testing.TB, cfg Config, behaviours ...slowMiner) (*Gateway, http.Handler) {
	t.Helper()
	repo, _ := filepath.Abs("..")
	raw, err := os.ReadFile(filepath.Join(repo, "scripts/tasks/german-credit.json"))
	require.NoError(t, err)
	spec, err := task.Parse(raw)
	require.NoError(t, err)
	canonical, err := spec.Canonical()
	require.NoError(t, err)
	hash, err := spec.Hash()
	require.NoError(t, err)
	m, _, err := model.LoadFor(filepath.Join(repo, "models/german-credit-good.amdl"), spec.TaskType, hash)
	if err != nil {
		t.Skipf("models/german-credit-good.amdl: %v (run `make models`)", err)
	}
	if _, err := os.Stat(filepath.Join(repo, "data/sha256", spec.Dataset.Files[0].SHA256)); err != nil {
		t.Skipf("german-credit data missing (run `make data`): %v", err)
	}
	mh, err := m.Hash()
	require.NoError(t, err)
	mg := &subnettypes.QueryMetagraphResponse{Block: 42, Subnet: subnettypes.Subnet{Netuid: 1, Name: "credit", TaskSpec: string(canonical), TaskHash: hash}}
	pred, err := model.NewPredictor(m, model.PredictorOptions{Workers: 1})
	require.NoError(t, err)
	for i, b := range behaviours {
		signer := client.NewPrivKeySigner(secp256k1.GenPrivKey())
		srv, err := miner.New(miner.Config{Netuid: 1, BatchWindow: time.Millisecond}, miner.Deps{Model: m, ModelHash: mh, Signer: signer, Permits: allPermits{}, Log: zerolog.Nop(),
			Predict: func(ctx context.Context, rows [][]float64) ([][]float64, error) {
				time.Sleep(b.delay)
				if b.fail {
					return nil, errors.New("out of memory")
				}
				return pred.Predict(ctx, rows)
			}})
		require.NoError(t, err)
		lis, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- srv.Serve(ctx, lis, nil) }()
		t.Cleanup(func() { cancel(); <-done })
		mg.Neurons = append(mg.Neurons, subnettypes.Neuron{Netuid: 1, Uid: uint32(i), Hotkey: signer.Address(),
			Incentive: sdkmath.LegacyNewDecWithPrec(int64(90-i*10), 2), Emission: sdkmath.ZeroInt(), Stake: sdkmath.ZeroInt(),
			Axon: &subnettypes.AxonInfo{Endpoint: lis.Addr().String(), ModelHash: mh}})
	}
	cfg.Netuids = []uint16{1}
	cfg.DataDir = t.TempDir()
	cfg.DataCaches = []string{filepath.Join(repo, "data")}
	keys, err := (&Keys{}).WithAnonymous(Limit{Enabled: true})
	require.NoError(t, err)
	g, err := New(cfg, Deps{Chain: fakeChain{mg}, Signer: client.NewPrivKeySigner(secp256k1.GenPrivKey()), Keys: keys})
	require.NoError(t, err)
	t.Cleanup(g.Close)
	return g, g.Handler()
}

const oneRow = `{"rows":[{"checking_status":"<0","duration":6,"credit_history":"critical/other existing credit","purpose":"radio/tv",
 "credit_amount":1169,"savings_status":"no known savings","employment":">=7","installment_commitment":4,"personal_status":"male single",
 "other_parties":"none","residence_since":4,"property_magnitude":"real estate","age":67,"other_payment_plans":"none","housing":"own",
 "existing_credits":2,"job":"skilled","num_dependents":1,"own_telephone":"yes","foreign_worker":"yes"}]}`

func post(t *testing.T, h http.Handler, path, body string) (*httptest.ResponseRecorder, *InferResult) {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("POST", path, strings.NewReader(body)))
	if w.Code != http.StatusOK {
		return w, nil
	}
	var res InferResult
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &res))
	return w, &res
}

func TestHedgesToTheNextMinerWhenTheFirstIsSlow(t *testing.T) {
	_, h := routeFixture(t, Config{HedgeAfter: 50 * time.Millisecond}, slowMiner{delay: 700 * time.Millisecond}, slowMiner{})
	start := time.Now()
	w, res := post(t, h, "/v1/subnets/1/infer", oneRow)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Less(t, time.Since(start), 600*time.Millisecond, "the hedge answered before the slow miner")
	require.EqualValues(t, 1, res.Receipts[0].Miner.UID)
	require.Len(t, res.Routing, 2)
	require.True(t, res.Routing[1].Hedged)
	require.NoError(t, VerifyOffline(res.Receipts[0]))
}

func TestRetriesOnFailureAnd503WhenNobodyAnswers(t *testing.T) {
	_, h := routeFixture(t, Config{}, slowMiner{fail: true}, slowMiner{})
	w, res := post(t, h, "/v1/subnets/1/infer", oneRow)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.EqualValues(t, 1, res.Receipts[0].Miner.UID)
	require.Contains(t, res.Routing[0].Error, "uid 0")
	require.False(t, res.Routing[1].Hedged, "asked at once after the failure, not after the hedge delay")

	_, h = routeFixture(t, Config{}, slowMiner{fail: true}, slowMiner{fail: true})
	w, _ = post(t, h, "/v1/subnets/1/infer", oneRow)
	require.Equal(t, http.StatusServiceUnavailable, w.Code, w.Body.String())
	require.Equal(t, "1", w.Header().Get("Retry-After"))
	require.Contains(t, w.Body.String(), "no miner answered: 2 asked")

	w, _ = post(t, h, "/v1/subnets/7/infer", oneRow)
	require.Equal(t, http.StatusNotFound, w.Code, w.Body.String())
}

func TestPerKeyMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	g, _ := routeFixture(t, Config{}, slowMiner{})
	m, err := newMetrics(reg)
	require.NoError(t, err)
	g.m = m // the fixture's gateway, counting into reg
	h := g.Handler()
	w, _ := post(t, h, "/v1/subnets/1/infer", oneRow)
	require.Equal(t, http.StatusOK, w.Code)
	w, _ = post(t, h, "/v1/subnets/1/infer", `{"rows":[{}]}`)
	require.Equal(t, http.StatusBadRequest, w.Code)
	got := map[string]float64{}
	mfs, err := reg.Gather()
	require.NoError(t, err)
	for _, mf := range mfs {
		for _, mt := range mf.GetMetric() {
			name := mf.GetName()
			for _, l := range mt.GetLabel() {
				name += "," + l.GetName() + "=" + l.GetValue()
			}
			switch {
			case mt.GetCounter() != nil:
				got[name] = mt.GetCounter().GetValue()
			case mt.GetHistogram() != nil:
				got[name] = float64(mt.GetHistogram().GetSampleCount())
			}
		}
	}
	for k, v := range map[string]float64{
		"assay_gateway_requests_total,code=200,key=anonymous":            1,
		"assay_gateway_requests_total,code=400,key=anonymous":            1,
		"assay_gateway_rows_total,key=anonymous":                         1,
		"assay_gateway_errors_total,key=anonymous,reason=missing_column": 1,
		"assay_gateway_request_seconds,key=anonymous":                    1,
		"assay_gateway_miner_seconds":                                    1,
	} {
		require.Equal(t, v, got[k], "%s in %v", k, got)
	}
}

func TestHealth(t *testing.T) {
	g, _ := routeFixture(t, Config{}, slowMiner{}, slowMiner{})
	msg, err := g.Health()
	require.NoError(t, err)
	require.Equal(t, "ok netuid=1 block=42 miners=2", msg)
}
