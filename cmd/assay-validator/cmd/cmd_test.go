package cmd

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assay-network/assay/validator/state"
)

func TestInspectState(t *testing.T) {
	p := filepath.Join(t.TempDir(), "s.json")
	s := state.New(1, "assay1x")
	s.Upsert(2).Score = 0.5
	c := s.Upsert(3)
	c.Reason, c.LastError = "copy of uid 2", "copy of uid 2: model ab… was first published by uid 2"
	if err := state.Save(p, s); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	root := NewRootCmd()
	root.SetOut(&out)
	root.SetArgs([]string{"inspect-state", p})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"score": 0.5`) || !strings.Contains(out.String(), `"reason": "copy of uid 2"`) {
		t.Errorf("output %s", out.String())
	}
	_ = os.WriteFile(p, []byte("{"), 0o600)
	root = NewRootCmd()
	root.SetArgs([]string{"inspect-state", p})
	root.SetErr(&bytes.Buffer{})
	if err := root.Execute(); err == nil {
		t.Error("torn file accepted")
	}
}

func TestRunNeedsFlags(t *testing.T) {
	root := NewRootCmd()
	root.SetArgs([]string{"run"})
	root.SetErr(&bytes.Buffer{})
	err := root.Execute()
	if err == nil || !strings.Contains(err.Error(), "netuid") || !strings.Contains(err.Error(), "from") {
		t.Errorf("err %v, want the required flags named", err)
	}
}
