package dataset

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/assay-network/assay/task"
)

// RegistryTask is a task spec v2 (DESIGN §11) as the registry loaders see
// it. It is transitional: until miners and validators build a task's
// dataset with LoadTask, they load it from the registry, and a built-in
// task's name is its registry id ("german-credit", "cps1985-wages",
// "mnist"). It goes when the registry goes.
type RegistryTask struct {
	// ID is the registry dataset id: the spec's name.
	ID       string
	TaskType string
	// ProtectedColumn, BiasMetric and BiasWeight come from the fairness
	// section (empty and 0 without one).
	ProtectedColumn string
	BiasMetric      string
	BiasWeight      float64
	MaxLatency      time.Duration
}

// NewRegistryTask maps a spec onto the registry; a name the registry does
// not know is an error naming the ones it does.
func NewRegistryTask(s task.Spec) (RegistryTask, error) {
	if !slices.Contains(IDs(), s.Name) {
		return RegistryTask{}, fmt.Errorf("dataset: task %q: miners and validators load only the built-in tasks %v for now", s.Name, IDs())
	}
	t := RegistryTask{ID: s.Name, TaskType: s.TaskType, MaxLatency: time.Duration(s.MaxLatencyMS) * time.Millisecond}
	if f := s.Fairness; f != nil {
		w, err := strconv.ParseFloat(f.BiasWeight, 64)
		if err != nil {
			return RegistryTask{}, fmt.Errorf("dataset: task %q: fairness.bias_weight %q: %w", s.Name, f.BiasWeight, err)
		}
		t.ProtectedColumn, t.BiasMetric, t.BiasWeight = f.Protected.Column, f.BiasMetric, w
	}
	return t, nil
}

// Protected names the registry's protected attribute over the task's
// protected column, so a validator measures what it measured before the
// spec moved to v2: german-credit's spec protects personal_status, over
// which the registry defines "sex" (groups female and male, as in the
// spec; the registry's own twins). "" when the task has none.
func (t RegistryTask) Protected(s *Schema) (string, error) {
	if t.ProtectedColumn == "" {
		return "", nil
	}
	for _, p := range s.Protected {
		if p.Feature == t.ProtectedColumn {
			return p.Name, nil
		}
	}
	return "", fmt.Errorf("dataset: task %q: the registry has no protected attribute over column %q", t.ID, t.ProtectedColumn)
}
