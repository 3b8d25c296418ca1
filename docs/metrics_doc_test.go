// Package docs_test checks the operator guides against the code they
// describe.
package docs_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	minerpkg "github.com/assay-network/assay/miner"
	validatorpkg "github.com/assay-network/assay/validator"
)

// TestMetricsDocMatchesCode: metrics.md lists exactly the metrics the miner
// and the validator register and exactly the label values they emit. The
// values are read from the source (the string literals handed to the
// metrics), so a new reason fails this test until it is documented.
func TestMetricsDocMatchesCode(t *testing.T) {
	doc := readDoc(t)
	miner, validator := parseDir(t, "../miner"), parseDir(t, "../validator")

	for _, c := range []struct {
		what      string
		code, doc []string
	}{
		{"metric names", append(metricNames(miner, ""), metricNames(validator, "assay_validator_")...), docMetricNames(doc)},
		{"assay_miner_rejections_total reasons", minerReasons(miner), docFirstColumn(t, section(doc, "## Miner"), "reason")},
		{"assay_validator_query_failures_total reasons", validatorReasons(validator), docFirstColumn(t, section(doc, "## Validator"), "reason")},
		{"assay_validator_weight_txs_total kind/result", weightTxLabels(validator), docWeightTxs(t, section(doc, "## Validator"))},
		{"assay_validator_errors_total where", labelsOf(validator, "errors"), docErrorsWhere(t, doc)},
		// the lists whose series start at 0 hold exactly the values the code emits
		{"miner.RejectionReasons", minerpkg.RejectionReasons, minerReasons(miner)},
		{"validator.QueryFailureReasons", validatorpkg.QueryFailureReasons, validatorReasons(validator)},
		{"validator.ErrorPlaces", validatorpkg.ErrorPlaces, labelsOf(validator, "errors")},
	} {
		// an empty list on both sides would match: the code has values for each
		require.NotEmpty(t, c.code, "%s: none found in the code; did the way they are written change?", c.what)
		assert.ElementsMatch(t, c.code, c.doc, "%s: code (list A) vs docs/metrics.md (list B)", c.what)
	}
}

func readDoc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("metrics.md")
	require.NoError(t, err)
	return string(b)
}

// parseDir parses the non-test Go files of one package directory.
func parseDir(t *testing.T, dir string) []*ast.File {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	require.NoError(t, err)
	fset := token.NewFileSet()
	var files []*ast.File
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		require.NoError(t, err)
		files = append(files, f)
	}
	require.NotEmpty(t, files, dir)
	return files
}

func lit(e ast.Expr) (string, bool) {
	b, ok := e.(*ast.BasicLit)
	if !ok || b.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(b.Value)
	return s, err == nil
}

func callName(c *ast.CallExpr) string {
	switch f := c.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

// metricNames joins the Namespace, Subsystem and Name of every prometheus
// *Opts literal whose Name is a literal, and adds prefix to the first
// argument of calls to g (the validator's per-UID gauge helper).
func metricNames(files []*ast.File, prefix string) []string {
	var out []string
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CompositeLit:
				parts := map[string]string{}
				for _, e := range n.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok {
						if k, ok := kv.Key.(*ast.Ident); ok {
							if v, ok := lit(kv.Value); ok {
								parts[k.Name] = v
							}
						}
					}
				}
				if parts["Name"] != "" {
					name := slices.DeleteFunc([]string{parts["Namespace"], parts["Subsystem"], parts["Name"]}, func(s string) bool { return s == "" })
					out = append(out, strings.Join(name, "_"))
				}
			case *ast.CallExpr:
				if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "g" && prefix != "" && len(n.Args) > 0 {
					if v, ok := lit(n.Args[0]); ok {
						out = append(out, prefix+v)
					}
				}
			}
			return true
		})
	}
	return out
}

// minerReasons: the reason of every reject(...) call, rejection{reason: ...}
// literal and `reason = "..."` assignment.
func minerReasons(files []*ast.File) []string {
	set := map[string]bool{}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if callName(n) == "reject" && len(n.Args) > 0 {
					if v, ok := lit(n.Args[0]); ok {
						set[v] = true
					}
				}
			case *ast.KeyValueExpr:
				if k, ok := n.Key.(*ast.Ident); ok && k.Name == "reason" {
					if v, ok := lit(n.Value); ok {
						set[v] = true
					}
				}
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name == "reason" && i < len(n.Rhs) {
						if v, ok := lit(n.Rhs[i]); ok {
							set[v] = true
						}
					}
				}
			}
			return true
		})
	}
	return slices.Sorted(maps.Keys(set))
}

// validatorReasons: the reason of every fail(...) call, every string
// classify and reasonLabel return, and the reason* constants.
func validatorReasons(files []*ast.File) []string {
	set := map[string]bool{}
	for _, f := range files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				inClassify := d.Name.Name == "classify" || d.Name.Name == "reasonLabel"
				ast.Inspect(d, func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.CallExpr:
						if callName(n) == "fail" && len(n.Args) > 0 {
							if v, ok := lit(n.Args[0]); ok {
								set[v] = true
							}
						}
					case *ast.ReturnStmt:
						if inClassify && len(n.Results) == 1 {
							if v, ok := lit(n.Results[0]); ok {
								set[v] = true
							}
						}
					}
					return true
				})
			case *ast.GenDecl:
				for _, s := range d.Specs {
					if vs, ok := s.(*ast.ValueSpec); ok && d.Tok == token.CONST {
						for i, name := range vs.Names {
							if strings.HasPrefix(name.Name, "reason") && i < len(vs.Values) {
								if v, ok := lit(vs.Values[i]); ok {
									set[v] = true
								}
							}
						}
					}
				}
			}
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// labelsOf: the literal first arguments of X.<field>.WithLabelValues(...).
func labelsOf(files []*ast.File, field string) []string {
	set := map[string]bool{}
	for _, pair := range labelCalls(files, field) {
		set[pair[0]] = true
	}
	return slices.Sorted(maps.Keys(set))
}

// labelCalls: the literal arguments of every X.<field>.WithLabelValues(...)
// whose arguments are all literals.
func labelCalls(files []*ast.File, field string) [][]string {
	var out [][]string
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			c, ok := n.(*ast.CallExpr)
			if !ok || callName(c) != "WithLabelValues" {
				return true
			}
			sel, ok := c.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			inner, ok := sel.X.(*ast.SelectorExpr)
			if !ok || inner.Sel.Name != field {
				return true
			}
			var args []string
			for _, a := range c.Args {
				v, ok := lit(a)
				if !ok {
					return true
				}
				args = append(args, v)
			}
			out = append(out, args)
			return true
		})
	}
	return out
}

// weightTxLabels: "kind/result" of every literal weightTxs label pair, and
// "kind/error" for every txFailed(ctx, log, "kind", ...) call.
func weightTxLabels(files []*ast.File) []string {
	set := map[string]bool{}
	for _, p := range labelCalls(files, "weightTxs") {
		set[p[0]+"/"+p[1]] = true
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok && callName(c) == "txFailed" && len(c.Args) > 2 {
				if v, ok := lit(c.Args[2]); ok {
					set[v+"/error"] = true
				}
			}
			return true
		})
	}
	return slices.Sorted(maps.Keys(set))
}

var (
	metricRow = regexp.MustCompile("(?m)^\\| `(assay_[a-z_]+)` \\|")
	backticks = regexp.MustCompile("`([a-z_]+)`")
)

func docMetricNames(doc string) []string {
	var out []string
	for _, m := range metricRow.FindAllStringSubmatch(doc, -1) {
		out = append(out, m[1])
	}
	return out
}

// section is the text of doc from the heading to the next "## ".
func section(doc, heading string) string {
	i := strings.Index(doc, heading)
	if i < 0 {
		return ""
	}
	rest := doc[i+len(heading):]
	if j := strings.Index(rest, "\n## "); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// tableRows returns the cells of the rows of the table whose header's
// first cell is first.
func tableRows(t *testing.T, text, first string) [][]string {
	t.Helper()
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "| "+first+" |") {
			continue
		}
		var rows [][]string
		for _, r := range lines[i+2:] {
			if !strings.HasPrefix(r, "|") {
				break
			}
			rows = append(rows, strings.Split(strings.Trim(r, "|"), "|"))
		}
		return rows
	}
	t.Fatalf("no table headed %q", first)
	return nil
}

func docFirstColumn(t *testing.T, text, first string) []string {
	var out []string
	for _, r := range tableRows(t, text, first) {
		if m := backticks.FindStringSubmatch(r[0]); m != nil {
			out = append(out, m[1])
		}
	}
	return out
}

func docWeightTxs(t *testing.T, text string) []string {
	var out []string
	for _, r := range tableRows(t, text, "kind") {
		kind := backticks.FindStringSubmatch(r[0])
		require.NotNil(t, kind, r)
		for _, m := range backticks.FindAllStringSubmatch(r[1], -1) {
			out = append(out, kind[1]+"/"+m[1])
		}
	}
	return out
}

func docErrorsWhere(t *testing.T, doc string) []string {
	for _, l := range strings.Split(doc, "\n") {
		if strings.HasPrefix(l, "| `assay_validator_errors_total` |") {
			cells := strings.Split(strings.Trim(l, "|"), "|")
			var out []string
			for _, m := range backticks.FindAllStringSubmatch(cells[len(cells)-1], -1) {
				out = append(out, m[1])
			}
			return out
		}
	}
	t.Fatal("no assay_validator_errors_total row")
	return nil
}
