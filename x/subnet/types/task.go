package types

import (
	"fmt"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
)

// Task types, metrics and bias metrics the network knows how to evaluate.
const (
	TaskTabularClassification = "tabular-classification"
	TaskImageClassification   = "image-classification"

	MetricAccuracy = "accuracy"

	BiasDemographicParity  = "demographic_parity"
	BiasEqualizedOdds      = "equalized_odds"
	BiasCounterfactualFlip = "counterfactual_flip"

	maxNameLen     = 64
	maxFeatures    = 4096
	maxFeatureLen  = 64
	maxLatencyMsUB = 60_000
)

func taskErr(field, format string, args ...any) error {
	return errorsmod.Wrapf(ErrInvalidTask, "%s: %s", field, fmt.Sprintf(format, args...))
}

// Validate checks a task spec, naming the first bad field.
func (t TaskSpec) Validate() error {
	switch t.TaskType {
	case TaskTabularClassification, TaskImageClassification:
	case "":
		return taskErr("task_type", "missing (want %q or %q)", TaskTabularClassification, TaskImageClassification)
	default:
		return taskErr("task_type", "unknown %q (want %q or %q)", t.TaskType, TaskTabularClassification, TaskImageClassification)
	}
	if t.Dataset == "" || len(t.Dataset) > maxNameLen {
		return taskErr("dataset", "must be 1..%d characters", maxNameLen)
	}
	if t.FeatureCount == 0 || t.FeatureCount > 1<<20 {
		return taskErr("feature_count", "must be in [1, %d], got %d", 1<<20, t.FeatureCount)
	}
	if len(t.FeatureNames) > maxFeatures {
		return taskErr("feature_names", "at most %d names", maxFeatures)
	}
	if t.TaskType == TaskTabularClassification && len(t.FeatureNames) == 0 {
		return taskErr("feature_names", "required for %s", TaskTabularClassification)
	}
	if len(t.FeatureNames) > 0 && uint32(len(t.FeatureNames)) != t.FeatureCount {
		return taskErr("feature_count", "is %d but feature_names lists %d", t.FeatureCount, len(t.FeatureNames))
	}
	seen := make(map[string]struct{}, len(t.FeatureNames))
	for i, name := range t.FeatureNames {
		if name == "" || len(name) > maxFeatureLen {
			return taskErr(fmt.Sprintf("feature_names[%d]", i), "must be 1..%d characters", maxFeatureLen)
		}
		if _, dup := seen[name]; dup {
			return taskErr(fmt.Sprintf("feature_names[%d]", i), "duplicate name %q", name)
		}
		seen[name] = struct{}{}
	}
	if t.NumClasses < 2 || t.NumClasses > 1000 {
		return taskErr("num_classes", "must be in [2, 1000], got %d", t.NumClasses)
	}
	if t.Metric != MetricAccuracy {
		return taskErr("metric", "unknown %q (want %q)", t.Metric, MetricAccuracy)
	}
	if t.BiasWeight.IsNil() || t.BiasWeight.IsNegative() || t.BiasWeight.GT(math.LegacyOneDec()) {
		return taskErr("bias_weight", "must be in [0, 1]")
	}
	// A task that does not penalise bias (bias_weight 0, e.g. MNIST) needs no
	// fairness spec; any other task must say what and how to measure.
	fairnessOptional := t.BiasWeight.IsZero()
	switch t.BiasMetric {
	case BiasDemographicParity, BiasEqualizedOdds, BiasCounterfactualFlip:
	case "":
		if !fairnessOptional {
			return taskErr("bias_metric", "missing (want %s, %s or %s)", BiasDemographicParity, BiasEqualizedOdds, BiasCounterfactualFlip)
		}
	default:
		return taskErr("bias_metric", "unknown %q (want %s, %s or %s)", t.BiasMetric,
			BiasDemographicParity, BiasEqualizedOdds, BiasCounterfactualFlip)
	}
	if t.ProtectedAttribute == "" && !fairnessOptional {
		return taskErr("protected_attribute", "missing")
	}
	// protected_attribute may be a feature or derived from one (german-credit's
	// sex comes from personal_status), so it is not checked against feature_names.
	if len(t.ProtectedAttribute) > maxFeatureLen {
		return taskErr("protected_attribute", "at most %d characters", maxFeatureLen)
	}
	if t.MaxLatencyMs == 0 || t.MaxLatencyMs > maxLatencyMsUB {
		return taskErr("max_latency_ms", "must be in [1, %d], got %d", maxLatencyMsUB, t.MaxLatencyMs)
	}
	return nil
}
