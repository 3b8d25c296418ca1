package validator

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// Every counter with known labels (the §12 reasons, the detailed failure
// reasons, the weight-tx outcomes, the error places) exists at 0 from the start,
// so rate() over them is 0, not empty, before the first event.
func TestCountersStartAtZero(t *testing.T) {
	reg := prometheus.NewRegistry()
	if _, err := newMetrics(reg); err != nil {
		t.Fatal(err)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	series := map[string]int{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			if m.GetCounter() != nil && m.GetCounter().GetValue() != 0 {
				t.Errorf("%s starts at %v", mf.GetName(), m.GetCounter().GetValue())
			}
			series[mf.GetName()]++
		}
	}
	for name, want := range map[string]int{
		"assay_validator_zero_scores_total":    6,  // trivial, mismatch, unverifiable, copy, timeout, error
		"assay_validator_weight_txs_total":     8,  // set ok/error, commit ok/error/lost, reveal ok/error/expired
		"assay_validator_query_failures_total": 13, // docs/metrics.md's reason table
		"assay_validator_errors_total":         5,  // round, metagraph, state, weights, publisher
	} {
		if series[name] != want {
			t.Errorf("%s: %d series at start, want %d", name, series[name], want)
		}
	}
}
