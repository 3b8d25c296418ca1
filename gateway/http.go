package gateway

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

//go:embed openapi.json
var openAPI []byte

// OpenAPI is the API's OpenAPI 3 document, served at /openapi.json.
func OpenAPI() []byte { return openAPI }

// Handler is the HTTP API.
func (g *Gateway) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/subnets/{netuid}/infer", g.handleInfer)
	mux.HandleFunc("GET /v1/subnets/{netuid}/task", g.handleTask)
	mux.HandleFunc("GET /v1/subnets", g.handleSubnets)
	mux.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(openAPI)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, &InputError{Status: http.StatusNotFound, Code: "not_found", Field: "path",
			Msg: fmt.Sprintf("%s %s: no such endpoint (see /openapi.json)", r.Method, r.URL.Path)})
	})
	return mux
}

// errorBody is every error's JSON.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Field   string `json:"field,omitempty"`
		Message string `json:"message"`
	} `json:"error"`
}

// statusOf maps an error to its HTTP status and code.
func statusOf(err error) (int, string) {
	var ie *InputError
	switch {
	case errors.As(err, &ie):
		return ie.Status, ie.Code
	case errors.Is(err, errNoMiner):
		return http.StatusServiceUnavailable, "no_miner"
	case errors.Is(err, errChain):
		return http.StatusBadGateway, "chain_unavailable"
	case errors.Is(err, errTask):
		return http.StatusInternalServerError, "task_unavailable"
	}
	return http.StatusInternalServerError, "internal"
}

func writeError(w http.ResponseWriter, err error) int {
	code, name := statusOf(err)
	var b errorBody
	b.Error.Code, b.Error.Message = name, err.Error()
	var ie *InputError
	if errors.As(err, &ie) {
		b.Error.Field, b.Error.Message = ie.Field, ie.Error()
	}
	if code == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	writeJSON(w, code, b)
	return code
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		code = http.StatusInternalServerError
		b = []byte(`{"error":{"code":"internal","message":"encoding the answer failed"}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = w.Write(append(b, '\n'))
}

// parseNetuid reads the {netuid} path value: 1..65535.
func parseNetuid(r *http.Request) (uint16, error) {
	s := r.PathValue("netuid")
	n, err := strconv.ParseUint(s, 10, 16)
	if err != nil || n == 0 {
		return 0, &InputError{Status: http.StatusNotFound, Code: "unknown_netuid", Field: "netuid",
			Msg: fmt.Sprintf("%q is not a netuid (1..65535)", s)}
	}
	return uint16(n), nil
}

// admitted identifies the caller and charges one request; on refusal it
// has written the answer (401, or 429 with Retry-After).
func (g *Gateway) admitted(w http.ResponseWriter, r *http.Request) (*caller, bool) {
	c, err := g.deps.Keys.identify(r.Header.Get("Authorization"))
	if err != nil {
		g.fail(w, "none", &InputError{Status: http.StatusUnauthorized, Code: "unauthorized", Msg: err.Error()})
		return nil, false
	}
	ok, retry := c.requests.take(1, g.deps.Clock())
	return c, ok || g.limited(w, c, retry)
}

// limited writes the 429 and returns false.
func (g *Gateway) limited(w http.ResponseWriter, c *caller, retry time.Duration) bool {
	w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(retry)))
	g.fail(w, c.name, &InputError{Status: http.StatusTooManyRequests, Code: "rate_limited",
		Msg: fmt.Sprintf("key %q is limited to %g requests/s and %g rows/s (0: unlimited); retry in %v", c.name, c.reqPS, c.rowPS, retry.Round(time.Millisecond))})
	return false
}

func (g *Gateway) count(key string, code int, reason string) {
	g.m.requests.WithLabelValues(key, strconv.Itoa(code)).Inc()
	if reason != "" {
		g.m.errors.WithLabelValues(key, reason).Inc()
	}
}

func (g *Gateway) fail(w http.ResponseWriter, key string, err error) {
	code := writeError(w, err)
	_, name := statusOf(err)
	g.count(key, code, name)
}

func (g *Gateway) handleInfer(w http.ResponseWriter, r *http.Request) {
	start := g.deps.Clock()
	// Identify first: an unknown key learns nothing about subnets or schemas.
	c, ok := g.admitted(w, r)
	if !ok {
		return
	}
	netuid, err := parseNetuid(r)
	if err != nil {
		g.fail(w, c.name, err)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, g.cfg.MaxBodyBytes))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			err = &InputError{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large", Field: "body",
				Msg: fmt.Sprintf("body over %d bytes", g.cfg.MaxBodyBytes)}
		} else {
			err = badInput("unreadable_body", "body", "%v", err)
		}
		g.fail(w, c.name, err)
		return
	}
	_, snap, t, err := g.view(r.Context(), netuid)
	if err != nil {
		g.fail(w, c.name, err)
		return
	}
	rows, err := DecodeRows(body, &t.schema)
	if err != nil {
		g.fail(w, c.name, err)
		return
	}
	if ok, retry := c.rows.take(float64(len(rows)), g.deps.Clock()); !ok {
		g.limited(w, c, retry)
		return
	}
	res, err := g.inferRows(r.Context(), netuid, snap, t, rows)
	if err != nil {
		if errors.Is(err, errNoMiner) {
			c.rows.give(float64(len(rows))) // nothing was served
			g.fail(w, c.name, fmt.Errorf("netuid %d: %w (routing: %s)", netuid, err, traceString(res)))
			return
		}
		g.fail(w, c.name, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
	g.count(c.name, http.StatusOK, "")
	g.m.rows.WithLabelValues(c.name).Add(float64(len(rows)))
	g.m.latency.WithLabelValues(c.name).Observe(g.deps.Clock().Sub(start).Seconds())
}

func traceString(res *InferResult) string {
	if res == nil || len(res.Routing) == 0 {
		return "no miner to ask"
	}
	b, _ := json.Marshal(res.Routing)
	return string(b)
}

func (g *Gateway) handleTask(w http.ResponseWriter, r *http.Request) {
	c, ok := g.admitted(w, r)
	if !ok {
		return
	}
	netuid, err := parseNetuid(r)
	if err != nil {
		g.fail(w, c.name, err)
		return
	}
	t, err := g.Task(r.Context(), netuid)
	if err != nil {
		g.fail(w, c.name, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
	g.count(c.name, http.StatusOK, "")
}

func (g *Gateway) handleSubnets(w http.ResponseWriter, r *http.Request) {
	c, ok := g.admitted(w, r)
	if !ok {
		return
	}
	s, err := g.Subnets(r.Context())
	if err != nil {
		g.fail(w, c.name, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"subnets": s})
	g.count(c.name, http.StatusOK, "")
}
