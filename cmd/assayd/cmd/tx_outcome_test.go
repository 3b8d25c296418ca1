package cmd

import (
	"io"
	"strings"
	"testing"
)

// TestTxOutcome: the recorder finds the response's code in either output
// format, ignores other documents (a generated tx, a gas estimate), and
// the last response printed decides.
func TestTxOutcome(t *testing.T) {
	refusedJSON := `{"height":"0","txhash":"AB12","codespace":"subnet","code":16,"data":"","raw_log":"model_hash: want 64 hex characters (SHA-256), got 2: invalid axon","logs":[],"events":[]}`
	refusedText := "code: 16\ncodespace: subnet\nheight: \"0\"\nraw_log: 'model_hash: want 64 hex characters (SHA-256), got 2: invalid axon'\ntxhash: AB12\n"
	okJSON := `{"height":"0","txhash":"CD34","codespace":"","code":0,"raw_log":""}`
	unsigned := `{"body":{"messages":[{"@type":"/assay.subnet.v1.MsgServeAxon"}]},"auth_info":{},"signatures":[]}`
	for _, tc := range []struct {
		name    string
		writes  []string
		wantErr string
	}{
		{"refused json", []string{refusedJSON, "\n"}, "tx AB12 refused: subnet code 16: model_hash: want 64 hex"},
		{"refused text", []string{refusedText}, "tx AB12 refused: subnet code 16: model_hash: want 64 hex"},
		{"accepted", []string{okJSON, "\n"}, ""},
		{"generate-only", []string{unsigned, "\n"}, ""},
		{"confirmation then refusal", []string{unsigned, "\n", refusedJSON, "\n"}, "code 16"},
		{"not a document", []string{"gas estimate: 81234\n", "{partial"}, ""},
	} {
		o := &txOutcome{w: io.Discard}
		for _, w := range tc.writes {
			if _, err := o.Write([]byte(w)); err != nil {
				t.Fatal(err)
			}
		}
		err := o.err()
		if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("%s: err %v, want %q", tc.name, err, tc.wantErr)
		}
	}
}
