package scoring

import (
	"errors"
	"fmt"

	"github.com/assay-network/assay/task"
)

var (
	// ErrUnknownBaseline is a reward baseline other than majority or chance.
	ErrUnknownBaseline = errors.New("scoring: unknown reward baseline")
	// ErrNoLabels: a majority baseline needs a non-empty validation split.
	ErrNoLabels = errors.New("scoring: no labels to take the majority of")
)

// Baseline is the quality a constant answer gets under the task's metric
// (DESIGN §12), the zero point of skill:
//   - majority: the metric of answering MajorityClass(labels) on every row of
//     labels (the validation split);
//   - chance: 1/classes, whatever the metric.
func Baseline(kind, metric string, classes int, labels []int) (float64, error) {
	if err := checkMetric(metric); err != nil {
		return 0, err
	}
	if classes < 2 {
		return 0, fmt.Errorf("%w: %d, want at least 2", ErrClassCount, classes)
	}
	switch kind {
	case task.BaselineChance:
		return 1 / float64(classes), nil
	case task.BaselineMajority:
		maj, err := MajorityClass(labels, classes)
		if err != nil {
			return 0, err
		}
		pred := make([]int, len(labels))
		for i := range pred {
			pred[i] = maj
		}
		return Quality(metric, classes, pred, labels, nil)
	}
	return 0, fmt.Errorf("%w %q (want %s or %s)", ErrUnknownBaseline, kind, task.BaselineMajority, task.BaselineChance)
}

// MajorityClass is the most frequent of labels; a tie goes to the smallest
// class index, so every validator picks the same one.
func MajorityClass(labels []int, classes int) (int, error) {
	if classes < 2 {
		return 0, fmt.Errorf("%w: %d, want at least 2", ErrClassCount, classes)
	}
	if len(labels) == 0 {
		return 0, ErrNoLabels
	}
	count := make([]int, classes)
	for i, l := range labels {
		if l < 0 || l >= classes {
			return 0, fmt.Errorf("%w: row %d is labelled class %d of %d", ErrClassIndex, i, l, classes)
		}
		count[l]++
	}
	best := 0
	for c := range count {
		if count[c] > count[best] {
			best = c
		}
	}
	return best, nil
}
