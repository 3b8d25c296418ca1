package cmd

import (
	"bytes"
	"strings"
	"testing"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"
)

// execute runs assayd as main does and returns what a user sees: the
// command's output, then the error main prints.
func execute(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := NewRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := svrcmd.Execute(root, "ASSAY", t.TempDir())
	if err != nil {
		out.WriteString("Error: " + FormatError(err) + "\n")
	}
	return out.String(), err
}

// TestExportForZeroHeightOneLine: on an initialised home, `export
// --for-zero-height` fails with one line saying it is not supported yet,
// and no usage block.
func TestExportForZeroHeightOneLine(t *testing.T) {
	home := t.TempDir()
	if out, err := execute(t, "init", "node0", "--chain-id", "assay-test", "--home", home); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	out, err := execute(t, "export", "--for-zero-height", "--home", home)
	if err == nil {
		t.Fatalf("export --for-zero-height succeeded:\n%s", out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1 || strings.Contains(out, "Usage:") || !strings.Contains(out, "--for-zero-height is not supported") {
		t.Fatalf("want one line saying --for-zero-height is not supported, got %d lines:\n%s", len(lines), out)
	}
}
