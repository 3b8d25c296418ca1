package explorer

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func fetch(t testing.TB, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	b, _ := io.ReadAll(rec.Body)
	return rec.Code, string(b)
}

// TestOneSetOfQueriesPerHeight: two views of a page at one height cost the
// node one set of queries, every one pinned to that height; a new height
// costs one more set.
func TestOneSetOfQueriesPerHeight(t *testing.T) {
	f, node, _ := newFakeNode(t, 8, 100)
	s := NewServer(node, Config{HeightTTL: time.Nanosecond})
	for range 3 {
		code, body := fetch(t, s, "/subnet/1")
		if code != http.StatusOK {
			t.Fatalf("status %d: %s", code, body)
		}
	}
	if n := f.callsTo("Metagraph"); n != 1 {
		t.Fatalf("3 views at one height: %d metagraph queries, want 1", n)
	}
	// The first view learns the height from its own unpinned metagraph
	// answer (primeMetagraph), the others (cache filled) from Params.
	if n := f.callsTo("Params") + f.unpinnedCalls("Metagraph"); n != 3 {
		t.Fatalf("height asked %d times, want once per view (ttl 1 ns)", n)
	}
	f.mu.Lock()
	for _, h := range f.heights {
		if h != "[]" && h != "[100]" {
			t.Errorf("a query at %s, want height 100", h)
		}
	}
	f.mu.Unlock()
	f.advance()
	fetch(t, s, "/subnet/1?sort=stake")
	if n := f.callsTo("Metagraph"); n != 2 {
		t.Fatalf("after a new block: %d metagraph queries, want 2", n)
	}
}

// TestFreshMetagraphViewAsksNoHeight: a metagraph view with nothing
// cached sends its two queries without a height and reads the height from
// the answers, one round trip instead of two in sequence; it still costs
// one set of queries, and the page is at the node's height.
func TestFreshMetagraphViewAsksNoHeight(t *testing.T) {
	f, node, _ := newFakeNode(t, 8, 100)
	s := NewServer(node, Config{HeightTTL: time.Hour})
	var m Metagraph
	code, body := fetch(t, s, "/subnet/1?format=json")
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(err)
	}
	if m.Height != 100 || m.NextEpochBlock == 0 {
		t.Fatalf("page at height %d, next epoch %d; want 100 and the pool's", m.Height, m.NextEpochBlock)
	}
	for method, want := range map[string]int{"Params": 0, "Metagraph": 1, "EmissionSubnet": 1} {
		if n := f.callsTo(method); n != want {
			t.Errorf("%s called %d times, want %d", method, n, want)
		}
	}
	// Within the ttl, other orders and the other pages read that height.
	fetch(t, s, "/subnet/1?sort=stake")
	fetch(t, s, "/subnets")
	if f.callsTo("Metagraph") != 1 || f.callsTo("Params") != 0 {
		t.Errorf("views within the ttl: %d metagraph, %d height queries; want 1, 0", f.callsTo("Metagraph"), f.callsTo("Params"))
	}
	// An unknown subnet falls back to the usual path and its 404.
	if code, _ := fetch(t, NewServer(node, Config{}), "/subnet/9"); code != http.StatusNotFound {
		t.Errorf("unknown subnet: status %d, want 404", code)
	}
}

func TestHeightTTLSparesTheNode(t *testing.T) {
	f, node, _ := newFakeNode(t, 4, 100)
	s := NewServer(node, Config{HeightTTL: time.Hour})
	for range 5 {
		fetch(t, s, "/subnets")
	}
	if n := f.callsTo("Params"); n != 1 {
		t.Fatalf("5 views within the ttl asked the height %d times, want 1", n)
	}
}

// TestNodeDown: a node that stops answering gives a 503 page naming the
// problem and the last height seen, never a 500; one never reached gives
// the 503 without a height.
func TestNodeDown(t *testing.T) {
	_, node, stop := newFakeNode(t, 4, 77)
	s := NewServer(node, Config{HeightTTL: time.Nanosecond, QueryTimeout: 2 * time.Second})
	if code, body := fetch(t, s, "/"); code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	stop()
	code, body := fetch(t, s, "/subnets")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "node unreachable") || !strings.Contains(body, `id="last-height">77<`) {
		t.Fatalf("node down: status %d, body %s", code, body)
	}
	code, body = fetch(t, s, "/subnet/1?format=json")
	var e pageError
	if err := json.Unmarshal([]byte(body), &e); err != nil || code != http.StatusServiceUnavailable || e.LastHeight != 77 {
		t.Fatalf("node down JSON: status %d, %s (%v)", code, body, err)
	}

	never, err := DialNode("127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	defer never.Close()
	code, body = fetch(t, NewServer(never, Config{QueryTimeout: 2 * time.Second}), "/")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "127.0.0.1:1") {
		t.Fatalf("node never up: status %d, body %s", code, body)
	}
}

func TestBadInput(t *testing.T) {
	_, node, _ := newFakeNode(t, 4, 10)
	s := NewServer(node, Config{})
	for path, want := range map[string]int{
		"/subnet/2":                 http.StatusNotFound,
		"/subnet/x":                 http.StatusBadRequest,
		"/subnet/70000":             http.StatusBadRequest,
		"/subnet/1?sort=bogus":      http.StatusBadRequest,
		"/subnet/1?order=sideways":  http.StatusBadRequest,
		"/account/assay1notvalid":   http.StatusBadRequest,
		"/account":                  http.StatusBadRequest,
		"/elsewhere":                http.StatusNotFound,
		"/subnets?format=yaml":      http.StatusBadRequest,
		"/subnet/1/extra":           http.StatusNotFound,
		"/account?address=assay1xy": http.StatusSeeOther,
	} {
		if code, body := fetch(t, s, path); code != want {
			t.Errorf("%s: status %d, want %d: %s", path, code, want, body)
		}
	}
}
