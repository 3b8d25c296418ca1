package miner

import (
	"github.com/prometheus/client_golang/prometheus"
)

// RejectionReasons are every reason assay_miner_rejections_total counts
// (docs/metrics.md's table; docs/metrics_doc_test.go checks it against the
// reasons the code hands to reject). Each series exists at 0 from start-up,
// so an alert's rate() reads 0 before the first refusal.
var RejectionReasons = []string{"unsigned", "bad_signature", "stale_nonce", "replayed_nonce", "nonce_cache_full",
	"no_permit", "permit_unavailable", "oversized", "malformed", "unknown_model", "saturated", "cancelled",
	"internal", "send_failed"}

// metrics live on a registry the caller passes in (never the global one), so
// two servers in one test process do not collide.
type metrics struct {
	requests   *prometheus.CounterVec // by gRPC status code
	rejections *prometheus.CounterVec // by reason
	latency    prometheus.Histogram
	batchSize  prometheus.Histogram
	queueDepth prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "assay_miner", Name: "requests_total",
			Help: "Infer and GetModel requests by gRPC status code (those refused from their headers included).",
		}, []string{"code"}),
		rejections: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "assay_miner", Name: "rejections_total",
			Help: "Refused Infer and GetModel requests by reason (unsigned, bad_signature, stale_nonce, replayed_nonce, no_permit, nonce_cache_full, oversized, malformed, saturated, unknown_model, ...), whether refused from the headers or in the handler.",
		}, []string{"reason"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: "assay_miner", Name: "request_duration_seconds",
			Help:    "Infer handling time, from decoded request to signed response.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16), // 100µs .. ~3s
		}),
		batchSize: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: "assay_miner", Name: "batch_rows",
			Help:    "Rows per forward pass after dynamic batching.",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256, 512},
		}),
		queueDepth: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "assay_miner", Name: "queue_depth",
			Help: "Requests waiting for a forward pass.",
		}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.rejections, m.latency, m.batchSize, m.queueDepth} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	for _, r := range RejectionReasons {
		m.rejections.WithLabelValues(r)
	}
	return m, nil
}
