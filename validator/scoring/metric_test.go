package scoring

import (
	"errors"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/assay-network/assay/task"
)

// TestTaskMetrics: confusion counts by hand per case (TP, FP, FN per class),
// then recall_c = TP/(TP+FN), F1_c = 2TP/(2TP+FP+FN).
func TestTaskMetrics(t *testing.T) {
	for _, tc := range []struct {
		name          string
		classes       int
		pred, labels  []int
		rows          []int
		acc, bal, mf1 float64
	}{
		// TP [2 1 1], FP [0 1 1], FN [1 1 0]. Recall 2/3, 1/2, 1;
		// F1 4/5, 1/2, 2/3.
		{"3 classes", 3, []int{0, 0, 1, 1, 2, 2}, []int{0, 0, 0, 1, 1, 2}, nil,
			4.0 / 6, (2.0/3 + 1.0/2 + 1) / 3, (4.0/5 + 1.0/2 + 2.0/3) / 3},
		// class 2 never predicted: TP [1 1 0], FP [0 2 0], FN [0 0 2].
		{"class 2 never predicted", 3, []int{0, 1, 1, 1}, []int{0, 1, 2, 2}, nil,
			2.0 / 4, (1 + 1 + 0) / 3.0, (1 + 2.0/4 + 0) / 3},
		// every answer 0: TP [3 0], FP [1 0], FN [0 1]. F1_0 = 6/7.
		{"all answers one class", 2, []int{0, 0, 0, 0}, []int{0, 0, 0, 1}, nil,
			3.0 / 4, (1 + 0) / 2.0, (6.0/7 + 0) / 2},
		// the truth is all class 1, so balanced accuracy is its recall 3/4;
		// class 0 is only predicted: F1_0 = 0/(0+1+0) = 0, F1_1 = 6/7.
		{"truth all one class", 2, []int{1, 1, 0, 1}, []int{1, 1, 1, 1}, nil,
			3.0 / 4, 3.0 / 4, (0 + 6.0/7) / 2},
		{"constant wrong answer", 2, []int{1, 1}, []int{0, 0}, nil, 0, 0, 0},
		// class 2 declared but neither true nor predicted: left out of both means.
		{"perfect, a declared class absent", 3, []int{0, 1, 0, 1}, []int{0, 1, 0, 1}, nil, 1, 1, 1},
		// TP [1 2 0], FP [0 1 0], FN [1 0 0]; class 2 absent: F1 (2/3 + 4/5)/2.
		{"imperfect, a declared class absent", 3, []int{0, 1, 1, 1}, []int{0, 0, 1, 1}, nil,
			3.0 / 4, (1.0/2 + 1) / 2, (2.0/3 + 4.0/5) / 2},
		{"rows subset", 3, []int{0, 1, 1, 1}, []int{0, 1, 2, 2}, []int{0, 1}, 1, 1, 1},
		{"no rows", 3, []int{0, 1}, []int{0, 1}, []int{}, 0, 0, 0},
	} {
		for metric, want := range map[string]float64{
			"": tc.acc, task.MetricAccuracy: tc.acc, task.MetricBalancedAccuracy: tc.bal, task.MetricMacroF1: tc.mf1,
		} {
			got, err := Quality(metric, tc.classes, tc.pred, tc.labels, tc.rows)
			if err != nil {
				t.Errorf("%s %q: %v", tc.name, metric, err)
				continue
			}
			near(t, tc.name+" "+metric, got, want)
		}
	}
}

func TestTaskMetricErrors(t *testing.T) {
	for _, tc := range []struct {
		name, metric string
		classes      int
		pred, labels []int
		rows         []int
		is           error
		want         string
	}{
		{"unknown metric", "f1", 2, []int{0}, []int{0}, nil, ErrUnknownMetric, `"f1" (want accuracy, balanced_accuracy or macro_f1)`},
		{"one class", task.MetricMacroF1, 1, []int{0}, []int{0}, nil, ErrClassCount, "1, want at least 2"},
		{"prediction out of range", task.MetricBalancedAccuracy, 3, []int{0, 3}, []int{0, 1}, nil, ErrClassIndex, "row 1 predicts class 3 of 3"},
		{"negative label", task.MetricMacroF1, 2, []int{0, 1}, []int{-1, 1}, nil, ErrClassIndex, "row 0 is labelled class -1 of 2"},
		{"row out of range", task.MetricMacroF1, 2, []int{0, 1}, []int{0, 1}, []int{2}, nil, "row 2 of 2"},
		{"lengths differ", task.MetricBalancedAccuracy, 2, []int{0, 1}, []int{0}, nil, nil, "2 predictions for 1 labels"},
	} {
		_, err := Quality(tc.metric, tc.classes, tc.pred, tc.labels, tc.rows)
		if err == nil || !strings.Contains(err.Error(), tc.want) || (tc.is != nil && !errors.Is(err, tc.is)) {
			t.Errorf("%s: err %v, want %q (%v)", tc.name, err, tc.want, tc.is)
		}
	}
}

// TestTaskMetricProperties: every metric is in [0, 1] and 1 for a perfect
// answer (whichever classes the rows happen to hold), and a constant answer
// has balanced accuracy 1/classes when every class is in the truth.
func TestTaskMetricProperties(t *testing.T) {
	metrics := []string{task.MetricAccuracy, task.MetricBalancedAccuracy, task.MetricMacroF1}
	rapid.Check(t, func(t *rapid.T) {
		k := rapid.IntRange(2, 8).Draw(t, "classes")
		n := rapid.IntRange(1, 64).Draw(t, "n")
		class := rapid.IntRange(0, k-1)
		labels := rapid.SliceOfN(class, n, n).Draw(t, "labels")
		pred := rapid.SliceOfN(class, n, n).Draw(t, "pred")
		for _, m := range metrics {
			q, err := Quality(m, k, pred, labels, nil)
			if err != nil || !(q >= 0 && q <= 1) {
				t.Fatalf("%s = %v, err %v", m, q, err)
			}
			if q, err := Quality(m, k, labels, labels, nil); err != nil || q != 1 {
				t.Fatalf("%s of a perfect answer = %v, err %v", m, q, err)
			}
		}
		all := append(append([]int{}, labels...), make([]int, k)...)
		for c := range k {
			all[n+c] = c
		}
		c := class.Draw(t, "constant")
		constant := make([]int, len(all))
		for i := range constant {
			constant[i] = c
		}
		if q, err := BalancedAccuracy(constant, all, k, nil); err != nil || q != 1/float64(k) {
			t.Fatalf("balanced accuracy of constant %d over %d classes = %v, err %v", c, k, q, err)
		}
	})
}
