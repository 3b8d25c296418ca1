package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/assay-network/assay/task"
)

// payload is the file every test serves: its hash and size are what the
// task names.
var payload = []byte(strings.Repeat("assay content-addressed data\n", 1000))

func fileFor(b []byte, urls ...string) task.File {
	sum := sha256.Sum256(b)
	return task.File{Role: task.RoleData, SHA256: hex.EncodeToString(sum[:]), SizeBytes: uint64(len(b)), URLs: urls}
}

// server serves payload variants on loopback and counts requests.
type server struct {
	*httptest.Server
	hits atomic.Int64
}

func newServer(t *testing.T) *server {
	s := &server{}
	mux := http.NewServeMux()
	mux.HandleFunc("/good", func(w http.ResponseWriter, r *http.Request) { w.Write(payload) })
	mux.HandleFunc("/other", func(w http.ResponseWriter, r *http.Request) { // same size, other bytes
		b := append([]byte(nil), payload...)
		b[0] ^= 1
		w.Write(b)
	})
	announce := func(b []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(len(b)))
			w.Write(b)
		}
	}
	mux.HandleFunc("/longer", announce(append(append([]byte(nil), payload...), 'x')))
	mux.HandleFunc("/shorter", announce(payload[:len(payload)-1]))
	// Chunked (the body is larger than the writer's buffer and no length
	// is set): only the byte count at the end can tell.
	mux.HandleFunc("/shorter-chunked", func(w http.ResponseWriter, r *http.Request) { w.Write(payload[:len(payload)-1]) })
	// Chunked, so there is no Content-Length to reject early: the size cap
	// while streaming must stop it.
	mux.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		for r.Context().Err() == nil {
			if _, err := w.Write(payload); err != nil {
				return
			}
			w.(http.Flusher).Flush()
		}
	})
	// Announces the right length, sends half, hangs up.
	mux.HandleFunc("/truncated", func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", len(payload))
		buf.Write(payload[:len(payload)/2])
		buf.Flush()
	})
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// deadURL is a loopback address nothing listens on (connection refused).
func deadURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + "/gone"
}

// cacheEntries lists everything in the cache directory (temp files too).
func cacheEntries(t *testing.T, dataDir string) []string {
	ents, err := os.ReadDir(filepath.Join(dataDir, "sha256"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestFetchHTTPThenCached(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	f := &Fetcher{DataDir: dir}
	file := fileFor(payload, srv.URL+"/good")
	r, err := f.Get(context.Background(), file)
	if err != nil {
		t.Fatal(err)
	}
	if r.Path != Path(dir, file.SHA256) || !r.Fetched || r.URL != srv.URL+"/good" || r.Bytes != int64(len(payload)) {
		t.Fatalf("result %+v", r)
	}
	if got, _ := os.ReadFile(r.Path); string(got) != string(payload) {
		t.Fatal("cached bytes differ")
	}
	r2, err := f.Get(context.Background(), file)
	if err != nil || r2.Fetched || r2.Path != r.Path || srv.hits.Load() != 1 {
		t.Fatalf("second fetch %+v %v, %d requests (want 1: served from the cache)", r2, err, srv.hits.Load())
	}
	if ents := cacheEntries(t, dir); len(ents) != 1 {
		t.Fatalf("cache holds %v", ents)
	}
}

func TestFetchRejectsWrongBytes(t *testing.T) {
	srv := newServer(t)
	cases := []struct {
		path, want string
		is         error
	}{
		{"/other", "the file's sha256 is ", ErrHash},
		{"/longer", fmt.Sprintf("the server announces %d bytes, the task names %d", len(payload)+1, len(payload)), ErrSize},
		{"/shorter", "the server announces", ErrSize},
		{"/shorter-chunked", fmt.Sprintf("wrong size: %d bytes, the task names %d", len(payload)-1, len(payload)), ErrSize},
		{"/endless", fmt.Sprintf("more than the %d bytes the task names", len(payload)), ErrSize},
		{"/truncated", fmt.Sprintf("transfer failed after %d of %d bytes", len(payload)/2, len(payload)), nil},
		{"/missing", "HTTP 404 Not Found", ErrUnavailable},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			dir := t.TempDir()
			file := fileFor(payload, srv.URL+c.path)
			_, err := Fetch(context.Background(), file, dir)
			if err == nil {
				t.Fatal("accepted")
			}
			msg := err.Error()
			if !strings.Contains(msg, srv.URL+c.path+": ") || !strings.Contains(msg, c.want) || !strings.Contains(msg, file.SHA256) {
				t.Fatalf("error %q: want the URL, %q and the expected hash", msg, c.want)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Fatalf("error %v is not %v", err, c.is)
			}
			if ents := cacheEntries(t, dir); len(ents) != 0 {
				t.Fatalf("cache holds %v after a failed fetch", ents)
			}
		})
	}
}

func TestFetchWrongHashNamesBothHashes(t *testing.T) {
	srv := newServer(t)
	file := fileFor(payload, srv.URL+"/other")
	other := append([]byte(nil), payload...)
	other[0] ^= 1
	sum := sha256.Sum256(other)
	_, err := Fetch(context.Background(), file, t.TempDir())
	want := fmt.Sprintf("%s/other: wrong sha256: the file's sha256 is %s, the task names %s", srv.URL, hex.EncodeToString(sum[:]), file.SHA256)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error %v\nwant it to contain %s", err, want)
	}
}

func TestFetchFallsThroughMirrors(t *testing.T) {
	srv := newServer(t)
	dead := deadURL(t)
	file := fileFor(payload, dead, srv.URL+"/missing", srv.URL+"/other", srv.URL+"/good")
	r, err := (&Fetcher{DataDir: t.TempDir()}).Get(context.Background(), file)
	if err != nil || r.URL != srv.URL+"/good" {
		t.Fatalf("%+v %v", r, err)
	}
	// When every mirror fails, the error lists each one, in order.
	file.URLs = file.URLs[:3]
	_, err = Fetch(context.Background(), file, t.TempDir())
	var fe *Error
	if !errors.As(err, &fe) || len(fe.Failures) != 3 {
		t.Fatalf("error %v", err)
	}
	msg := err.Error()
	for i, want := range []string{dead + ": mirror unavailable: ", "connection refused", srv.URL + "/missing: mirror unavailable: HTTP 404", srv.URL + "/other: wrong sha256"} {
		if !strings.Contains(msg, want) {
			t.Fatalf("part %d: error %q lacks %q", i, msg, want)
		}
	}
	if strings.Index(msg, dead) > strings.Index(msg, "/missing") {
		t.Fatal("failures out of order")
	}
}

func TestFetchFileURL(t *testing.T) {
	src := filepath.Join(t.TempDir(), "data.csv")
	if err := os.WriteFile(src, payload, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p, err := Fetch(context.Background(), fileFor(payload, "file://"+src), dir)
	if err != nil || p != Path(dir, fileFor(payload).SHA256) {
		t.Fatalf("%s %v", p, err)
	}
	// Wrong size and wrong hash from a file, and a missing file.
	other := filepath.Join(t.TempDir(), "other")
	b := append([]byte(nil), payload...)
	b[1] ^= 1
	os.WriteFile(other, b, 0o644)
	for url, want := range map[string]string{
		"file://" + src + ".nope":  "mirror unavailable: no such file",
		"file://" + other:          "wrong sha256: the file's sha256 is ",
		"file://localhost" + other: "wrong sha256",
	} {
		dir := t.TempDir()
		_, err := Fetch(context.Background(), fileFor(payload, url), dir)
		if err == nil || !strings.Contains(err.Error(), url+": "+want) {
			t.Fatalf("%s: error %v, want %q", url, err, want)
		}
		if ents := cacheEntries(t, dir); len(ents) != 0 {
			t.Fatalf("cache holds %v", ents)
		}
	}
	short := fileFor(payload, "file://"+src)
	short.SizeBytes--
	if _, err := Fetch(context.Background(), short, t.TempDir()); !errors.Is(err, ErrSize) {
		t.Fatalf("error %v, want ErrSize", err)
	}
}

func TestFetchConcurrentSameFile(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	file := fileFor(payload, srv.URL+"/good")
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = Fetch(context.Background(), file, dir)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if srv.hits.Load() != 1 {
		t.Fatalf("%d requests for one file, want 1", srv.hits.Load())
	}
	if ents := cacheEntries(t, dir); len(ents) != 1 || ents[0] != file.SHA256 {
		t.Fatalf("cache holds %v", ents)
	}
}

func TestFetchRepairsBadCacheEntry(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	file := fileFor(payload, srv.URL+"/good")
	p, err := Fetch(context.Background(), file, dir)
	if err != nil {
		t.Fatal(err)
	}
	corrupt := func() {
		os.Chmod(p, 0o644)
		b := append([]byte(nil), payload...)
		b[5] ^= 1
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A same-size corruption passes the stat check and is caught by Verify.
	corrupt()
	if _, err := Fetch(context.Background(), file, dir); err != nil || srv.hits.Load() != 1 {
		t.Fatalf("plain fetch re-downloaded (%d requests) or failed: %v", srv.hits.Load(), err)
	}
	if _, err := (&Fetcher{DataDir: dir, Verify: true}).Get(context.Background(), file); err != nil || srv.hits.Load() != 2 {
		t.Fatalf("verify did not re-fetch (%d requests): %v", srv.hits.Load(), err)
	}
	if got, _ := os.ReadFile(p); string(got) != string(payload) {
		t.Fatal("corrupt entry not replaced")
	}
	// A wrong size is caught without Verify.
	os.Chmod(p, 0o644)
	os.WriteFile(p, payload[:10], 0o644)
	if _, err := Fetch(context.Background(), file, dir); err != nil || srv.hits.Load() != 3 {
		t.Fatalf("short entry not re-fetched (%d requests): %v", srv.hits.Load(), err)
	}
}

func TestFetchRejectsBadFileAndCancelledContext(t *testing.T) {
	dir := t.TempDir()
	bad := fileFor(payload, "https://example.invalid/x")
	bad.SHA256 = "../../etc/passwd"
	if _, err := Fetch(context.Background(), bad, dir); err == nil || !strings.Contains(err.Error(), "not 64 lowercase hex") {
		t.Fatalf("error %v", err)
	}
	srv := newServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Fetch(ctx, fileFor(payload, srv.URL+"/good", srv.URL+"/good"), dir)
	var fe *Error
	if !errors.As(err, &fe) || len(fe.Failures) != 1 || !errors.Is(err, context.Canceled) && !strings.Contains(err.Error(), "canceled") {
		t.Fatalf("error %v: want one failure (no further mirrors after cancel)", err)
	}
	if ents := cacheEntries(t, dir); len(ents) != 0 {
		t.Fatalf("cache holds %v", ents)
	}
}

func TestFetchTask(t *testing.T) {
	srv := newServer(t)
	s := task.Spec{Dataset: task.Dataset{Files: []task.File{fileFor(payload, srv.URL+"/good")}}}
	paths, err := (&Fetcher{DataDir: t.TempDir()}).FetchTask(context.Background(), s)
	if err != nil || paths[task.RoleData] == "" {
		t.Fatalf("%v %v", paths, err)
	}
	s.Dataset.Files[0].URLs = []string{srv.URL + "/missing"}
	s.Dataset.Files[0].Role = task.RoleTestLabels
	if _, err := (&Fetcher{DataDir: t.TempDir()}).FetchTask(context.Background(), s); err == nil || !strings.HasPrefix(err.Error(), "test_labels: fetch sha256") {
		t.Fatalf("error %v", err)
	}
}
