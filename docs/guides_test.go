package docs_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/stretchr/testify/require"

	miner "github.com/assay-network/assay/cmd/assay-miner/cmd"
	validator "github.com/assay-network/assay/cmd/assay-validator/cmd"
	assayd "github.com/assay-network/assay/cmd/assayd/cmd"
)

// shBlock matches the ```sh blocks, and the ```sh example blocks (commands
// on the reader's own files, which tests/guides does not run) too.
var shBlock = regexp.MustCompile("(?s)```sh(?: example)?\n(.*?)```")

// guideCommands extracts the assayd, assay-miner and assay-validator
// command lines of every ```sh block of a guide: continuations joined,
// trailing comments dropped.
func guideCommands(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var out []string
	for _, m := range shBlock.FindAllStringSubmatch(string(b), -1) {
		joined := strings.ReplaceAll(m[1], "\\\n", " ")
		for _, line := range strings.Split(joined, "\n") {
			if i := strings.Index(line, " #"); i >= 0 {
				line = line[:i]
			}
			line = strings.TrimSpace(line)
			for _, bin := range []string{"assayd ", "assay-miner ", "assay-validator "} {
				if strings.HasPrefix(line, bin) {
					out = append(out, line)
				}
			}
		}
	}
	return out
}

// TestGuidesCommandsParse: every daemon and CLI command in the operator
// guides names a command that exists, only flags it has, and as many
// arguments as it takes, so a reader can paste it as written. (It checks
// the command lines against the binaries' command trees, not against a
// running chain.)
func TestGuidesCommandsParse(t *testing.T) {
	roots := map[string]func() *cobra.Command{
		"assayd": assayd.NewRootCmd, "assay-miner": miner.NewRootCmd, "assay-validator": validator.NewRootCmd,
	}
	guides, err := filepath.Glob("*.md")
	require.NoError(t, err)
	checked := 0
	for _, guide := range guides {
		for _, line := range guideCommands(t, guide) {
			fields := strings.Fields(line)
			root := roots[fields[0]]()
			if fields[0] == "assayd" {
				root.PersistentFlags().String("home", "", "") // svrcmd.Execute adds it in the binary
			}
			cmd, rest, err := root.Find(fields[1:])
			require.NoError(t, err, "%s: %s", guide, line)
			if cmd.HasSubCommands() && len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
				t.Errorf("%s: %s: %q is not a command of %s", guide, line, rest[0], cmd.CommandPath())
				continue
			}
			if cmd.DisableFlagParsing {
				checked++
				continue // cosmos-sdk's keys commands parse their own flags
			}
			if err := cmd.ParseFlags(rest); errors.Is(err, pflag.ErrHelp) {
				checked++
				continue
			} else if err != nil {
				t.Errorf("%s: %s: %v", guide, line, err)
				continue
			}
			if err := cmd.ValidateArgs(cmd.Flags().Args()); err != nil {
				t.Errorf("%s: %s: %v", guide, line, err)
			}
			checked++
		}
	}
	require.Greater(t, checked, 40, "the guides' command lines were found")
}
