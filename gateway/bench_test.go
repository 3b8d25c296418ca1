package gateway

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/client"
)

// The gateway's cost per request against the direct dendrite's, one real
// miner on loopback, 16 rows per request:
//
//	go test -run '^$' -bench 'Infer16' -benchtime 2s ./gateway

func rows16Body() string {
	inner := oneRow[len(`{"rows":[`) : len(oneRow)-2]
	return `{"rows":[` + strings.Repeat(inner+",", 15) + inner + `]}`
}

func BenchmarkGatewayInfer16(b *testing.B) {
	_, h := routeFixture(b, Config{}, slowMiner{})
	body := rows16Body()
	b.SetParallelism(8) // 16 requests in flight on 2 cores: the miner batches them
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("POST", "/v1/subnets/1/infer", strings.NewReader(body)))
			if w.Code != http.StatusOK {
				b.Fatal(w.Body.String())
			}
		}
	})
	b.ReportMetric(float64(b.N)*16/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkDendriteInfer16(b *testing.B) {
	g, _ := routeFixture(b, Config{}, slowMiner{})
	_, _, ti, err := g.view(b.Context(), 1)
	require.NoError(b, err)
	rows, err := DecodeRows([]byte(rows16Body()), &ti.schema)
	require.NoError(b, err)
	snap, _, err := g.views[1].current(b.Context())
	require.NoError(b, err)
	m := snap.ranked[0]
	conn, err := g.conns.Get(m.Endpoint)
	require.NoError(b, err)
	d := client.NewDendrite(g.deps.Signer, nil)
	req := client.NewInferRequest(1, slices.Clone(rows))
	b.SetParallelism(8) // 16 requests in flight on 2 cores: the miner batches them
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := d.Infer(b.Context(), client.Axon{Hotkey: m.Hotkey, ModelHash: m.ModelHash, Conn: conn}, req, 2*time.Second); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.ReportMetric(float64(b.N)*16/b.Elapsed().Seconds(), "rows/s")
}
