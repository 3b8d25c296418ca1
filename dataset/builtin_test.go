package dataset

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/assay-network/assay/task"
	"github.com/assay-network/assay/task/fetch"
)

// The built-in task files (v2).
const builtinDir = "../scripts/tasks"

// builtinFiles lists the built-in task files.
func builtinFiles(t testing.TB) []string {
	paths, err := filepath.Glob(filepath.Join(builtinDir, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no built-in task files in %s: %v", builtinDir, err)
	}
	for i, p := range paths {
		paths[i] = filepath.Base(p)
	}
	return paths
}

// builtinTask parses a built-in task file and fetches its files from the
// data directory `make data` fills, into a fresh cache (file:// mirrors,
// found by hash so no path is named here). It skips when a file is absent.
func builtinTask(t testing.TB, file string) (task.Spec, map[string]string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(builtinDir, file))
	if err != nil {
		t.Fatal(err)
	}
	s, err := task.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	local := localFilesByHash(t, DefaultDataDir(), s)
	f := &fetch.Fetcher{DataDir: t.TempDir()}
	paths := map[string]string{}
	for _, file := range s.Dataset.Files {
		src, ok := local[file.SHA256]
		if !ok {
			t.Skipf("%s: no file with sha256 %s (%s) in %s; run `make data` or set ASSAY_DATA_DIR", s.Name, file.SHA256, file.Role, DefaultDataDir())
		}
		file.URLs = []string{"file://" + src}
		r, err := f.Get(context.Background(), file)
		if err != nil {
			t.Fatal(err)
		}
		paths[file.Role] = r.Path
	}
	return s, paths
}

// localFilesByHash hashes the files under dir whose size a task file names.
func localFilesByHash(t testing.TB, dir string, s task.Spec) map[string]string {
	sizes := map[int64]bool{}
	for _, f := range s.Dataset.Files {
		sizes[int64(f.SizeBytes)] = true
	}
	out := map[string]string{}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real // WalkDir does not follow a symlinked root (data -> /elsewhere)
	}
	filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return nil
		}
		if info, err := os.Stat(p); err != nil || !sizes[info.Size()] {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		sum := sha256.Sum256(b)
		out[hex.EncodeToString(sum[:])] = p
		return nil
	})
	return out
}

// TestBuiltinTasks loads each built-in task through the generic path and
// pins what it finds: rows, features, classes, the split's sizes and the
// protected groups (the registry loaders these were once compared with are
// gone; a change here changes what miners train on and validators sample).
func TestBuiltinTasks(t *testing.T) {
	want := map[string]string{
		"german-credit": "1000 rows (700 train, 300 validation), 20 features, classes [good bad]; groups [female male] rows [310 690]",
		"cps1985-wages": "534 rows (373 train, 161 validation), 10 features, classes [clerical management other professional sales service]; groups [female male] rows [245 289]",
		"mnist":         "3000 rows (2000 train, 1000 validation), 784 features, classes [0 1 2 3 4 5 6 7 8 9]",
	}
	for _, file := range builtinFiles(t) {
		t.Run(file, func(t *testing.T) {
			s, paths := builtinTask(t, file)
			opts := LoadOptions{}
			if s.IsImage() {
				// A prefix keeps the test quick.
				opts = LoadOptions{MaxTrain: 2000, MaxValidation: 1000}
			}
			d, err := opts.LoadTask(s, paths)
			if err != nil {
				t.Fatal(err)
			}
			rows := d.Len()
			if s.IsImage() {
				rows = len(d.Train) + len(d.Validation)
			}
			got := fmt.Sprintf("%d rows (%d train, %d validation), %d features, classes %v", rows, len(d.Train), len(d.Validation), len(d.Schema.Features), d.Schema.Classes)
			if pc := d.ProtectedColumn; pc != nil {
				counts, err := d.ProtectedCounts()
				if err != nil {
					t.Fatal(err)
				}
				got += fmt.Sprintf("; groups %v rows %v", pc.Groups, counts)
				if _, err := pc.Twins(d.rows); err != nil {
					t.Fatal(err)
				}
			}
			if got != want[s.Name] {
				t.Fatalf("%s: %s\nwant %s", s.Name, got, want[s.Name])
			}
		})
	}
}

// BenchmarkReadBuiltin reads each built-in data file (decompressing and
// parsing, no split or encoding) and reports rows/s.
func BenchmarkReadBuiltin(b *testing.B) {
	for _, file := range builtinFiles(b) {
		s, paths := builtinTask(b, file)
		for _, role := range []string{task.RoleData, task.RoleTrainImages} {
			path, ok := paths[role]
			if !ok {
				continue
			}
			b.Run(s.Name+"/"+role, func(b *testing.B) {
				rows := 0
				start := time.Now()
				for range b.N {
					err := readData(path, func(r io.Reader) error {
						switch s.Dataset.Format {
						case task.FormatIDX:
							idx, err := ReadIDX(r, path)
							if err == nil {
								rows = idx.Dims[0]
							}
							return err
						case task.FormatARFF:
							tb, err := ReadARFFWith(r, path, ReadOptions{Missing: true})
							if err == nil {
								rows = len(tb.Rows)
							}
							return err
						}
						tb, err := ReadCSVWith(r, path, ReadOptions{Missing: true})
						if err == nil {
							rows = len(tb.Rows)
						}
						return err
					})
					if err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(rows*b.N)/time.Since(start).Seconds(), "rows/s")
			})
		}
	}
}
