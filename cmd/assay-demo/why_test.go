package main

import (
	"strings"
	"testing"

	sdkmath "cosmossdk.io/math"
)

func TestAgreed(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"mismatch"}, "mismatch"},
		{[]string{"copy of uid 0", "copy of uid 0"}, "copy of uid 0"},
		{[]string{"trivial", ""}, ""}, // one validator's sample dipped: not a zero
		{[]string{"", ""}, ""},
	} {
		if got := agreed(c.in); got != c.want {
			t.Errorf("agreed(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestExplainNamesEachZerosReason: every miner scored 0 gets a why line
// naming its reason (a copy also names the model it copies); the others
// are compared with the best-paid miner scored normally.
func TestExplainNamesEachZerosReason(t *testing.T) {
	miner := func(uid uint32, name, reason string, q, score, weight, inc float64, earned int64) NeuronSummary {
		return NeuronSummary{UID: uid, Role: "miner", Model: name, Reason: reason, Quality: q, Score: score,
			Weight: weight, Incentive: inc, earned: sdkmath.NewInt(earned)}
	}
	s := SubnetSummary{Baseline: "majority", BiasWeight: 0.5, BiasMetric: "counterfactual_flip", ProtectedAttribute: "sex",
		Neurons: []NeuronSummary{
			miner(0, "good", "", 0.77, 0.22, 0.9, 0.9, 6_000_000),
			miner(1, "poor", "trivial", 0.32, 0, 0, 0, 0),
			miner(2, "biased", "", 0.72, 0.07, 0.1, 0.1, 600_000),
			miner(3, "copy", "copy of uid 0", 0.77, 0, 0, 0, 0),
			// the swap cheat earned before the replay caught it: still not the "best"
			miner(4, "swap", "mismatch", 0.79, 0, 0, 0, 7_000_000),
			{UID: 5, Role: "validator", earned: sdkmath.NewInt(9_000_000)},
		}}
	s.Neurons[0].Bias, s.Neurons[2].Bias = 0.08, 0.3
	lines := explain(s)
	want := map[string][]string{
		"poor:":   {`reason "trivial"`, "not above the task's majority baseline"},
		"biased:": {"vs good's 0.77", "flips 30% of decisions when only sex changes (good: 8%)"},
		"copy:":   {`reason "copy of uid 0"`, "the model good, uid 0, published first"},
		"swap:":   {`reason "mismatch"`, "earned 7.000000 ASSAY"},
	}
	if len(lines) != len(want) {
		t.Fatalf("%d why lines, want %d:\n%s", len(lines), len(want), strings.Join(lines, "\n"))
	}
	for prefix, parts := range want {
		found := false
		for _, l := range lines {
			if strings.HasPrefix(l, prefix) {
				found = true
				for _, p := range parts {
					if !strings.Contains(l, p) {
						t.Errorf("line %q lacks %q", l, p)
					}
				}
			}
		}
		if !found {
			t.Errorf("no why line for %s in\n%s", prefix, strings.Join(lines, "\n"))
		}
	}
}
