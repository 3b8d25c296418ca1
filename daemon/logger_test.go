package daemon

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"
)

func TestNewLoggerFormats(t *testing.T) {
	for _, format := range []string{"json", "auto"} { // auto: a buffer is no terminal
		var buf bytes.Buffer
		log, err := NewLogger(&buf, "info", format)
		if err != nil {
			t.Fatal(err)
		}
		log.Info().Str("k", "v").Msg("hello")
		log.Debug().Msg("below the level")
		var line map[string]any
		if err := json.Unmarshal(buf.Bytes(), &line); err != nil || line["k"] != "v" || line["time"] == nil {
			t.Errorf("%s: not one JSON line with fields and time: %q (%v)", format, buf.String(), err)
		}
	}
	var buf bytes.Buffer
	log, err := NewLogger(&buf, "debug", "console")
	if err != nil {
		t.Fatal(err)
	}
	log.Debug().Msg("hello")
	if out := buf.String(); !strings.Contains(out, "hello") || strings.HasPrefix(out, "{") {
		t.Errorf("console output %q", out)
	}
	if _, err := NewLogger(&buf, "loud", "json"); err == nil || !strings.Contains(err.Error(), "--log-level") {
		t.Errorf("bad level: %v", err)
	}
	if _, err := NewLogger(&buf, "info", "xml"); err == nil || !strings.Contains(err.Error(), "--log-format") {
		t.Errorf("bad format: %v", err)
	}
}

func TestSetupLoggingPutsTheLoggerInTheContext(t *testing.T) {
	var got *zerolog.Logger
	root := &cobra.Command{Use: "d"}
	SetupLogging(root)
	root.AddCommand(&cobra.Command{Use: "run", RunE: func(cmd *cobra.Command, _ []string) error {
		got = zerolog.Ctx(cmd.Context())
		got.Warn().Msg("from run")
		return nil
	}})
	var errOut bytes.Buffer
	root.SetErr(&errOut)
	root.SetArgs([]string{"run", "--log-level", "warn", "--log-format", "json"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.GetLevel() != zerolog.WarnLevel || !strings.Contains(errOut.String(), `"message":"from run"`) {
		t.Errorf("logger %v, stderr %q", got, errOut.String())
	}
	root.SetArgs([]string{"run", "--log-format", "xml"})
	if err := root.Execute(); err == nil {
		t.Error("bad --log-format accepted")
	}
}
