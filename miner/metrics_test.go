package miner

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// Every rejection reason exists at 0 from start-up (docs/metrics.md), so
// an alert's rate() over assay_miner_rejections_total is 0, not empty,
// before the first refusal.
func TestRejectionCountersStartAtZero(t *testing.T) {
	reg := prometheus.NewRegistry()
	if _, err := newMetrics(reg); err != nil {
		t.Fatal(err)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		if mf.GetName() != "assay_miner_rejections_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			got[m.GetLabel()[0].GetValue()] = m.GetCounter().GetValue()
		}
	}
	if len(got) != len(RejectionReasons) || len(got) != 14 {
		t.Fatalf("%d rejection series at start (%v), want the 14 reasons", len(got), got)
	}
	for _, r := range RejectionReasons {
		if v, ok := got[r]; !ok || v != 0 {
			t.Errorf("rejections_total{reason=%q}: present %v, value %v; want present at 0", r, ok, v)
		}
	}
}
