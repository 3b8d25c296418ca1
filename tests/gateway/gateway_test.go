package gateway_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/gateway"
	"github.com/assay-network/assay/miner/model"
	"github.com/assay-network/assay/validator/state"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// TestGatewayEndToEnd is issue 20's "Done when" on german-credit: three
// miners (poor, biased, good) whose on-chain incentive ranks good first;
// the gateway answers curl-shaped requests with receipts that `verify`
// accepts against the chain and refuses when tampered; bad input is a 4xx
// naming the field; k=3 returns the majority; a validator's verdict skips
// a miner; and when the top miner is killed mid-run the answers continue
// from the next one.
func TestGatewayEndToEnd(t *testing.T) {
	start := time.Now()
	spec := builtinTask(t, "german-credit")
	d := loadTask(t, spec)
	models := map[string]*model.Model{}
	for _, v := range model.Variants() {
		m, _, err := model.LoadFor(repoFile(t, filepath.Join("models", "german-credit-"+v+".amdl")), d.Task, d.TaskHash)
		if err != nil {
			t.Skipf("models/german-credit-%s.amdl: %v (run `make models`)", v, err)
		}
		models[v] = m
	}
	c := newChain(t)
	cc := c.Client()
	ctx := t.Context()
	hp := subnettypes.DefaultHyperparams()
	hp.Tempo, hp.CommitReveal, hp.WeightsRateLimit, hp.ImmunityPeriod = 4, false, 0, 0
	hp.MinValidatorStake = math.NewInt(1)
	netuid := c.registerSubnet("credit", spec, hp)
	hotkeys := []string{"val", "poor", "biased", "good"} // UIDs 0..3
	c.NewFundedKeys(10_000_000, hotkeys...)
	c.RegisterNeurons(netuid, hotkeys...)
	c.Deliver(c.Val.Moniker, &subnettypes.MsgAddStake{Coldkey: c.Val.Address.String(), Netuid: uint32(netuid), Hotkey: c.Addr("val").String(), Amount: math.NewInt(5_000_000)})
	stop := map[string]func(){}
	for _, h := range hotkeys[1:] {
		stop[h] = c.startMiner(cc, netuid, h, models[h])
	}
	// Incentive ranks the UIDs against their numbers: good (3), biased (2), poor (1).
	c.Deliver("val", &subnettypes.MsgSetWeights{Hotkey: c.Addr("val").String(), Netuid: uint32(netuid), Uids: []uint32{1, 2, 3}, Weights: []uint32{1, 3, 9}})
	require.Eventually(t, func() bool {
		mg, err := cc.Metagraph(ctx, netuid)
		if err != nil || len(mg.Neurons) < 4 {
			return false
		}
		in := func(u int) math.LegacyDec { return mg.Neurons[u].Incentive }
		return in(1).IsPositive() && in(2).GT(in(1)) && in(3).GT(in(2))
	}, 30*time.Second, 100*time.Millisecond, "no epoch ranked the miners by incentive")
	t.Logf("chain, miners and an epoch ready in %s", time.Since(start).Round(time.Millisecond))

	appKey, appDef := newKey("app", 0, 0)
	slowKey, slowDef := newKey("slow", 1, 1000)
	keys, err := gateway.NewKeys(gateway.KeysFile{Key: []gateway.KeyDef{appDef, slowDef}})
	require.NoError(t, err)
	deps := gateway.Deps{Chain: gateway.ClientChain{C: cc}, Signer: signerOf(t, c, "val"), Keys: keys}
	cfg := gateway.Config{Netuids: []uint16{netuid}, DataDir: t.TempDir(), DataCaches: []string{repoFile(t, "data")}, SyncInterval: 200 * time.Millisecond}
	gw := startGateway(t, cfg, deps)
	rows := rowsOf(d, d.Validation[:16])

	t.Run("subnets and task", func(t *testing.T) {
		code, _, b := gw.do("GET", "/v1/subnets", appKey, nil)
		require.Equal(t, http.StatusOK, code, string(b))
		require.Contains(t, string(b), fmt.Sprintf(`{"netuid":%d,"name":"credit","task_hash":"%s","served":true}`, netuid, d.TaskHash))
		code, _, b = gw.do("GET", "/v1/subnets/"+itoa(netuid)+"/task", appKey, nil)
		require.Equal(t, http.StatusOK, code, string(b))
		var task gateway.TaskResult
		require.NoError(t, json.Unmarshal(b, &task))
		require.Equal(t, d.TaskHash, task.TaskHash)
		require.Equal(t, d.Schema.Features, task.Schema.Features)
		require.Equal(t, d.Schema.Classes, task.Schema.Classes)
		code, _, b = gw.do("GET", "/openapi.json", "", nil)
		require.Equal(t, http.StatusOK, code)
		require.Contains(t, string(b), `"/v1/subnets/{netuid}/infer"`)
	})

	var answer []byte
	t.Run("infer routes to the top miner by incentive", func(t *testing.T) {
		res := gw.infer(netuid, appKey, rows)
		require.Len(t, res.Receipts, 1)
		require.EqualValues(t, 3, res.Receipts[0].Miner.UID, "good has the highest incentive")
		require.Equal(t, c.Addr("good").String(), res.Receipts[0].Miner.Hotkey)
		require.Equal(t, d.Schema.Classes, res.Classes)
		agree := 0
		for i, p := range res.Predictions {
			require.Equal(t, []uint32{3}, p.Agreed)
			require.InDelta(t, 1, p.Probabilities["bad"]+p.Probabilities["good"], 1e-9)
			if p.Label == d.Schema.Classes[d.Y[d.Validation[i]]] {
				agree++
			}
		}
		t.Logf("16 rows: %d labels match the data; routing %+v", agree, res.Routing)
		require.GreaterOrEqual(t, agree, 9, "the good model is better than a coin on its own validation rows")
		answer = mustJSON(t, res)
	})

	t.Run("receipts verify against the chain and tampering is named", func(t *testing.T) {
		dir := t.TempDir()
		file := filepath.Join(dir, "answer.json")
		require.NoError(t, os.WriteFile(file, answer, 0o600))
		out, err := verifyCmd(t, file, "--grpc", c.GRPCAddr())
		require.NoError(t, err, out)
		require.Contains(t, out, "verified 1 receipt(s)")
		require.Contains(t, out, "first published at block")
		t.Log(strings.TrimSpace(out))
		// One receipt alone, offline.
		var res struct{ Receipts []json.RawMessage }
		require.NoError(t, json.Unmarshal(answer, &res))
		one := filepath.Join(dir, "receipt.json")
		require.NoError(t, os.WriteFile(one, res.Receipts[0], 0o600))
		out, err = verifyCmd(t, one, "--offline")
		require.NoError(t, err, out)

		tamper := func(name string, edit func(r *gateway.Receipt), want string) {
			r, err := gateway.DecodeReceipt(res.Receipts[0])
			require.NoError(t, err)
			edit(r)
			p := filepath.Join(dir, name+".json")
			require.NoError(t, os.WriteFile(p, mustJSON(t, r), 0o600))
			_, err = verifyCmd(t, p, "--grpc", c.GRPCAddr())
			require.ErrorContains(t, err, want, name)
			t.Logf("%s: %v", name, err)
		}
		tamper("probability", func(r *gateway.Receipt) { r.Response.Probabilities[0] += 0.01; r.Response.OutputsHash = "" }, "miner signature")
		tamper("outputs-hash", func(r *gateway.Receipt) { r.Response.Probabilities[1] += 0.01 }, "response.outputs_hash")
		tamper("input", func(r *gateway.Receipt) { r.Request.Values[0]++ }, "request.hash")
		tamper("block", func(r *gateway.Receipt) { r.Block-- }, "gateway signature")
		tamper("uid", func(r *gateway.Receipt) { r.Miner.UID = 2 }, "gateway signature")
		tamper("model", func(r *gateway.Receipt) { r.Response.ModelHash = strings.Repeat("0", 64) }, "miner signature")
	})

	t.Run("bad input is a 4xx naming the field", func(t *testing.T) {
		path := "/v1/subnets/" + itoa(netuid) + "/infer"
		body := func(mut func(r map[string]any)) []byte {
			r := rowsOf(d, d.Validation[:2])
			mut(r[1])
			return mustJSON(t, map[string]any{"rows": r})
		}
		gw.refused(path, appKey, body(func(r map[string]any) { r["colour"] = "red" }), 400, "rows[1].colour", `unknown column "colour"`)
		gw.refused(path, appKey, body(func(r map[string]any) { delete(r, "duration") }), 400, "rows[1].duration", `column "duration" is missing`)
		gw.refused(path, appKey, body(func(r map[string]any) { r["duration"] = "long" }), 400, "rows[1].duration", `numeric column "duration" takes a number, got "long"`)
		gw.refused(path, appKey, body(func(r map[string]any) { r["purpose"] = 3 }), 400, "rows[1].purpose", `nominal column "purpose" takes a string, got 3`)
		gw.refused(path, appKey, body(func(r map[string]any) { r["purpose"] = "yacht" }), 400, "rows[1].purpose", `value "yacht" is not one of column "purpose"'s values`)
		gw.refused(path, appKey, []byte(`{"rows": [{"duration": 1,}]}`), 400, "", "malformed JSON body")
		gw.refused(path, appKey, []byte(`{"rows": []}`), 400, "rows", "at least one row")
		gw.refused(path, appKey, mustJSON(t, map[string]any{"rows": rowsOf(d, d.Validation[:gateway.MaxRows+1])}), 413, "rows", "257 rows, at most 256")
		gw.refused("/v1/subnets/9/infer", appKey, body(func(map[string]any) {}), 404, "netuid", "netuid 9 is not served")
		gw.refused("/v1/subnets/credit/infer", appKey, body(func(map[string]any) {}), 404, "netuid", `"credit" is not a netuid`)
		gw.refused(path, "", body(func(map[string]any) {}), 401, "", "an API key is required")
		gw.refused(path, "wrong", body(func(map[string]any) {}), 401, "", "unknown API key")
		// A missing value is null, and is answered.
		res := gw.infer(netuid, appKey, []map[string]any{func() map[string]any { r := rowsOf(d, d.Validation[:1])[0]; r["savings_status"] = nil; return r }()})
		require.Len(t, res.Receipts, 1)
	})

	t.Run("rate limit is a 429 with Retry-After", func(t *testing.T) {
		path := "/v1/subnets/" + itoa(netuid) + "/infer"
		body := mustJSON(t, map[string]any{"rows": rows[:1]})
		code, _, b := gw.do("POST", path, slowKey, body)
		require.Equal(t, http.StatusOK, code, string(b))
		code, h, b := gw.do("POST", path, slowKey, body)
		require.Equal(t, http.StatusTooManyRequests, code, string(b))
		require.Equal(t, "1", h.Get("Retry-After"))
		require.Contains(t, string(b), `key \"slow\" is limited to 1 requests/s`)
	})

	t.Run("k=3 returns the majority and who agreed", func(t *testing.T) {
		k3 := cfg
		k3.Redundancy = 3
		g3 := startGateway(t, k3, deps)
		res := g3.infer(netuid, appKey, rows)
		require.Len(t, res.Receipts, 3)
		uids := []uint32{res.Receipts[0].Miner.UID, res.Receipts[1].Miner.UID, res.Receipts[2].Miner.UID}
		require.Equal(t, []uint32{3, 2, 1}, uids, "receipts in incentive order")
		split := 0
		for _, p := range res.Predictions {
			require.Equal(t, 3, p.Asked)
			require.GreaterOrEqual(t, p.Votes, 2, "two classes, three answers: a majority")
			require.Len(t, p.Agreed, p.Votes)
			require.Equal(t, p.Agreed[0], res.Receipts[p.Receipt].Miner.UID)
			if p.Votes < 3 {
				split++
			}
		}
		t.Logf("k=3: %d of %d rows without unanimity", split, len(rows))
	})

	t.Run("a miner the validator culled is skipped", func(t *testing.T) {
		st := state.New(netuid, c.Addr("val").String())
		st.Scores = []state.UIDScore{{UID: 2, Hotkey: c.Addr("biased").String(), Score: 0.2, Reason: "timeout"},
			{UID: 3, Hotkey: c.Addr("good").String(), Score: 0, Reason: "copy of uid 1"}}
		p := filepath.Join(t.TempDir(), "state.json")
		require.NoError(t, state.Save(p, st))
		sd := deps
		sd.Skipper = &gateway.StateFiles{Paths: []string{p}}
		gs := startGateway(t, cfg, sd)
		res := gs.infer(netuid, appKey, rows[:2])
		require.EqualValues(t, 2, res.Receipts[0].Miner.UID, "uid 3 is culled; a timeout is not a verdict")
		require.Equal(t, []gateway.Skipped{{UID: 3, Reason: "copy of uid 1"}}, res.Skipped)
	})

	t.Run("killing the top miner mid-run moves the answers to the next", func(t *testing.T) {
		var mu sync.Mutex
		var served []uint32
		var failures []string
		done := make(chan struct{})
		go func() {
			defer close(done)
			body := mustJSON(t, map[string]any{"rows": rows[:4]})
			deadline := time.Now().Add(30 * time.Second)
			for time.Now().Before(deadline) {
				code, _, b := gw.do("POST", "/v1/subnets/"+itoa(netuid)+"/infer", appKey, body)
				mu.Lock()
				if code != http.StatusOK {
					failures = append(failures, string(b))
				} else {
					var res gateway.InferResult
					if err := json.Unmarshal(b, &res); err == nil && len(res.Receipts) > 0 {
						served = append(served, res.Receipts[0].Miner.UID)
					}
				}
				n := len(served)
				after := n > 0 && served[n-1] == 2 && count(served, 2) >= 20
				mu.Unlock()
				if after {
					return
				}
				time.Sleep(10 * time.Millisecond)
			}
		}()
		require.Eventually(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(served) >= 10 }, 10*time.Second, 10*time.Millisecond)
		stop["good"]()
		<-done
		mu.Lock()
		defer mu.Unlock()
		require.Empty(t, failures, "no request failed while the top miner died")
		first2 := slices.Index(served, 2)
		require.Positive(t, first2, "uid 3 answered first, then uid 2: %v", served)
		require.Zero(t, count(served[first2:], 3), "after the kill only uid 2 answers: %v", served)
		require.GreaterOrEqual(t, count(served, 2), 20, "answers continued from uid 2")
		t.Logf("%d answers by uid 3, then %d by uid 2, no failure", first2, len(served)-first2)
	})

	t.Run("no miner answering is a 503 with Retry-After", func(t *testing.T) {
		stop["biased"]()
		stop["poor"]()
		code, h, b := gw.do("POST", "/v1/subnets/"+itoa(netuid)+"/infer", appKey, mustJSON(t, map[string]any{"rows": rows[:1]}))
		require.Equal(t, http.StatusServiceUnavailable, code, string(b))
		require.Equal(t, "1", h.Get("Retry-After"))
		require.Contains(t, string(b), "no miner answered: 3 asked")
	})
	t.Logf("wall time %s", time.Since(start).Round(time.Millisecond))
}

func count(s []uint32, v uint32) int {
	n := 0
	for _, x := range s {
		if x == v {
			n++
		}
	}
	return n
}
