package docs_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The READMEs and guides point readers at files ("x/emission/keeper/epoch.go
// does this") and at tests ("go test -run TestFoo"). Both go stale silently
// when code moves: a `-run` naming no test runs nothing and passes. These
// tests hold every such reference in every Markdown file to the tree.

// repoRoot is the module root, seen from this package's directory.
const repoRoot = ".."

// notInClone are the top-level paths a fresh clone lacks until a make
// target makes them (.gitignore), so docs may name files under them.
var notInClone = []string{"build", "data", "models", ".localnet", ".testnet", ".cache"}

// repoFiles lists the repository's files whose names end in suffix, by
// path from the root; hidden folders, node_modules, testdata and what make
// targets create are not the repository's own.
func repoFiles(t *testing.T, suffix string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(repoRoot, path)
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && rel != "." || slices.Contains(notInClone, rel) || d.Name() == "node_modules" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, suffix) {
			out = append(out, rel)
		}
		return nil
	})
	require.NoError(t, err)
	require.NotEmpty(t, out)
	return out
}

var testFunc = regexp.MustCompile(`(?m)^func ((?:Test|Benchmark|Fuzz)[A-Za-z0-9_]*)\(`)

// definedTests are the names of every test, benchmark and fuzz target in
// the module.
func definedTests(t *testing.T) []string {
	t.Helper()
	var names []string
	for _, path := range repoFiles(t, "_test.go") {
		b, err := os.ReadFile(filepath.Join(repoRoot, path))
		require.NoError(t, err)
		for _, m := range testFunc.FindAllSubmatch(b, -1) {
			names = append(names, string(m[1]))
		}
	}
	return names
}

// testName is a Go test name as prose and -run patterns write it; the
// `-run` patterns select by prefix, so a name counts if some test starts
// with it.
var testName = regexp.MustCompile(`\b(?:Test|Benchmark|Fuzz)[A-Z][A-Za-z0-9_]*`)

// TestDocsNameTestsThatExist: every TestX, BenchmarkX and FuzzX a Markdown
// file names is (a prefix of) a test in the module.
func TestDocsNameTestsThatExist(t *testing.T) {
	defined := definedTests(t)
	require.Contains(t, defined, "TestDocsNameTestsThatExist")
	for _, doc := range repoFiles(t, ".md") {
		b, err := os.ReadFile(filepath.Join(repoRoot, doc))
		require.NoError(t, err)
		for _, name := range slices.Compact(slices.Sorted(slices.Values(testName.FindAllString(string(b), -1)))) {
			if !slices.ContainsFunc(defined, func(d string) bool { return strings.HasPrefix(d, name) }) {
				t.Errorf("%s names %s, but no test, benchmark or fuzz target starts with that name", doc, name)
			}
		}
	}
}

var (
	codeSpan = regexp.MustCompile("`([^`\n]+)`")
	// repoPath is a relative path as the docs write one: segments of
	// plain characters, at least one slash, no placeholder (<x>, {x}, *, $).
	repoPath = regexp.MustCompile(`^(?:\./)?[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+/?$`)
	lineRef  = regexp.MustCompile(`:[0-9][0-9,–-]*$`)
	mdLink   = regexp.MustCompile(`\]\(([^)\s#]+)(?:#[^)]*)?\)`)
)

// TestDocsNameFilesThatExist: every repository path in a Markdown file's
// code spans (`x/emission/keeper/epoch.go`, `./cmd/assay-miner/...`,
// `file.go:42`) and every relative link exists, from the root or from the
// document's own folder. Paths under what a make target creates (build/,
// data/, models/) are not in a clone and are not checked; neither is a link
// out of the repository (the design contract lives beside it).
func TestDocsNameFilesThatExist(t *testing.T) {
	top, err := os.ReadDir(repoRoot)
	require.NoError(t, err)
	isTop := func(first string) bool {
		return slices.ContainsFunc(top, func(e fs.DirEntry) bool { return e.Name() == first })
	}
	exists := func(path string) bool {
		_, err := os.Stat(filepath.Join(repoRoot, path))
		return err == nil
	}
	checked := 0
	for _, doc := range repoFiles(t, ".md") {
		b, err := os.ReadFile(filepath.Join(repoRoot, doc))
		require.NoError(t, err)
		text, dir := string(b), filepath.Dir(doc)
		for _, m := range codeSpan.FindAllStringSubmatch(text, -1) {
			for _, tok := range strings.Fields(m[1]) {
				tok = lineRef.ReplaceAllString(strings.TrimRight(tok, ".,;:)"), "")
				tok = strings.TrimSuffix(tok, "/...")
				if !repoPath.MatchString(tok) {
					continue
				}
				tok = strings.TrimPrefix(tok, "./")
				first := strings.SplitN(tok, "/", 2)[0]
				if first == ".." && strings.HasPrefix(filepath.Join(dir, tok), "..") {
					continue // out of the repository (the design contract lives beside it)
				}
				if slices.Contains(notInClone, first) || !isTop(first) && !exists(filepath.Join(dir, first)) {
					continue // not a path of this repository (a URL path, a Go import, a file of the reader's)
				}
				checked++
				if pkg, ok := qualifiedSymbol(tok); ok {
					tok = pkg // internal/testchain.New: the package's folder
				}
				if !exists(tok) && !exists(filepath.Join(dir, tok)) {
					t.Errorf("%s names `%s`, which is not in the repository", doc, tok)
				}
			}
		}
		for _, m := range mdLink.FindAllStringSubmatch(text, -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			path := filepath.Join(dir, target)
			if strings.HasPrefix(path, "..") || slices.Contains(notInClone, strings.SplitN(path, "/", 2)[0]) {
				continue
			}
			checked++
			if !exists(path) {
				t.Errorf("%s links to %s, which is not in the repository", doc, target)
			}
		}
	}
	require.Greater(t, checked, 300, "the docs name hundreds of files; finding few means the scan broke")
}

// qualifiedSymbol splits a Go symbol written with its package's path
// (internal/testchain.New, task/check.Load) into that path.
func qualifiedSymbol(tok string) (string, bool) {
	slash := strings.LastIndex(tok, "/")
	dot := strings.Index(tok[slash+1:], ".")
	if dot <= 0 {
		return "", false
	}
	ident := tok[slash+1+dot+1:]
	if ident == "" || ident[0] < 'A' || ident[0] > 'Z' {
		return "", false // file.go, not pkg.Symbol
	}
	return tok[:slash+1+dot], true
}
