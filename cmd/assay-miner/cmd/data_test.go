package cmd

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// cpsServer serves body at /data.csv on loopback and counts the requests.
func cpsServer(t *testing.T, body []byte) (url string, hits *atomic.Int32) {
	t.Helper()
	hits = new(atomic.Int32)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.ServeContent(w, r, "data.csv", time.Time{}, bytes.NewReader(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/data.csv", hits
}

const cpsSHA256 = "3f3543dcc9f564189b7354327370782b400514c4261c06a29b53c906b57ba0ed"

// TestDataFetch fetches the CPS task's file from a loopback mirror into an
// empty cache, then again: the second run reads nothing from the network
// and says the file was already cached.
func TestDataFetch(t *testing.T) {
	body, err := os.ReadFile("../../../dataset/testdata/cps1985-wages/data.csv")
	if err != nil {
		t.Fatal(err)
	}
	url, hits := cpsServer(t, body)
	taskFile := cpsTaskFile(t, url)
	dataDir := t.TempDir()
	cached := filepath.Join(dataDir, "sha256", cpsSHA256)

	out, err := run(t, "data", "fetch", "--task-file", taskFile, "--data-dir", dataDir)
	if err != nil {
		t.Fatalf("data fetch: %v\n%s", err, out)
	}
	for _, want := range []string{"task cps1985-wages: 1 file(s) into " + dataDir,
		"data: sha256 " + cpsSHA256 + ", 25494 bytes, fetched from " + url, cached} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	got, err := os.ReadFile(cached)
	if err != nil || !bytes.Equal(got, body) {
		t.Fatalf("cache holds %d bytes (%v), want the served %d", len(got), err, len(body))
	}
	if n := hits.Load(); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}

	out, err = run(t, "data", "fetch", "--task-file", taskFile, "--data-dir", dataDir)
	if err != nil {
		t.Fatalf("second data fetch: %v\n%s", err, out)
	}
	if !strings.Contains(out, "data: sha256 "+cpsSHA256+", 25494 bytes, already cached\n  "+cached) {
		t.Errorf("second run does not say already cached:\n%s", out)
	}
	if n := hits.Load(); n != 1 {
		t.Fatalf("%d requests after the second run, want still 1", n)
	}
}

// TestDataFetchRefused: bytes that are not the task's are refused naming the
// URL and both hashes, and leave nothing in the cache; the task must be
// named exactly one way.
func TestDataFetchRefused(t *testing.T) {
	body, err := os.ReadFile("../../../dataset/testdata/cps1985-wages/data.csv")
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Clone(body)
	bad[len(bad)-2] ^= 1 // same size, other hash
	url, _ := cpsServer(t, bad)
	dataDir := t.TempDir()
	_, err = run(t, "data", "fetch", "--task-file", cpsTaskFile(t, url), "--data-dir", dataDir)
	sum := sha256.Sum256(bad)
	if err == nil {
		t.Fatal("wrong bytes accepted")
	}
	for _, want := range []string{url, cpsSHA256, hex.EncodeToString(sum[:]), "wrong sha256"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dataDir, "sha256", "*")); len(left) != 0 {
		t.Errorf("cache not empty after a refused fetch: %v", left)
	}

	for _, args := range [][]string{{}, {"--task-file", "x.json", "--netuid", "1"}} {
		_, err := run(t, append([]string{"data", "fetch", "--data-dir", dataDir}, args...)...)
		if err == nil || !strings.Contains(err.Error(), "--task-file F or as --netuid N") {
			t.Errorf("data fetch %v: %v, want the one-of error", args, err)
		}
	}
	if _, err := run(t, "data", "fetch", "--task-file", filepath.Join(dataDir, "missing.json"), "--data-dir", dataDir); err == nil ||
		!strings.Contains(err.Error(), "--task-file") {
		t.Errorf("missing task file: %v", err)
	}
}
