package dataset

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
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

// TestBuiltinTasksMatchRegistry loads each built-in task through the
// generic path and compares it with the registry loader of the same name:
// the same rows, features and labels (where the label is the same column)
// or the old feature the new label is; the split differs by design, so
// only its per-class sizes are compared.
func TestBuiltinTasksMatchRegistry(t *testing.T) {
	for _, file := range builtinFiles(t) {
		t.Run(file, func(t *testing.T) {
			s, paths := builtinTask(t, file)
			opts := LoadOptions{}
			var old *Dataset
			var err error
			if s.IsImage() {
				// 70,000 images as float64 rows are 440 MB: compare a prefix.
				opts = LoadOptions{MaxTrain: 2000, MaxValidation: 1000}
				files, _ := Files(s.Name)
				old, err = LoadMNIST(filepath.Join(DefaultDataDir(), filepath.Dir(files[0])), opts.MaxTrain, opts.MaxValidation)
			} else {
				old, err = Load(DefaultDataDir(), s.Name)
			}
			if err != nil {
				t.Fatalf("registry loader: %v", err)
			}
			d, err := opts.LoadTask(s, paths)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d rows (%d train, %d validation), %d features, classes %v", s.Name, len(d.X), len(d.Train), len(d.Validation), len(d.Schema.Features), d.Schema.Classes)
			if len(d.X) != len(old.X) || len(d.Schema.Features) != len(old.Schema.Features) {
				t.Fatalf("%d rows × %d features, registry %d × %d", len(d.X), len(d.Schema.Features), len(old.X), len(old.Schema.Features))
			}
			compared := 0
			for j, f := range d.Schema.Features {
				oj := old.Schema.FeatureIndex(f.Name)
				if oj < 0 {
					continue
				}
				compared++
				if of := old.Schema.Features[oj]; of.Kind != f.Kind || !slices.Equal(of.Categories, f.Categories) {
					t.Fatalf("feature %s: %+v, registry %+v", f.Name, f, of)
				}
				for i := range d.X {
					if d.X[i][j] != old.X[i][oj] {
						t.Fatalf("row %d feature %s: %v, registry %v", i, f.Name, d.X[i][j], old.X[i][oj])
					}
				}
			}
			if compared < len(d.Schema.Features)-1 {
				t.Fatalf("only %d of %d features are in the registry's schema", compared, len(d.Schema.Features))
			}
			switch oj := old.Schema.FeatureIndex(d.Schema.Label); {
			case d.Schema.Label == old.Schema.Label || s.IsImage():
				if !slices.Equal(d.Schema.Classes, old.Schema.Classes) || !slices.Equal(d.Y, old.Y) {
					t.Fatalf("labels differ: classes %v vs %v", d.Schema.Classes, old.Schema.Classes)
				}
				if !s.IsImage() && !slices.Equal(d.ClassCounts(d.Validation), old.ClassCounts(old.Validation)) {
					t.Fatalf("validation class counts %v, registry %v", d.ClassCounts(d.Validation), old.ClassCounts(old.Validation))
				}
			case oj >= 0:
				if !slices.Equal(d.Schema.Classes, old.Schema.Features[oj].Categories) {
					t.Fatalf("classes %v, registry's %s levels %v", d.Schema.Classes, d.Schema.Label, old.Schema.Features[oj].Categories)
				}
				for i, y := range d.Y {
					if float64(y) != old.X[i][oj] {
						t.Fatalf("row %d: label %d, registry's %s %v", i, y, d.Schema.Label, old.X[i][oj])
					}
				}
			default:
				t.Fatalf("label %q is neither the registry's label nor one of its features", d.Schema.Label)
			}
			if s.Fairness != nil {
				counts, err := d.ProtectedColumn.Counts(d.X)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%s: protected %s groups %v rows %v", s.Name, d.ProtectedColumn.Name, d.ProtectedColumn.Groups, counts)
				if _, err := d.ProtectedColumn.Twins(d.X); err != nil {
					t.Fatal(err)
				}
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
