package demo

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// buildDemo builds the demo and the binaries it runs, once per test
// binary (a build takes a minute on a loaded 2-core machine).
func buildDemo(t *testing.T, repo string) string {
	t.Helper()
	buildOnce.Do(func() {
		if buildDir, buildErr = os.MkdirTemp("", "assay-demo-bin-"); buildErr != nil {
			return
		}
		start := time.Now()
		build := exec.Command(goTool(), "build", "-o", buildDir+string(filepath.Separator),
			"./cmd/assayd", "./cmd/assay-miner", "./cmd/assay-validator", "./cmd/assay-demo")
		build.Dir = repo
		if out, err := build.CombinedOutput(); err != nil {
			buildErr = &buildFailure{err: err, out: out}
			return
		}
		t.Logf("built the binaries in %s", time.Since(start).Round(time.Second))
	})
	if buildErr != nil {
		t.Fatalf("go build: %v", buildErr)
	}
	return buildDir
}

type buildFailure struct {
	err error
	out []byte
}

func (b *buildFailure) Error() string { return b.err.Error() + "\n" + string(b.out) }
