// Package assay_test holds the repository's own rules: what may be
// committed.
package assay_test

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// maxTrackedBytes is well above the largest file we mean to commit (the
// explorer screenshots, the generated protobuf Go, go.sum: under 200 KB).
const maxTrackedBytes = 1 << 20

// TestNoBuildOutputCommitted: no tracked file is a compiled executable or
// over 1 MiB. A binary built at the root with `go build ./cmd/assayd` was
// once committed (141 MB, in every clone since); build output belongs in
// build/ (`make build`), which .gitignore keeps out.
func TestNoBuildOutputCommitted(t *testing.T) {
	if _, err := os.Stat(".git"); err != nil {
		t.Skip("not a git checkout (no .git): the tracked files are unknown")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: the tracked files are unknown")
	}
	out, err := exec.Command("git", "ls-files", "-z").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	elf := []byte("\x7fELF")
	for _, path := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		info, err := os.Lstat(path)
		if os.IsNotExist(err) {
			continue // deleted in the working tree, not yet committed
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if !info.Mode().IsRegular() {
			continue
		}
		if info.Size() > maxTrackedBytes {
			t.Errorf("%s is tracked and %d bytes (over %d): build output or data does not belong in git", path, info.Size(), maxTrackedBytes)
			continue
		}
		head := make([]byte, 4)
		f, err := os.Open(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		n, _ := f.Read(head)
		f.Close()
		if bytes.Equal(head[:n], elf) {
			t.Errorf("%s is tracked and is a compiled executable (ELF): build into build/ instead", path)
		}
	}
}
