package buildcheck

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestSourcesNewerThan(t *testing.T) {
	root := t.TempDir()
	write := func(rel string) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("build/assayd")
	write("a_test.go")
	write("data/x.go")
	write("testdata/y.go")
	write(".git/z.go")
	past := time.Now().Add(-time.Hour)
	if SourcesNewerThan(root, past) {
		t.Fatal("tests, build outputs, data, testdata and hidden dirs counted as sources")
	}
	write("x/keeper/k.go")
	if !SourcesNewerThan(root, past) {
		t.Fatal("a Go source changed after the build and was not seen")
	}
	if SourcesNewerThan(root, time.Now().Add(time.Hour)) {
		t.Fatal("a source older than the build counted as newer")
	}
}
