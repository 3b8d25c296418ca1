// Package demo runs `assay-demo --json --short` — the short form of
// `make demo` — on freshly built binaries: a real one-node chain, the
// good/poor/biased german-credit miners and two validators as separate
// processes, and checks who earned what and the supply invariant.
package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/assay-network/assay/task"
	emissiontypes "github.com/assay-network/assay/x/emission/types"
)

type summary struct {
	Subnets []struct {
		Netuid  uint32 `json:"netuid"`
		Dataset string `json:"dataset"`
		Neurons []struct {
			UID       uint32  `json:"uid"`
			Role      string  `json:"role"`
			Model     string  `json:"model"`
			Quality   float64 `json:"quality"`
			Bias      float64 `json:"bias"`
			Incentive float64 `json:"incentive"`
			Dividends float64 `json:"dividends"`
			Earned    string  `json:"earned_uassay"`
		} `json:"neurons"`
		PaidAfterWeights int      `json:"paid_epochs_after_weights"`
		Why              []string `json:"why"`
	} `json:"subnets"`
	// Invariant is what the chain's Query.Supply reported, as the demo
	// printed it; the same names decode into the query's own type.
	Invariant emissiontypes.QuerySupplyResponse `json:"invariant"`
}

func bigInt(t *testing.T, s string) *big.Int {
	t.Helper()
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		t.Fatalf("not an integer: %q", s)
	}
	return v
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

func TestDemoShort(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real chain and five processes for about a minute; skipped with -short")
	}
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dataDir := filepath.Join(repo, "data")
	raw, err := os.ReadFile(filepath.Join(repo, "scripts", "tasks", "german-credit.json"))
	if err != nil {
		t.Fatal(err)
	}
	spec, err := task.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "sha256", spec.Dataset.Files[0].SHA256)); err != nil {
		t.Skipf("german-credit data not fetched (run `make data`): %v", err)
	}
	// Reference models: the ones `make models` wrote, else assay-demo trains them into a temp dir.
	modelsDir := filepath.Join(repo, "models")
	for _, v := range []string{"good", "poor", "biased"} {
		if _, err := os.Stat(filepath.Join(modelsDir, "german-credit-"+v+".amdl")); err != nil {
			t.Logf("models/german-credit-%s.amdl missing (`make models`); assay-demo trains into a temp dir", v)
			modelsDir = t.TempDir()
			break
		}
	}

	bin := t.TempDir()
	start := time.Now()
	build := exec.Command(goTool(), "build", "-o", bin+string(filepath.Separator),
		"./cmd/assayd", "./cmd/assay-miner", "./cmd/assay-validator", "./cmd/assay-demo")
	build.Dir = repo
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built the binaries in %s", time.Since(start).Round(time.Second))

	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "assay-demo"), "--json", "--short", "--bin-dir", bin,
		"--repo", repo, "--data-dir", dataDir, "--models-dir", modelsDir, "--timeout", "4m")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) } // let it clean up
	cmd.WaitDelay = 30 * time.Second
	start = time.Now()
	err = cmd.Run()
	if err != nil {
		t.Fatalf("assay-demo failed after %s: %v\nstderr (progress, then the children's last log lines):\n%s\nstdout: %s",
			time.Since(start).Round(time.Second), err, stderr.String(), stdout.String())
	}
	t.Logf("assay-demo --short ran %s; its progress:\n%s", time.Since(start).Round(time.Second), tailBytes(stderr.Bytes(), 40))

	var sum summary
	if err := json.Unmarshal(stdout.Bytes(), &sum); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, stdout.String())
	}
	if len(sum.Subnets) != 1 || sum.Subnets[0].Dataset != "german-credit" {
		t.Fatalf("want the german-credit subnet only, got %+v", sum.Subnets)
	}
	sn := sum.Subnets[0]
	if sn.PaidAfterWeights < 2 {
		t.Errorf("%d paid epochs after the validators' weights, want ≥ 2", sn.PaidAfterWeights)
	}
	type row = struct {
		earned                   *big.Int
		bias, incentive, quality float64
	}
	miners := map[string]row{}
	validators := 0
	for _, n := range sn.Neurons {
		switch n.Role {
		case "miner":
			miners[n.Model] = row{earned: bigInt(t, n.Earned), bias: n.Bias, incentive: n.Incentive, quality: n.Quality}
		case "validator":
			validators++
			if n.Model != "" {
				t.Errorf("validator uid %d has model %q", n.UID, n.Model)
			}
		default:
			t.Errorf("uid %d: role %q", n.UID, n.Role)
		}
	}
	if validators != 2 {
		t.Errorf("%d validators, want 2", validators)
	}
	good, poor, biased := miners["good"], miners["poor"], miners["biased"]
	if good.earned == nil || poor.earned == nil || biased.earned == nil {
		t.Fatalf("want good, poor and biased miners, got %v", miners)
	}
	t.Logf("earned (uassay): good %s, biased %s, poor %s; bias: good %.3f, biased %.3f; incentive: good %.3f, biased %.3f, poor %.3f",
		good.earned, biased.earned, poor.earned, good.bias, biased.bias, good.incentive, biased.incentive, poor.incentive)
	for _, l := range sn.Why {
		t.Log("why: " + l)
	}
	if good.earned.Cmp(biased.earned) <= 0 || good.earned.Cmp(poor.earned) <= 0 {
		t.Errorf("the good miner must earn the most: good %s, biased %s, poor %s", good.earned, biased.earned, poor.earned)
	}
	if good.incentive <= biased.incentive || good.incentive <= poor.incentive {
		t.Errorf("the good miner must have the most incentive: good %.4f, biased %.4f, poor %.4f", good.incentive, biased.incentive, poor.incentive)
	}
	if biased.bias < good.bias+0.1 {
		t.Errorf("the biased miner's bias %.3f is not visibly above the good one's %.3f", biased.bias, good.bias)
	}
	if len(sn.Why) != 2 {
		t.Errorf("want one 'why' line each for the poor and the biased miner, got %q", sn.Why)
	}

	// the chain checked the invariant (x/emission's SupplyInvariant); here: it held, with rewards paid
	iv := sum.Invariant
	if !iv.Holds || iv.Issued.IsNil() || !iv.Issued.IsPositive() || iv.Rewards.IsNil() || !iv.Rewards.IsPositive() {
		t.Errorf("supply invariant at block %d: holds=%v, issued %s, rewards %s, pending %s, carry %s, burned %s",
			iv.Block, iv.Holds, iv.Issued, iv.Rewards, iv.Pending, iv.Carry, iv.Burned)
	}
}

func tailBytes(b []byte, n int) string {
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
