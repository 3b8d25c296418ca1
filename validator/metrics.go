package validator

import (
	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	score, quality, bias, flip, dp, eo *prometheus.GaugeVec
	queryLatency                       prometheus.Histogram
	roundDuration                      prometheus.Histogram
	queryFailures                      *prometheus.CounterVec
	zeroScores                         *prometheus.CounterVec
	replayDuration                     prometheus.Histogram
	replayedRows                       prometheus.Counter
	weightTxs                          *prometheus.CounterVec
	errors                             *prometheus.CounterVec
	block                              prometheus.Gauge
	rounds                             prometheus.Counter
}

func newMetrics(r prometheus.Registerer) (*metrics, error) {
	g := func(name, help string) *prometheus.GaugeVec {
		return prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: "assay", Subsystem: "validator", Name: name, Help: help}, []string{"uid"})
	}
	m := &metrics{
		score:   g("score", "EMA score per UID (skill × (1 − bias_weight·bias) × latency factor)"),
		quality: g("quality", "EMA of the task metric per UID"),
		bias:    g("bias", "EMA of the task's bias metric per UID"),
		flip:    g("flip_rate", "Counterfactual flip rate per UID, last round"),
		dp:      g("demographic_parity_gap", "Demographic-parity gap per UID, last round"),
		eo:      g("equalized_odds_gap", "Equalized-odds gap per UID, last round"),
		queryLatency: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "assay", Subsystem: "validator",
			Name: "query_duration_seconds", Help: "Miner query latency (sign, call, verify)",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14)}),
		roundDuration: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "assay", Subsystem: "validator",
			Name: "round_duration_seconds", Help: "One query round over every serving miner",
			Buckets: prometheus.ExponentialBuckets(0.01, 2, 12)}),
		queryFailures: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "assay", Subsystem: "validator",
			Name: "query_failures_total", Help: "Miner answers scored 0, by detailed reason (timeout, bad_signature, unreachable, wrong_model, bad_output, trivial, mismatch, unverifiable, copy…)"}, []string{"reason"}),
		zeroScores: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "assay", Subsystem: "validator",
			Name: "zero_scores_total", Help: "Rounds in which a UID scored 0, by DESIGN §12 reason (trivial, mismatch, unverifiable, copy, timeout, error)"}, []string{"reason"}),
		replayDuration: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "assay", Subsystem: "validator",
			Name: "replay_duration_seconds", Help: "One UID's replay: the validator's own forward pass over the sampled rows",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 14)}),
		replayedRows: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "assay", Subsystem: "validator",
			Name: "replayed_rows_total", Help: "Answer rows checked against the validator's own forward pass of the published model"}),
		weightTxs: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "assay", Subsystem: "validator",
			Name: "weight_txs_total", Help: "Weight txs by kind (set, commit, reveal) and result"}, []string{"kind", "result"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "assay", Subsystem: "validator",
			Name: "errors_total", Help: "Errors by where they happened"}, []string{"where"}),
		block: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "assay", Subsystem: "validator",
			Name: "metagraph_block", Help: "Block of the last metagraph synced"}),
		rounds: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "assay", Subsystem: "validator",
			Name: "rounds_total", Help: "Query rounds run"}),
	}
	for _, c := range []prometheus.Collector{m.score, m.quality, m.bias, m.flip, m.dp, m.eo, m.queryLatency,
		m.roundDuration, m.queryFailures, m.zeroScores, m.replayDuration, m.replayedRows, m.weightTxs, m.errors, m.block, m.rounds} {
		if err := r.Register(c); err != nil {
			return nil, err
		}
	}
	m.startAtZero()
	return m, nil
}

// QueryFailureReasons are every reason assay_validator_query_failures_total
// counts, and ErrorPlaces every place errors_total names (docs/metrics.md;
// docs/metrics_doc_test.go checks both against the code).
var (
	QueryFailureReasons = []string{"no_model_hash", "unreachable", "timeout", "bad_signature", "refused", "cancelled",
		"wrong_model", "bad_output", "error", reasonTrivial, reasonMismatch, reasonUnverifiable, reasonLabel(copyOf(0))}
	ErrorPlaces = []string{"round", "metagraph", "state", "weights", "publisher"}
)

// startAtZero creates the series whose labels are known in advance, so a
// dashboard's rate() reads 0 before the first event instead of nothing.
func (m *metrics) startAtZero() {
	for _, r := range QueryFailureReasons {
		m.queryFailures.WithLabelValues(r)
	}
	for _, w := range ErrorPlaces {
		m.errors.WithLabelValues(w)
	}
	for _, r := range []string{reasonTrivial, reasonMismatch, reasonUnverifiable, reasonLabel(copyOf(0)), reasonTimeout, reasonError} {
		m.zeroScores.WithLabelValues(r)
	}
	for _, kr := range [][2]string{{"set", "ok"}, {"set", "error"}, {"commit", "ok"}, {"commit", "error"}, {"commit", "lost"},
		{"reveal", "ok"}, {"reveal", "error"}, {"reveal", "expired"}} {
		m.weightTxs.WithLabelValues(kr[0], kr[1])
	}
}
