package scoring

import (
	"errors"
	"fmt"

	"github.com/assay-network/assay/task"
)

// Task metrics (DESIGN §11 `metric`). Every one is in [0, 1], is 1 for a
// perfect answer and scores zero rows as 0. They are computed on the rows
// given (all rows when rows is nil); class indexes are 0 … classes−1, the
// task's declared classes.
var (
	ErrUnknownMetric = errors.New("scoring: unknown task metric")
	ErrClassCount    = errors.New("scoring: too few classes")
	ErrClassIndex    = errors.New("scoring: class index out of range")
)

// Quality is the task metric named by metric ("" means accuracy, so a spec
// written before tasks named their metric keeps scoring as it did).
func Quality(metric string, classes int, pred, labels, rows []int) (float64, error) {
	switch metric {
	case "", task.MetricAccuracy:
		return Accuracy(pred, labels, rows), nil
	case task.MetricBalancedAccuracy:
		return BalancedAccuracy(pred, labels, classes, rows)
	case task.MetricMacroF1:
		return MacroF1(pred, labels, classes, rows)
	}
	return 0, checkMetric(metric)
}

// checkMetric names the metric when it is none of the task spec's.
func checkMetric(metric string) error {
	switch metric {
	case "", task.MetricAccuracy, task.MetricBalancedAccuracy, task.MetricMacroF1:
		return nil
	}
	return fmt.Errorf("%w %q (want %s, %s or %s)", ErrUnknownMetric, metric,
		task.MetricAccuracy, task.MetricBalancedAccuracy, task.MetricMacroF1)
}

// Accuracy is the share of pred equal to labels over the given rows (all rows
// when rows is nil). Zero rows score 0.
func Accuracy(pred, labels []int, rows []int) float64 {
	n, ok := 0, 0
	each(len(pred), rows, func(i int) {
		n++
		if pred[i] == labels[i] {
			ok++
		}
	})
	if n == 0 {
		return 0
	}
	return float64(ok) / float64(n)
}

// BalancedAccuracy is the mean, over the classes present in the truth, of
// each class's recall TP_c / (TP_c + FN_c): sklearn's balanced_accuracy_score
// (adjusted=False), which also leaves out a class that is only predicted.
func BalancedAccuracy(pred, labels []int, classes int, rows []int) (float64, error) {
	m, err := confusionOf(pred, labels, classes, rows)
	if err != nil {
		return 0, err
	}
	var sum float64
	present := 0
	for c := range classes {
		if truth := m.tp[c] + m.fn[c]; truth > 0 {
			sum += float64(m.tp[c]) / float64(truth)
			present++
		}
	}
	if present == 0 {
		return 0, nil
	}
	return sum / float64(present), nil
}

// MacroF1 is the unweighted mean of F1_c = 2·TP_c / (2·TP_c + FP_c + FN_c)
// over the classes that occur in the truth or the predictions of the rows. A
// declared class with neither is left out rather than counted 0, so a batch
// that happens to miss a rare class does not cap a perfect answer below 1.
// That is sklearn's f1_score(average="macro") with its default labels (the
// union of truth and predictions), where zero_division never applies; a
// class that is in the truth but never predicted, or predicted but never
// true, has F1 0 as with zero_division=0.
func MacroF1(pred, labels []int, classes int, rows []int) (float64, error) {
	m, err := confusionOf(pred, labels, classes, rows)
	if err != nil {
		return 0, err
	}
	var sum float64
	seen := 0
	for c := range classes {
		if d := 2*m.tp[c] + m.fp[c] + m.fn[c]; d > 0 {
			sum += float64(2*m.tp[c]) / float64(d)
			seen++
		}
	}
	if seen == 0 {
		return 0, nil
	}
	return sum / float64(seen), nil
}

// confusion holds per-class true positives, false positives and false
// negatives: all the balanced accuracy and macro-F1 need.
type confusion struct{ tp, fp, fn []int }

// confusionOf counts rows (all when nil); a row index, prediction or label
// outside its range is an error naming the row, never a panic.
func confusionOf(pred, labels []int, classes int, rows []int) (confusion, error) {
	if classes < 2 {
		return confusion{}, fmt.Errorf("%w: %d, want at least 2", ErrClassCount, classes)
	}
	if len(pred) != len(labels) {
		return confusion{}, fmt.Errorf("scoring: %d predictions for %d labels", len(pred), len(labels))
	}
	m := confusion{tp: make([]int, classes), fp: make([]int, classes), fn: make([]int, classes)}
	var err error
	each(len(pred), rows, func(i int) {
		switch {
		case err != nil:
		case i < 0 || i >= len(pred):
			err = fmt.Errorf("scoring: row %d of %d", i, len(pred))
		case pred[i] < 0 || pred[i] >= classes:
			err = fmt.Errorf("%w: row %d predicts class %d of %d", ErrClassIndex, i, pred[i], classes)
		case labels[i] < 0 || labels[i] >= classes:
			err = fmt.Errorf("%w: row %d is labelled class %d of %d", ErrClassIndex, i, labels[i], classes)
		case pred[i] == labels[i]:
			m.tp[pred[i]]++
		default:
			m.fp[pred[i]]++
			m.fn[labels[i]]++
		}
	})
	return m, err
}
