package explorer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Config tunes a Server; zero values take the defaults.
type Config struct {
	// HeightTTL is how long a seen latest height is trusted before the
	// node is asked again (default 500 ms, under a block).
	HeightTTL time.Duration
	// QueryTimeout bounds the queries of one page view (default 10 s).
	QueryTimeout time.Duration
}

// Server serves the explorer's pages from one node.
type Server struct {
	node    *Node
	tip     *tip
	cache   *heightCache
	read    *reader
	timeout time.Duration
	mux     *http.ServeMux
	priming inFlight
}

// NewServer serves node's state.
func NewServer(node *Node, cfg Config) *Server {
	if cfg.HeightTTL <= 0 {
		cfg.HeightTTL = 500 * time.Millisecond
	}
	if cfg.QueryTimeout <= 0 {
		cfg.QueryTimeout = 10 * time.Second
	}
	c := &heightCache{}
	s := &Server{node: node, tip: &tip{node: node, ttl: cfg.HeightTTL}, cache: c, read: &reader{node: node, cache: c}, timeout: cfg.QueryTimeout}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.page("overview", func(ctx context.Context, h int64, _ *http.Request) (any, error) {
		return s.overview(ctx, h)
	}))
	mux.HandleFunc("GET /subnets", s.page("subnets", func(ctx context.Context, h int64, _ *http.Request) (any, error) {
		return s.subnetsPage(ctx, h)
	}))
	mux.HandleFunc("GET /subnet/{netuid}", s.primedPage("metagraph", s.primeMetagraph, s.metagraphPage))
	mux.HandleFunc("GET /subnet/{netuid}/epoch", s.page("epoch", s.epochPage))
	mux.HandleFunc("GET /account/{address}", s.page("account", s.accountPage))
	mux.HandleFunc("GET /account", s.accountSearch)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, &pageError{Status: http.StatusNotFound, Msg: "no page at " + r.URL.Path + "; the pages are /, /subnets, /subnet/{netuid}, /subnet/{netuid}/epoch and /account/{address}"})
	})
	s.mux = mux
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// pageError is a page that cannot be shown, with the HTTP status that says
// why: 4xx for the viewer's input, 503 for the node.
type pageError struct {
	Status int    `json:"status"`
	Msg    string `json:"error"`
	// LastHeight is the last height the explorer saw (node down only).
	LastHeight int64 `json:"last_height,omitempty"`
}

func (e *pageError) Error() string { return e.Msg }

type builder func(ctx context.Context, h int64, r *http.Request) (any, error)

// page serves one page: the latest height, the page's value at that
// height, then HTML or (?format=json) its JSON twin.
func (s *Server) page(name string, build builder) http.HandlerFunc {
	return s.primedPage(name, nil, build)
}

// primedPage is page with prime (if not nil) run before the height is
// read: see primeMetagraph.
func (s *Server) primedPage(name string, prime primer, build builder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		format := r.URL.Query().Get("format")
		if format != "" && format != "json" && format != "html" {
			s.fail(w, r, &pageError{Status: http.StatusBadRequest, Msg: "format " + quoteParam(format) + ": want json or html"})
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
		defer cancel()
		var h int64
		if prime != nil {
			h = prime(ctx, r)
		}
		if h == 0 {
			var err error
			if h, err = s.tip.latest(ctx); err != nil {
				s.fail(w, r, s.nodeDown(err))
				return
			}
		}
		// The rendered bytes are cached too: a view within a block
		// costs a map lookup (query order does not matter: Encode sorts).
		key := "out/" + r.URL.Path + "?" + r.URL.Query().Encode()
		out, err := cached(s.cache, h, key, func() (rendered, error) {
			v, err := build(ctx, h, r)
			if err != nil {
				return rendered{}, err
			}
			if format == "json" {
				body, err := encodeJSON(v)
				return rendered{contentType: "application/json", body: body}, err
			}
			body, err := renderHTML(name, v)
			return rendered{contentType: "text/html; charset=utf-8", body: body}, err
		})
		if err != nil {
			s.fail(w, r, s.classify(err))
			return
		}
		w.Header().Set("Content-Type", out.contentType)
		_, _ = w.Write(out.body)
	}
}

// rendered is a page's bytes, ready to send.
type rendered struct {
	contentType string
	body        []byte
}

func (s *Server) nodeDown(err error) *pageError {
	return &pageError{Status: http.StatusServiceUnavailable, Msg: err.Error(), LastHeight: s.tip.lastKnown()}
}

// fail writes e as the page (or JSON) the viewer asked for.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, e *pageError) {
	if r.URL.Query().Get("format") == "json" {
		writeJSON(w, e.Status, e)
		return
	}
	body, err := renderHTML("error", e)
	if err != nil {
		http.Error(w, e.Msg, e.Status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(e.Status)
	_, _ = w.Write(body)
}

func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encoding the page: %w", err)
	}
	return buf.Bytes(), nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := encodeJSON(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// classify maps a build error to the status the viewer sees.
func (s *Server) classify(err error) *pageError {
	var pe *pageError
	if errors.As(err, &pe) {
		return pe
	}
	return grpcPageError(err, s)
}
