// Package buildcheck tells an integration test whether a built binary is
// older than the sources it was built from, so the test rebuilds it rather
// than testing stale code.
package buildcheck

import (
	"io/fs"
	"path/filepath"
	"strings"
	"time"
)

// SourcesNewerThan reports whether any non-test Go file, go.mod or go.sum
// under root changed after than. Hidden directories, build outputs, data,
// models, node_modules and testdata are not sources.
func SourcesNewerThan(root string, than time.Time) bool {
	newer := false
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if newer {
			return fs.SkipAll
		}
		if err != nil {
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "build" || name == "data" ||
				name == "models" || name == "node_modules" || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if (strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go")) || name == "go.mod" || name == "go.sum" {
			if fi, err := d.Info(); err == nil && fi.ModTime().After(than) {
				newer = true
			}
		}
		return nil
	})
	return newer
}
