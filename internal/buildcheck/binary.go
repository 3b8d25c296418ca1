package buildcheck

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// Binary returns root/build/<name> when it is newer than every source
// (SourcesNewerThan), so a test runs what `make build` made; otherwise it
// builds ./cmd/<name> into dir and returns that path, so a test never runs
// stale code.
func Binary(ctx context.Context, root, name, dir string) (path string, err error) {
	built := filepath.Join(root, "build", name)
	if fi, err := os.Stat(built); err == nil && !SourcesNewerThan(root, fi.ModTime()) {
		return built, nil
	}
	path = filepath.Join(dir, name)
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", path, "./cmd/"+name)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/%s: %w\n%s", name, err, out)
	}
	return path, nil
}
