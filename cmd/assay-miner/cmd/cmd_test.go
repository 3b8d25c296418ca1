package cmd

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assay-network/assay/task"
)

// run executes assay-miner with args and returns its stdout.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := NewRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(append([]string{"--log-format", "json", "--log-level", "warn"}, args...))
	err := root.ExecuteContext(context.Background())
	return out.String(), err
}

// cpsTaskFile writes the built-in cps1985-wages task file with its data's
// URL pointed at the committed copy (file://), or at url when not empty.
func cpsTaskFile(t *testing.T, url string) string {
	t.Helper()
	raw, err := os.ReadFile("../../../scripts/tasks/cps1985-wages.json")
	if err != nil {
		t.Fatal(err)
	}
	s, err := task.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if url == "" {
		abs, err := filepath.Abs("../../../dataset/testdata/cps1985-wages/data.csv")
		if err != nil {
			t.Fatal(err)
		}
		url = "file://" + abs
	}
	s.Dataset.Files[0].URLs = []string{url}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "cps.json")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTrainInspect trains for a task file whose data is the committed CPS
// copy (fetched into a fresh cache), then inspects the file: hermetic, no
// download needed.
func TestTrainInspect(t *testing.T) {
	dataDir := t.TempDir()
	taskFile := cpsTaskFile(t, "")
	out := filepath.Join(t.TempDir(), "sub", "m.amdl")
	stdout, err := run(t, "train", "--task-file", taskFile, "--variant", "good", "--data-dir", dataDir, "--out", out, "--epochs", "5")
	if err != nil {
		t.Fatalf("train: %v\n%s", err, stdout)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	hash := fmt.Sprintf("%x", sha256.Sum256(raw))
	if !strings.Contains(stdout, "model_hash:  "+hash) {
		t.Fatalf("train output does not show the file's SHA-256 %s:\n%s", hash, stdout)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "sha256", "3f3543dcc9f564189b7354327370782b400514c4261c06a29b53c906b57ba0ed")); err != nil {
		t.Fatalf("the task's data is not in the content-addressed cache: %v", err)
	}
	taskHash := stdout[strings.Index(stdout, "task_hash:   ")+13:][:64]

	stdout, err = run(t, "inspect", out, "--data-dir", dataDir, "--task-file", taskFile)
	if err != nil {
		t.Fatalf("inspect: %v", err)
	}
	for _, want := range []string{
		"task:        tabular-classification", "dataset:     cps1985-wages", "arch:        mlp ",
		"model_hash:  " + hash, "task_hash:   " + taskHash, "education", "categorical one-hot[2]: female | male",
		"validation:  ", "accuracy", "flip_rate:   gender",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("inspect output lacks %q:\n%s", want, stdout)
		}
	}

	// Without a task file, inspect still describes the file and says why it
	// cannot evaluate.
	stdout, err = run(t, "inspect", out)
	if err != nil || !strings.Contains(stdout, "evaluation:  skipped: no --task-file") {
		t.Fatalf("inspect without a task: %v\n%s", err, stdout)
	}
}

func TestTrainErrors(t *testing.T) {
	dead := cpsTaskFile(t, "file:///nonexistent/assay/data.csv")
	if _, err := run(t, "train", "--task-file", dead, "--data-dir", t.TempDir(), "--out", filepath.Join(t.TempDir(), "m")); err == nil || !strings.Contains(err.Error(), "/nonexistent/assay/data.csv") {
		t.Fatalf("unreachable data: %v", err)
	}
	if _, err := run(t, "train", "--out", "x"); err == nil || !strings.Contains(err.Error(), "--task-file F or as --netuid N") {
		t.Fatalf("no task: %v", err)
	}
	if _, err := run(t, "train", "--out", "x", "--task-file", dead, "--netuid", "1"); err == nil || !strings.Contains(err.Error(), "one of them") {
		t.Fatalf("two tasks: %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.amdl")
	_ = os.WriteFile(bad, []byte("ASSAYMDL\x03\x00"), 0o644)
	if _, err := run(t, "inspect", bad); err == nil || !strings.Contains(err.Error(), "format version 3") {
		t.Fatalf("inspect of a version-3 file: %v", err)
	}
	old := filepath.Join(t.TempDir(), "old.amdl")
	_ = os.WriteFile(old, []byte("ASSAYMDL\x01\x00"), 0o644)
	if _, err := run(t, "inspect", old); err == nil || !strings.Contains(err.Error(), "retrain") {
		t.Fatalf("inspect of a version-1 file: %v", err)
	}
}
