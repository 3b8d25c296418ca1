package cmd

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
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

// TestTrainInspect trains on the committed CPS copy laid out like `make
// data` output, then inspects the file: hermetic, no download needed.
func TestTrainInspect(t *testing.T) {
	dataDir := t.TempDir()
	csv, err := os.ReadFile("../../../dataset/testdata/cps1985-wages/data.csv")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dataDir, "cps1985-wages"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dataDir, "cps1985-wages", "data.csv"), csv, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "sub", "m.amdl")
	stdout, err := run(t, "train", "--dataset", "cps1985-wages", "--variant", "good", "--data-dir", dataDir, "--out", out, "--epochs", "5")
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

	stdout, err = run(t, "inspect", out, "--data-dir", dataDir)
	if err != nil {
		t.Fatalf("inspect: %v", err)
	}
	for _, want := range []string{
		"task:        tabular-classification", "dataset:     cps1985-wages", "arch:        mlp ",
		"model_hash:  " + hash, "education", "categorical one-hot[2]: female | male",
		"protected:   gender", "validation:  160 rows, accuracy", "flip_rate:   gender",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("inspect output lacks %q:\n%s", want, stdout)
		}
	}

	// Without the data, inspect still describes the file and says why it
	// cannot evaluate.
	stdout, err = run(t, "inspect", out, "--data-dir", t.TempDir())
	if err != nil || !strings.Contains(stdout, "evaluation:  skipped") || !strings.Contains(stdout, "make data") {
		t.Fatalf("inspect without data: %v\n%s", err, stdout)
	}
}

func TestTrainErrors(t *testing.T) {
	if _, err := run(t, "train", "--dataset", "german-credit", "--data-dir", t.TempDir(), "--out", filepath.Join(t.TempDir(), "m")); err == nil || !strings.Contains(err.Error(), "make data") {
		t.Fatalf("missing data: %v", err)
	}
	if _, err := run(t, "train", "--out", "x"); err == nil || !strings.Contains(err.Error(), "dataset") {
		t.Fatalf("missing --dataset: %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.amdl")
	_ = os.WriteFile(bad, []byte("ASSAYMDL\x02\x00"), 0o644)
	if _, err := run(t, "inspect", bad); err == nil || !strings.Contains(err.Error(), "format version 2") {
		t.Fatalf("inspect of a version-2 file: %v", err)
	}
}
