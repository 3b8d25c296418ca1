package cli_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/cosmos/cosmos-sdk/client"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/app"
	"github.com/assay-network/assay/task"
	"github.com/assay-network/assay/x/subnet"
	"github.com/assay-network/assay/x/subnet/client/cli"
)

// creditCSV is a data set the code has never seen: 60 rows, label approved
// (yes on 40), protected column sex (f on 24).
func creditCSV(singleClass bool) []byte {
	var b bytes.Buffer
	b.WriteString("age,sex,amount,approved\n")
	for i := range 60 {
		sex, label := "m", "yes"
		if i%5 < 2 {
			sex = "f"
		}
		if i%3 == 0 && !singleClass {
			label = "no"
		}
		fmt.Fprintf(&b, "%d,%s,%d,%s\n", 20+i%40, sex, 500+41*i, label)
	}
	return b.Bytes()
}

// creditTask is a task file for data served at url, as a JSON tree to mutate.
func creditTask(data []byte, url string) map[string]any {
	sum := sha256.Sum256(data)
	var m map[string]any
	err := json.Unmarshal([]byte(fmt.Sprintf(`{"name": "credit-test", "task_type": "tabular-classification",
  "dataset": {"format": "csv", "files": [{"role": "data", "sha256": %q, "size_bytes": %d, "urls": [%q]}]},
  "label": {"column": "approved", "positive": "yes"}, "split": {"seed": 7, "validation_fraction": "0.25"},
  "metric": "accuracy",
  "fairness": {"protected": {"column": "sex", "groups": {"female": ["f"], "male": ["m"]}, "counterfactual": {"f": "m", "m": "f"}},
    "bias_metric": "counterfactual_flip", "bias_weight": "0.5"},
  "reward": {"baseline": "majority", "temperature": "0.05"}, "max_latency_ms": 1000}`,
		hex.EncodeToString(sum[:]), len(data), url)), &m)
	if err != nil {
		panic(err)
	}
	return m
}

func serveBytes(t *testing.T, data []byte) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(data) }))
	t.Cleanup(srv.Close)
	return srv.URL + "/credit.csv"
}

func writeJSON(t *testing.T, v any) string {
	t.Helper()
	bz, err := json.Marshal(v)
	require.NoError(t, err)
	return writeFile(t, bz)
}

func writeFile(t *testing.T, bz []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "task.json")
	require.NoError(t, os.WriteFile(p, bz, 0o600))
	return p
}

// run executes a command as assayd would, with a client context whose home
// is a temp dir; the data check needs no chain.
func run(t *testing.T, cmd *cobra.Command, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SilenceUsage = true
	app.SetAddressConfig()
	enc := moduletestutil.MakeTestEncodingConfig(subnet.AppModule{})
	cctx := client.Context{}.WithHomeDir(t.TempDir()).WithCodec(enc.Codec).WithTxConfig(enc.TxConfig).
		WithInterfaceRegistry(enc.InterfaceRegistry).WithOutput(&out)
	err = cmd.ExecuteContext(context.WithValue(context.Background(), client.ClientContextKey, &cctx))
	return out.String(), errb.String(), err
}

func TestValidateTaskReportsTheData(t *testing.T) {
	data := creditCSV(false)
	spec := creditTask(data, serveBytes(t, data))
	path := writeJSON(t, spec)
	dataDir := t.TempDir()
	out, _, err := run(t, cli.NewValidateTaskCmd(), path, "--data-dir", dataDir)
	require.NoError(t, err)
	s, err := task.Parse([]byte(mustJSON(spec)))
	require.NoError(t, err)
	hash, _ := s.Hash()
	for _, want := range []string{"task credit-test (tabular-classification)", "task hash " + hash,
		"rows: 60 (train 45, validation 15), 3 features", "classes of approved: no 20, yes 40",
		"protected sex, groups: female 24, male 36", `majority baseline: "yes" on 66.7%`, "passes every check"} {
		require.Contains(t, out, want)
	}
	_, err = os.Stat(filepath.Join(dataDir, "sha256", s.Dataset.Files[0].SHA256))
	require.NoError(t, err, "the file is in the data dir's cache")
}

// Every bad task is refused by validate-task and, before anything is
// signed, by register-subnet: one line naming the field (or the URL and
// both hashes), nothing cached.
func TestBadTasksAreRefused(t *testing.T) {
	data := creditCSV(false)
	url := serveBytes(t, data)
	single := creditCSV(true)
	singleURL := serveBytes(t, single)
	tampered := bytes.Replace(data, []byte("20,"), []byte("21,"), 1)
	tamperedURL := serveBytes(t, tampered)
	tamperedSum := sha256.Sum256(tampered)
	dataSum := sha256.Sum256(data)

	with := func(d []byte, u string, mut func(m map[string]any)) func(*testing.T) string {
		return func(t *testing.T) string { m := creditTask(d, u); mut(m); return writeJSON(t, m) }
	}
	fairness := func(m map[string]any) map[string]any { return m["fairness"].(map[string]any) }
	protected := func(m map[string]any) map[string]any { return fairness(m)["protected"].(map[string]any) }
	cases := []struct {
		name string
		file func(*testing.T) string
		want []string
	}{
		{"malformed JSON", func(t *testing.T) string { return writeFile(t, []byte(`{"name": "x",`)) }, []string{"task file ", ": task: "}},
		{"unknown enum", with(data, url, func(m map[string]any) { m["metric"] = "vibes" }), []string{`task: metric: `, `"vibes"`}},
		{"missing label column", with(data, url, func(m map[string]any) { m["label"].(map[string]any)["column"] = "outcome" }),
			[]string{`task: label.column: no column "outcome" in the data`}},
		{"protected column the data lacks", with(data, url, func(m map[string]any) { protected(m)["column"] = "race" }),
			[]string{`task: fairness.protected.column: no feature "race"`}},
		{"single-class label", with(single, singleURL, func(map[string]any) {}),
			[]string{`task: label.column: "approved" has a single class "yes"`}},
		{"group covering no row", with(data, url, func(m map[string]any) {
			protected(m)["column"] = "age"
			protected(m)["groups"] = map[string]any{"young": map[string]any{"max": "30"}, "adult": map[string]any{"min": "30", "max": "100"},
				"old": map[string]any{"min": "100"}}
			protected(m)["counterfactual"] = map[string]any{"young": "40", "adult": "25", "old": "25"}
		}), []string{`task: fairness.protected.groups["old"]: covers no row`}},
		{"wrong hash", with(data, tamperedURL, func(map[string]any) {}),
			[]string{tamperedURL, hex.EncodeToString(dataSum[:]), hex.EncodeToString(tamperedSum[:]), "wrong sha256"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.file(t)
			for _, cmd := range []struct {
				name string
				c    *cobra.Command
				args []string
			}{
				{"validate-task", cli.NewValidateTaskCmd(), []string{path}},
				{"register-subnet", cli.NewRegisterSubnetCmd(), append([]string{"--task-file", path}, generateOnly()...)},
			} {
				dataDir := t.TempDir()
				out, _, err := run(t, cmd.c, append(cmd.args, "--data-dir", dataDir)...)
				require.Error(t, err, cmd.name)
				require.NotContains(t, err.Error(), "\n", "%s: one line", cmd.name)
				for _, want := range tc.want {
					require.ErrorContains(t, err, want, cmd.name)
				}
				require.NotContains(t, out, "passes every check")
				left, _ := filepath.Glob(filepath.Join(dataDir, "sha256", "*"))
				if tc.name == "wrong hash" {
					require.Empty(t, left, "%s: nothing cached", cmd.name)
				}
			}
		})
	}
}

// generateOnly makes register-subnet print the unsigned tx instead of
// signing and broadcasting it: no keyring, no node.
func generateOnly() []string {
	app.SetAddressConfig()
	return []string{"--generate-only", "--offline", "--from", sdk.AccAddress(make([]byte, 20)).String(),
		"--gas", "200000", "--account-number", "1", "--sequence", "1"}
}

// A good task: the report goes to stderr, then the tx carries the task's
// canonical JSON.
func TestRegisterSubnetChecksThenSends(t *testing.T) {
	data := creditCSV(false)
	m := creditTask(data, serveBytes(t, data))
	out, stderr, err := run(t, cli.NewRegisterSubnetCmd(), append([]string{"--task-file", writeJSON(t, m), "--data-dir", t.TempDir()}, generateOnly()...)...)
	require.NoError(t, err)
	require.Contains(t, stderr, "classes of approved: no 20, yes 40")
	require.Contains(t, stderr, "passes every check")
	s, err := task.Parse([]byte(mustJSON(m)))
	require.NoError(t, err)
	canonical, err := s.Canonical()
	require.NoError(t, err)
	var tx struct {
		Body struct {
			Messages []struct {
				Name     string `json:"name"`
				TaskSpec string `json:"task_spec"`
			} `json:"messages"`
		} `json:"body"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &tx), out)
	require.Len(t, tx.Body.Messages, 1)
	require.Equal(t, "credit-test", tx.Body.Messages[0].Name, "the name defaults to the task's")
	require.Equal(t, string(canonical), tx.Body.Messages[0].TaskSpec)
}

// --skip-data-check is the explicit way past the data check: the task is
// still parsed (the chain would refuse it anyway), its data is not read.
func TestSkipDataCheck(t *testing.T) {
	data := creditCSV(false)
	m := creditTask(data, "http://127.0.0.1:1/nowhere.csv")
	m["label"].(map[string]any)["column"] = "outcome"
	out, stderr, err := run(t, cli.NewRegisterSubnetCmd(), append([]string{"--task-file", writeJSON(t, m), "--skip-data-check",
		"--data-dir", t.TempDir()}, generateOnly()...)...)
	require.NoError(t, err)
	require.Contains(t, stderr, "data check skipped")
	require.Contains(t, out, `\"column\":\"outcome\"`)
}

func mustJSON(v any) string {
	bz, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(bz)
}
