package cmd

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/spf13/cobra"
	"sigs.k8s.io/yaml"
)

// txOutcome passes a tx command's output through and remembers the last
// tx response printed. The SDK prints a response whose code is non-zero
// (CheckTx refused the tx) and returns nil, so a script saw success;
// assayd turns that code into an error after the command has run.
type txOutcome struct {
	w    io.Writer
	last *txResult
}

// txResult is the part of sdk.TxResponse an exit status needs.
type txResult struct {
	TxHash    string `json:"txhash"`
	Codespace string `json:"codespace"`
	Code      uint32 `json:"code"`
	RawLog    string `json:"raw_log"`
}

// Write sees each printed document whole: the client context writes a
// response in one call (JSON, or YAML with --output text).
func (o *txOutcome) Write(p []byte) (int, error) {
	if r, ok := parseTxResult(p); ok {
		o.last = &r
	}
	return o.w.Write(p)
}

func parseTxResult(p []byte) (txResult, bool) {
	var r txResult
	j, err := yaml.YAMLToJSON(p) // JSON is YAML: one parser for both output formats
	if err != nil || json.Unmarshal(j, &r) != nil || r.TxHash == "" {
		return txResult{}, false
	}
	return r, true
}

// err is the failure of the last response printed, nil if none failed.
func (o *txOutcome) err() error {
	if o.last == nil || o.last.Code == 0 {
		return nil
	}
	return fmt.Errorf("tx %s refused: %s code %d: %s", o.last.TxHash, o.last.Codespace, o.last.Code, o.last.RawLog)
}

// checkTxCodes makes every command under `assayd tx` fail (exit 1, no
// usage block) when the response it printed carries a non-zero code.
func checkTxCodes(root *cobra.Command) {
	pre, post := root.PersistentPreRunE, root.PersistentPostRunE
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if err := pre(cmd, args); err != nil || !isTxCmd(cmd) {
			return err
		}
		// Autocli prints to cmd's output, the hand-written commands to the
		// client context's: both go through the recorder.
		o := &txOutcome{w: cmd.OutOrStdout()}
		cmd.SetOut(o)
		return client.SetCmdClientContext(cmd, client.GetClientContextFromCmd(cmd).WithOutput(o))
	}
	root.PersistentPostRunE = func(cmd *cobra.Command, args []string) error {
		if post != nil {
			if err := post(cmd, args); err != nil {
				return err
			}
		}
		if o, ok := cmd.OutOrStdout().(*txOutcome); ok {
			if err := o.err(); err != nil {
				cmd.SilenceUsage = true
				return err
			}
		}
		return nil
	}
}

// isTxCmd reports whether cmd is under `assayd tx`.
func isTxCmd(cmd *cobra.Command) bool {
	for c := cmd; c.HasParent(); c = c.Parent() {
		if c.Name() == "tx" && !c.Parent().HasParent() {
			return true
		}
	}
	return false
}
