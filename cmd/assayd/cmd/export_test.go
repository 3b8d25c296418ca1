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

// TestExportWithoutBlocksOneLine: on a home whose node never ran, `export`
// (with or without --for-zero-height) fails with one line saying there is
// nothing to export, no usage block and no panic. Exports of a running
// chain are tested end to end in tests/upgrade.
func TestExportWithoutBlocksOneLine(t *testing.T) {
	// A home each: the SDK's export leaves its database open (and locked)
	// in this process.
	for _, args := range [][]string{{"export"}, {"export", "--for-zero-height"}} {
		home := t.TempDir()
		if out, err := execute(t, "init", "node0", "--chain-id", "assay-test", "--home", home); err != nil {
			t.Fatalf("init: %v\n%s", err, out)
		}
		out, err := execute(t, append(args, "--home", home, "--log_level", "error")...)
		if err == nil {
			t.Fatalf("%v succeeded on a home with no block:\n%s", args, out)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 1 || strings.Contains(out, "Usage:") || !strings.Contains(out, "nothing to export") {
			t.Fatalf("%v: want one line saying there is nothing to export, got %d lines:\n%s", args, len(lines), out)
		}
	}
}
