package types

import (
	"github.com/assay-network/assay/task"
)

// The chain keeps one definition of a task: package task (DESIGN §11). A
// subnet stores the spec as its canonical JSON and its task hash; there is
// no proto mirror of the spec, so the chain, the CLI, miners and validators
// all read it with task.Parse.

// ParseTaskSpec parses and shape-checks a task file (task.Parse: strict
// JSON, enums, hashes, decimals, bounds; at most task.MaxSpecBytes, which
// bounds the work). Errors wrap ErrInvalidTask and name the JSON field.
func ParseTaskSpec(js string) (task.Spec, error) {
	if js == "" {
		return task.Spec{}, ErrInvalidTask.Wrap("task_spec: missing")
	}
	s, err := task.Parse([]byte(js))
	if err != nil {
		return task.Spec{}, ErrInvalidTask.Wrap(err.Error())
	}
	return s, nil
}

// CanonicalTask is what a subnet stores for a valid spec: its canonical
// JSON and its task hash.
func CanonicalTask(s task.Spec) (spec, hash string, err error) {
	b, err := s.Canonical()
	if err != nil {
		return "", "", ErrInvalidTask.Wrap(err.Error())
	}
	h, err := s.Hash()
	if err != nil {
		return "", "", ErrInvalidTask.Wrap(err.Error())
	}
	return string(b), h, nil
}

// Task parses the subnet's stored spec.
func (s *Subnet) Task() (task.Spec, error) { return ParseTaskSpec(s.TaskSpec) }

// validateStoredTask checks a stored spec is valid, already canonical and
// carries its own hash, so an imported genesis cannot hold a spec whose
// hash miners would compute differently.
func validateStoredTask(spec, hash string) error {
	s, err := ParseTaskSpec(spec)
	if err != nil {
		return err
	}
	canonical, want, err := CanonicalTask(s)
	if err != nil {
		return err
	}
	if canonical != spec {
		return ErrInvalidTask.Wrap("task_spec: not in canonical form (package task's Canonical)")
	}
	if hash != want {
		return ErrInvalidTask.Wrapf("task_hash: %q is not the spec's hash %s", hash, want)
	}
	return nil
}
