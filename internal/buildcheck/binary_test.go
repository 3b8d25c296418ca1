package buildcheck

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestBinaryUsesAFreshBuildAndRebuildsAStaleOne(t *testing.T) {
	root := t.TempDir()
	write := func(rel, body string, mod time.Time) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mod, mod); err != nil {
			t.Fatal(err)
		}
	}
	past := time.Now().Add(-time.Hour)
	write("go.mod", "module example.com/tool\n\ngo 1.22\n", past)
	write("cmd/tool/main.go", "package main\n\nfunc main() {}\n", past)
	write("build/tool", "made by make build", time.Now())

	got, err := Binary(t.Context(), root, "tool", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if got != filepath.Join(root, "build", "tool") {
		t.Fatalf("fresh build/tool not used: got %s", got)
	}

	write("cmd/tool/main.go", "package main\n\nfunc main() { println() }\n", time.Now().Add(time.Minute))
	dir := t.TempDir()
	got, err = Binary(t.Context(), root, "tool", dir)
	if err != nil {
		t.Fatal(err)
	}
	if got != filepath.Join(dir, "tool") {
		t.Fatalf("stale build/tool used: got %s", got)
	}
	if fi, err := os.Stat(got); err != nil || fi.Size() == 0 {
		t.Fatalf("no binary built at %s: %v", got, err)
	}
}
