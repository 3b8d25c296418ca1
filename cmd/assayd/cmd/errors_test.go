package cmd

import (
	"errors"
	"strings"
	"testing"
)

func TestFormatErrorOneLine(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{
			// what `register-subnet` printed for a bad task before: two gRPC
			// prefixes and the node's source locations
			"rpc error: code = Unknown desc = rpc error: code = Unknown desc = failed to execute message; message index: 0: task_type: unknown \"x\" [/root/go/pkg/mod/cosmossdk.io/errors@v1.0.1/errors.go:165] [/work/main/x/subnet/types/task.go:28]: invalid task spec",
			"failed to execute message; message index: 0: task_type: unknown \"x\": invalid task spec",
		},
		{
			"rpc error: code = NotFound desc = netuid 999: subnet not found",
			"NotFound: netuid 999: subnet not found",
		},
		{"registration on netuid 1 costs 179242uassay,\nmax_cost is 10uassay", "registration on netuid 1 costs 179242uassay, max_cost is 10uassay"},
		{"plain", "plain"},
		{
			// a refused simulation as the node reports it
			"rpc error: code = Unknown desc = failed to execute message; message index: 0: registration on netuid 1 costs 100000uassay, max_cost is 10uassay: registration cost above max_cost with gas used: '39426': unknown request",
			"failed to execute message; message index: 0: registration on netuid 1 costs 100000uassay, max_cost is 10uassay: registration cost above max_cost",
		},
	} {
		if got := FormatError(errors.New(tc.in)); got != tc.want {
			t.Errorf("FormatError(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

// TestCLIErrorsHaveNoUsageBlock runs assayd as main does on inputs users get
// wrong and checks what they see: one line, no usage block, no Go source
// path, at most one gRPC prefix, and the argument named.
func TestCLIErrorsHaveNoUsageBlock(t *testing.T) {
	home := t.TempDir()
	addr := "assay1qyqszqgpqyqszqgpqyqszqgpqyqszqgpz7cxq8" // any well-formed address; nothing is sent
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"q", "subnet", "subnet", "abc"}, "abc"},
		{[]string{"tx", "subnet", "add-stake", "1", addr, "-5", "--from", "alice", "--home", home, "--keyring-backend", "test"}, "argument -5 is negative"},
		{[]string{"tx", "subnet", "add-stake", "1", addr, "--bogus", "--home", home}, "unknown flag: --bogus"},
		{[]string{"q", "subnet", "subnet", "1", "--node", "tcp://127.0.0.1:1", "--home", home}, "127.0.0.1:1"},
	} {
		out, err := execute(t, tc.args...)
		if err == nil {
			t.Errorf("%v succeeded:\n%s", tc.args, out)
			continue
		}
		out = strings.TrimSpace(out)
		if strings.Contains(out, "Usage:") || strings.Contains(out, ".go:") ||
			strings.Count(out, "rpc error") > 1 || strings.Contains(out, "\n") {
			t.Errorf("%v: want one plain line, got:\n%s", tc.args, out)
		}
		if !strings.Contains(out, tc.want) {
			t.Errorf("%v: %q does not name %q", tc.args, out, tc.want)
		}
	}
}
