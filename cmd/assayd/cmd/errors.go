package cmd

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
)

// Errors reach the user of assayd after crossing gRPC, the SDK's errors
// package and cobra, each of which decorates them: a usage block, Go source
// locations ("[.../x/subnet/types/task.go:28]", added where the node runs in
// debug mode) and one "rpc error: code = … desc =" per hop. None of that
// helps someone who typed a command, so the CLI prints one line: the
// module's own message.

var (
	sourceLocation = regexp.MustCompile(`\s*\[[^\[\]\s]+\.go:\d+\]`)
	rpcPrefix      = regexp.MustCompile(`rpc error: code = (\w+) desc = `)
	spaces         = regexp.MustCompile(`[ \t]+`)
	// a simulation's failure carries the gas it used and the SDK's catch-all
	// "unknown request" code: neither says anything about the user's input
	simulationNoise = regexp.MustCompile(` with gas used: '\d+'|: unknown request$`)
)

// FormatError is the line assayd prints for err: source locations dropped,
// gRPC's prefix kept once (with its code when that says something, e.g.
// NotFound), newlines folded so the message stays one line.
func FormatError(err error) string {
	msg := sourceLocation.ReplaceAllString(err.Error(), "")
	codes := rpcPrefix.FindAllStringSubmatch(msg, -1)
	if len(codes) > 0 {
		msg = rpcPrefix.ReplaceAllString(msg, "")
		if code := codes[0][1]; code != "Unknown" {
			msg = code + ": " + msg
		}
	}
	msg = strings.Join(strings.Fields(strings.ReplaceAll(msg, "\n", " ")), " ")
	msg = simulationNoise.ReplaceAllString(msg, "")
	return spaces.ReplaceAllString(msg, " ")
}

// quietErrors makes every command print only the error (no usage block
// after a failure the user did not cause by misusing flags) and explains the
// flag errors users meet most: a negative number taken for a flag.
func quietErrors(root *cobra.Command) {
	root.SilenceUsage = true
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		msg := err.Error()
		if i := strings.Index(msg, "unknown shorthand flag: '"); i >= 0 {
			if arg := flagArg(msg); arg != "" && isNegativeNumber(arg) {
				return fmt.Errorf("%s: argument %s is negative; amounts, netuids and uids are whole numbers ≥ 0 (see '%s --help')", cmd.CommandPath(), arg, cmd.CommandPath())
			}
		}
		return fmt.Errorf("%s: %s (see '%s --help')", cmd.CommandPath(), msg, cmd.CommandPath())
	})
}

// flagArg returns the argument pflag quoted in "… in -5".
func flagArg(msg string) string {
	i := strings.LastIndex(msg, " in ")
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(msg[i+len(" in "):])
}

func isNegativeNumber(s string) bool {
	if len(s) < 2 || s[0] != '-' {
		return false
	}
	for _, r := range s[1:] {
		if (r < '0' || r > '9') && r != '.' {
			return false
		}
	}
	return true
}
