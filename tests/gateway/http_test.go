package gateway_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/client"
	gwcmd "github.com/assay-network/assay/cmd/assay-gateway/cmd"
	"github.com/assay-network/assay/dataset"
	"github.com/assay-network/assay/gateway"
	"github.com/assay-network/assay/task"
	"github.com/assay-network/assay/task/check"
)

// api is an HTTP client for one gateway, sending what curl would.
type api struct {
	t    *testing.T
	base string
}

// do sends a request (body nil: none) with the API key (empty: none).
func (a api) do(method, path, key string, body []byte) (int, http.Header, []byte) {
	a.t.Helper()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(a.t.Context(), method, a.base+path, r)
	require.NoError(a.t, err)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(a.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(a.t, err)
	return resp.StatusCode, resp.Header, b
}

// infer posts rows and decodes a 200 answer.
func (a api) infer(netuid uint16, key string, rows []map[string]any) *gateway.InferResult {
	a.t.Helper()
	code, _, b := a.do("POST", "/v1/subnets/"+itoa(netuid)+"/infer", key, mustJSON(a.t, map[string]any{"rows": rows}))
	require.Equal(a.t, http.StatusOK, code, string(b))
	var res gateway.InferResult
	require.NoError(a.t, json.Unmarshal(b, &res), string(b))
	require.Len(a.t, res.Predictions, len(rows))
	return &res
}

// refused posts a body and requires the status and the error's field and message.
func (a api) refused(path, key string, body []byte, status int, field, msg string) {
	a.t.Helper()
	code, _, b := a.do("POST", path, key, body)
	require.Equal(a.t, status, code, string(b))
	var e struct {
		Error struct{ Code, Field, Message string }
	}
	require.NoError(a.t, json.Unmarshal(b, &e), string(b))
	require.Equal(a.t, field, e.Error.Field, string(b))
	require.Contains(a.t, e.Error.Message, msg)
}

func itoa(n uint16) string { return strconv.Itoa(int(n)) }

// startGateway serves a gateway on loopback and returns its client.
func startGateway(t *testing.T, cfg gateway.Config, deps gateway.Deps) api {
	t.Helper()
	if deps.Log.GetLevel() == zerolog.DebugLevel {
		deps.Log = zerolog.Nop()
	}
	g, err := gateway.New(cfg, deps)
	require.NoError(t, err)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- g.Serve(ctx, lis) }()
	t.Cleanup(func() { cancel(); require.NoError(t, <-done); g.Close() })
	return api{t: t, base: "http://" + lis.Addr().String()}
}

// newKey is an API key and its keys.toml entry.
func newKey(name string, reqPS, rowPS float64) (string, gateway.KeyDef) {
	secret := "test-key-" + name
	h := sha256.Sum256([]byte(secret))
	return secret, gateway.KeyDef{Name: name, SHA256: hex.EncodeToString(h[:]), RequestsPerSecond: reqPS, RowsPerSecond: rowPS}
}

// builtinTask is scripts/tasks/NAME.json as canonical JSON.
func builtinTask(t *testing.T, name string) string {
	t.Helper()
	raw, err := os.ReadFile(repoFile(t, "scripts/tasks/"+name+".json"))
	require.NoError(t, err)
	s, err := task.Parse(raw)
	require.NoError(t, err)
	c, err := s.Canonical()
	require.NoError(t, err)
	return string(c)
}

// loadTask builds a task's dataset, its files from the repository's
// data cache (`make data`) or its URLs; it skips the test when the
// built-in data is missing.
func loadTask(t *testing.T, spec string) *dataset.Dataset {
	t.Helper()
	s, err := task.Parse([]byte(spec))
	require.NoError(t, err)
	d, _, err := check.Load(t.Context(), s, check.Options{DataDir: t.TempDir(), Caches: []string{repoFile(t, "data")}})
	if err != nil && strings.Contains(err.Error(), "file://") {
		t.Skipf("task %s: data missing (run `make data`): %v", s.Name, err)
	}
	require.NoError(t, err)
	return d
}

// rowsOf turns dataset rows into the API's raw feature objects: nominal
// values by name, missing values as null.
func rowsOf(d *dataset.Dataset, idx []int) []map[string]any {
	out := make([]map[string]any, len(idx))
	for i, j := range idx {
		m := make(map[string]any, len(d.Schema.Features))
		for c, f := range d.Schema.Features {
			v := d.Row(j)[c]
			switch {
			case math.IsNaN(v):
				m[f.Name] = nil
			case f.Kind == dataset.Categorical:
				m[f.Name] = f.Categories[int(v)]
			default:
				m[f.Name] = v
			}
		}
		out[i] = m
	}
	return out
}

// verifyCmd runs `assay-gateway verify FILE ARGS...` in-process.
func verifyCmd(t *testing.T, file string, args ...string) (string, error) {
	t.Helper()
	root := gwcmd.NewRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(append([]string{"--log-level", "warn", "verify", file}, args...))
	err := root.ExecuteContext(t.Context())
	return out.String(), err
}

// signerOf is the keyring key's synapse signer.
func signerOf(t *testing.T, c *chain, name string) client.Signer {
	t.Helper()
	s, err := client.NewKeyringSigner(c.Keyring(), name)
	require.NoError(t, err)
	return s
}
