package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/assay-network/assay/task"
)

const benchFileBytes = 64 << 20

// benchFile writes a 64 MiB pseudo-random file (SplitMix64, so nothing
// compresses or dedups it) and returns its path and task.File.
func benchFile(b *testing.B) (string, task.File) {
	b.Helper()
	p := filepath.Join(b.TempDir(), "bench.bin")
	buf := make([]byte, benchFileBytes)
	var x uint64
	for i := 0; i+8 <= len(buf); i += 8 {
		x += 0x9e3779b97f4a7c15
		z := (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		z ^= z >> 31
		for k := range 8 {
			buf[i+k] = byte(z >> (8 * k))
		}
	}
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		b.Fatal(err)
	}
	sum := sha256.Sum256(buf)
	return p, task.File{Role: task.RoleData, SHA256: hex.EncodeToString(sum[:]), SizeBytes: benchFileBytes}
}

// BenchmarkFetchVerify fetches a 64 MiB file from a loopback HTTP server
// into an empty cache (stream, hash, size check, fsync, rename) and reports
// MB/s; beside it, the same run measures `sha256sum` on the same file
// (sha256sum-MB/s) and Go's sha256 over it from disk (hash-only-MB/s), so
// the cost of the fetch over plain hashing is visible in one line.
func BenchmarkFetchVerify(b *testing.B) {
	src, file := benchFile(b)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, src) }))
	defer srv.Close()
	file.URLs = []string{srv.URL + "/bench.bin"}
	cache := b.TempDir()
	b.SetBytes(benchFileBytes)
	b.ResetTimer()
	for range b.N {
		if _, err := Fetch(context.Background(), file, cache); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := os.Remove(Path(cache, file.SHA256)); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.StopTimer()
	mbps := func(d time.Duration) float64 { return benchFileBytes / 1e6 / d.Seconds() }
	start := time.Now()
	if _, err := hashFile(src); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(mbps(time.Since(start)), "hash-only-MB/s")
	if path, err := exec.LookPath("sha256sum"); err == nil {
		start = time.Now()
		cmd := exec.Command(path, src)
		cmd.Stdout = io.Discard
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(mbps(time.Since(start)), "sha256sum-MB/s")
	}
}
