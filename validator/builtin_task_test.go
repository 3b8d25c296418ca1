package validator

import (
	"fmt"
	"os"

	"github.com/assay-network/assay/task"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// cpsTask is the test subnet's task as the chain stores it (canonical JSON
// and hash): the built-in cps1985-wages task file, judged by demographic
// parity on gender with weight 0.5 and a 400 ms deadline, changed by mut.
// The file is the repository's, so a broken one panics the test binary.
func cpsTask(mut ...func(*task.Spec)) (spec, hash string) {
	raw, err := os.ReadFile("../scripts/tasks/cps1985-wages.json")
	if err != nil {
		panic(err)
	}
	s, err := task.Parse(raw)
	if err != nil {
		panic(fmt.Sprintf("scripts/tasks/cps1985-wages.json: %v", err))
	}
	s.Label.Positive = "management" // demographic parity needs a favourable class
	s.Fairness.BiasMetric = task.BiasDemographicParity
	s.Fairness.BiasWeight = "0.5"
	s.MaxLatencyMS = 400
	for _, m := range mut {
		m(&s)
	}
	if spec, hash, err = subnettypes.CanonicalTask(s); err != nil {
		panic(err)
	}
	return spec, hash
}
