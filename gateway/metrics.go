package gateway

import "github.com/prometheus/client_golang/prometheus"

// metrics are the gateway's Prometheus series, per key where a caller is
// known (the key's name from keys.toml, "anonymous", or "none" before one
// is identified).
type metrics struct {
	requests     *prometheus.CounterVec   // key, code
	rows         *prometheus.CounterVec   // key
	errors       *prometheus.CounterVec   // key, reason
	latency      *prometheus.HistogramVec // key
	minerLatency prometheus.Histogram
	minerErrors  prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "assay_gateway_requests_total",
			Help: "HTTP API requests by key and status code."}, []string{"key", "code"}),
		rows: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "assay_gateway_rows_total",
			Help: "Rows answered by key."}, []string{"key"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "assay_gateway_errors_total",
			Help: "Refused or failed requests by key and error code."}, []string{"key", "reason"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "assay_gateway_request_seconds",
			Help: "Infer request latency by key.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16)}, []string{"key"}),
		minerLatency: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "assay_gateway_miner_seconds",
			Help: "One miner call's latency.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16)}),
		minerErrors: prometheus.NewCounter(prometheus.CounterOpts{Name: "assay_gateway_miner_errors_total",
			Help: "Miner calls that failed (retried on the next miner)."}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.rows, m.errors, m.latency, m.minerLatency, m.minerErrors} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}
