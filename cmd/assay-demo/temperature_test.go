package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assay-network/assay/x/subnet/client/cli"
)

// TestTemperatureIsAnotherTask: README, "Another temperature": `--temperature
// T` runs german-credit on its task file with only reward.temperature
// replaced, written beside its models under <models-dir>/temperature-T, so
// the task hash differs and its miners are trained for that task (the
// default models belong to another hash and are never served for it).
func TestTemperatureIsAnotherTask(t *testing.T) {
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	o := options{repo: repo, modelsDir: t.TempDir(), dataDir: filepath.Join(repo, "data"), temperature: "0.2", binDir: t.TempDir()}
	def := demoSubnets(true)
	if err := loadTasks(options{repo: repo, modelsDir: o.modelsDir}, def); err != nil {
		t.Fatal(err)
	}
	subnets := demoSubnets(true)
	if err := loadTasks(o, subnets); err != nil {
		t.Fatal(err)
	}
	gc := subnets[0]
	wantDir := filepath.Join(o.modelsDir, "temperature-0.2")
	if gc.taskFile != filepath.Join(wantDir, "german-credit.json") || gc.modelsDir != wantDir {
		t.Fatalf("task file %s, models %s; want both under %s", gc.taskFile, gc.modelsDir, wantDir)
	}
	written, err := cli.ReadTaskFile(gc.taskFile)
	if err != nil {
		t.Fatal(err)
	}
	if written.Reward.Temperature != "0.2" {
		t.Fatalf("rewritten task has temperature %q", written.Reward.Temperature)
	}
	orig := def[0].spec
	orig.Reward.Temperature = "0.2"
	a, _ := orig.Canonical()
	b, _ := written.Canonical()
	if string(a) != string(b) {
		t.Fatalf("the rewrite changed more than reward.temperature:\n%s\n%s", a, b)
	}
	if h, _ := written.Hash(); h != gc.taskHash || h == def[0].taskHash {
		t.Fatalf("task hash %s (file) %s (registered) %s (default): want the file's, and not the default's", h, gc.taskHash, def[0].taskHash)
	}

	// The models are trained for the rewritten task: a stand-in assay-miner
	// records each train call (and writes no model, so ensureModels stops
	// after the first).
	calls := filepath.Join(t.TempDir(), "calls")
	stub := "#!/bin/sh\necho \"$@\" >> " + calls + "\n"
	if err := os.WriteFile(filepath.Join(o.binDir, "assay-miner"), []byte(stub), 0o755); err != nil {
		t.Fatal(err)
	}
	_ = ensureModels(context.Background(), o, subnets)
	got, err := os.ReadFile(calls)
	if err != nil {
		t.Fatalf("no model was trained for the new task: %v", err)
	}
	line := strings.Fields(strings.SplitN(string(got), "\n", 2)[0])
	arg := func(flag string) string {
		for i := range line[:len(line)-1] {
			if line[i] == flag {
				return line[i+1]
			}
		}
		return ""
	}
	if line[0] != "train" || arg("--task-file") != gc.taskFile || arg("--out") != filepath.Join(wantDir, "german-credit-good.amdl") {
		t.Fatalf("train call %q: want the rewritten task file and a model under %s", line, wantDir)
	}
}
