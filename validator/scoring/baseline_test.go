package scoring

import (
	"errors"
	"strings"
	"testing"

	"github.com/assay-network/assay/task"
)

func TestBaseline(t *testing.T) {
	for _, tc := range []struct {
		name, kind, metric string
		classes            int
		labels             []int
		want               float64
	}{
		// majority 0 on [0 0 0 1]: TP [3 0], FP [1 0], FN [0 1].
		{"majority accuracy", task.BaselineMajority, task.MetricAccuracy, 2, []int{0, 0, 0, 1}, 3.0 / 4},
		{"majority accuracy, metric left out", task.BaselineMajority, "", 2, []int{0, 0, 0, 1}, 3.0 / 4},
		{"majority balanced accuracy", task.BaselineMajority, task.MetricBalancedAccuracy, 2, []int{0, 0, 0, 1}, 1.0 / 2},
		{"majority macro-F1", task.BaselineMajority, task.MetricMacroF1, 2, []int{0, 0, 0, 1}, (6.0/7 + 0) / 2},
		// 3 classes, majority 2 (3 of 6): F1_2 = 6/(6+3+0), F1_0 = F1_1 = 0.
		{"3-class majority accuracy", task.BaselineMajority, task.MetricAccuracy, 3, []int{2, 2, 1, 0, 1, 2}, 1.0 / 2},
		{"3-class majority balanced accuracy", task.BaselineMajority, task.MetricBalancedAccuracy, 3, []int{2, 2, 1, 0, 1, 2}, 1.0 / 3},
		{"3-class majority macro-F1", task.BaselineMajority, task.MetricMacroF1, 3, []int{2, 2, 1, 0, 1, 2}, (2.0 / 3) / 3},
		// a class missing from the split: balanced accuracy is 1/(classes present).
		{"majority balanced accuracy, class 2 absent", task.BaselineMajority, task.MetricBalancedAccuracy, 3, []int{1, 1, 0}, 1.0 / 2},
		{"chance accuracy", task.BaselineChance, task.MetricAccuracy, 3, nil, 1.0 / 3},
		{"chance macro-F1", task.BaselineChance, task.MetricMacroF1, 4, []int{0}, 1.0 / 4},
	} {
		got, err := Baseline(tc.kind, tc.metric, tc.classes, tc.labels)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		near(t, tc.name, got, tc.want)
	}
}

func TestMajorityClass(t *testing.T) {
	for _, tc := range []struct {
		labels  []int
		classes int
		want    int
	}{
		{[]int{0, 1, 1}, 2, 1},
		{[]int{1, 0, 1, 0}, 2, 0}, // tie: the smallest class
		{[]int{2, 1, 2, 1, 0}, 3, 1},
	} {
		if got, err := MajorityClass(tc.labels, tc.classes); err != nil || got != tc.want {
			t.Errorf("MajorityClass(%v) = %d, %v; want %d", tc.labels, got, err, tc.want)
		}
	}
}

func TestBaselineErrors(t *testing.T) {
	for _, tc := range []struct {
		name, kind, metric string
		classes            int
		labels             []int
		is                 error
		want               string
	}{
		{"unknown kind", "median", task.MetricAccuracy, 2, []int{0}, ErrUnknownBaseline, `"median" (want majority or chance)`},
		{"unknown metric", task.BaselineChance, "auc", 2, []int{0}, ErrUnknownMetric, `"auc"`},
		{"one class", task.BaselineChance, task.MetricAccuracy, 1, []int{0}, ErrClassCount, "1, want at least 2"},
		{"no labels", task.BaselineMajority, task.MetricMacroF1, 2, nil, ErrNoLabels, "no labels"},
		{"label out of range", task.BaselineMajority, task.MetricAccuracy, 2, []int{0, 2}, ErrClassIndex, "row 1 is labelled class 2 of 2"},
	} {
		_, err := Baseline(tc.kind, tc.metric, tc.classes, tc.labels)
		if !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want %q (%v)", tc.name, err, tc.want, tc.is)
		}
	}
}
