package explorer

import (
	"net/http"
	"slices"
	"testing"
	"time"

	emissiontypes "github.com/assay-network/assay/x/emission/types"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// BenchmarkMetagraph256 measures the metagraph page at 256 UIDs against
// the raw gRPC metagraph query it is built from, over the same loopback
// gRPC server: uncached (a new block before every view, so every query
// runs) and cached (views within one block). The bound is
// page-uncached ≤ 2 × grpc-query. p50 and p99 are reported per
// sub-benchmark in µs.
//
//	go test -run '^$' -bench Metagraph256 -benchtime 300x ./explorer
func BenchmarkMetagraph256(b *testing.B) {
	f, node, _ := newFakeNode(b, 256, 1000)
	b.Run("grpc-query", func(b *testing.B) {
		req := &subnettypes.QueryMetagraphRequest{Netuid: 1}
		measure(b, func() {
			if _, err := node.Subnet.Metagraph(atHeight(b.Context(), f.latest()), req); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("page-uncached", func(b *testing.B) {
		s := NewServer(node, Config{HeightTTL: time.Nanosecond})
		measure(b, func() {
			f.advance()
			if code, body := fetch(b, s, "/subnet/1?sort=stake&order=desc"); code != http.StatusOK {
				b.Fatalf("status %d: %s", code, body)
			}
		})
	})
	b.Run("page-cached", func(b *testing.B) {
		s := NewServer(node, Config{HeightTTL: time.Hour})
		measure(b, func() {
			if code, body := fetch(b, s, "/subnet/1?sort=stake&order=desc"); code != http.StatusOK {
				b.Fatalf("status %d: %s", code, body)
			}
		})
	})
}

// measure runs op b.N times and reports the p50 and p99 latency.
func measure(b *testing.B, op func()) {
	b.Helper()
	took := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		op()
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(took)
	pct := func(p float64) float64 {
		return float64(took[min(len(took)-1, int(p*float64(len(took))))].Microseconds())
	}
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
}

// BenchmarkMetagraph256Render is the page's own work at 256 UIDs, without
// the node: building the rows from the query answer, sorting and rendering
// the HTML (what an uncached view adds to its queries).
//
//	go test -run '^$' -bench Metagraph256Render -benchmem ./explorer
func BenchmarkMetagraph256Render(b *testing.B) {
	mg := fakeMetagraph(256, 1000)
	pool := &emissiontypes.QuerySubnetResponse{NextEpochBlock: 1010}
	col, desc, err := parseSort("stake", "desc")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := renderHTML("metagraph", sortedMetagraph(buildMetagraph(mg, pool), col, desc)); err != nil {
			b.Fatal(err)
		}
	}
}
