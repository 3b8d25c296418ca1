package simulate

import (
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestBadInput(t *testing.T) {
	const ok = `"stakes": [1, 1, 0], "epochs": [{"weights": {"0": {"2": 1}}}]`
	tests := []struct {
		name, input, field string
	}{
		{"malformed JSON", `{"stakes": [1, 2`, "malformed JSON"},
		{"not JSON", `stakes: 1`, "malformed JSON"},
		{"empty input", ``, "malformed JSON"},
		{"trailing data", `{` + ok + `} {}`, "malformed JSON"},
		{"unknown field", `{"kapa": 0.5, ` + ok + `}`, `unknown field "kapa"`},
		{"unknown param", `{"params": {"kappa2": 1}, ` + ok + `}`, `unknown field "kappa2"`},
		{"unknown epoch field", `{"stakes": [1], "epochs": [{"weight": {}}]}`, `unknown field "weight"`},
		{"missing stakes", `{"epochs": [{}]}`, "stakes"},
		{"empty stakes", `{"stakes": [], "epochs": [{}]}`, "stakes"},
		{"negative stake", `{"stakes": [1, -5], "epochs": [{}]}`, "stakes[1]: negative stake"},
		{"fractional stake", `{"stakes": [1.5], "epochs": [{}]}`, "stakes[0]"},
		{"stake as string", `{"stakes": ["x"], "epochs": [{}]}`, "stakes"},
		{"negative epoch stake", `{"stakes": [1, 1], "epochs": [{"stakes": [1, -1]}]}`, "epochs[0].stakes[1]: negative stake"},
		{"epoch stakes length", `{"stakes": [1, 1], "epochs": [{"stakes": [1]}]}`, "epochs[0].stakes: length 1, want 2"},
		{"permit length", `{"stakes": [1, 1], "validator_permit": [true], "epochs": [{}]}`, "validator_permit: length 1, want 2"},
		{"no epochs", `{"stakes": [1]}`, "epochs"},
		{"kappa above 1", `{"params": {"kappa": 1.5}, ` + ok + `}`, "params.kappa"},
		{"kappa negative", `{"params": {"kappa": -0.1}, ` + ok + `}`, "params.kappa"},
		{"kappa not a number", `{"params": {"kappa": "half"}, ` + ok + `}`, "params.kappa"},
		{"kappa bool", `{"params": {"kappa": true}, ` + ok + `}`, "params.kappa"},
		{"bonds penalty", `{"params": {"bonds_penalty": 2}, ` + ok + `}`, "params.bonds_penalty"},
		{"alpha order", `{"params": {"alpha_low": 0.9, "alpha_high": 0.1}, ` + ok + `}`, "params.alpha_low"},
		{"max validators zero", `{"params": {"max_validators": 0}, ` + ok + `}`, "params.max_validators"},
		{"max validators fraction", `{"params": {"max_validators": 2.5}, ` + ok + `}`, "params.max_validators"},
		{"negative cutoff", `{"params": {"activity_cutoff": -1}, ` + ok + `}`, "params.activity_cutoff"},
		{"liquid alpha not bool", `{"params": {"liquid_alpha": 1}, ` + ok + `}`, "params.liquid_alpha"},
		{"tempo zero", `{"tempo": 0, ` + ok + `}`, "tempo"},
		{"unknown target UID", `{"stakes": [1, 1], "epochs": [{"weights": {"0": {"7": 1}}}]}`, `epochs[0].weights["0"]["7"]: unknown UID 7`},
		{"unknown validator UID", `{"stakes": [1, 1], "epochs": [{"weights": {"9": {"1": 1}}}]}`, `epochs[0].weights["9"]: unknown UID 9`},
		{"UID not a number", `{"stakes": [1, 1], "epochs": [{"weights": {"a": {"1": 1}}}]}`, `epochs[0].weights["a"]`},
		{"duplicate validator UID", `{"stakes": [1, 1], "epochs": [{"weights": {"0": {"1": 1}, "00": {"1": 1}}}]}`, `epochs[0].weights["0`},
		{"duplicate target UID", `{"stakes": [1, 1], "epochs": [{"weights": {"0": {"1": 1, "01": 1}}}]}`, `epochs[0].weights["0"]: duplicate UID 1`},
		{"weight too large", `{"stakes": [1, 1], "epochs": [{"weights": {"0": {"1": 65536}}}]}`, `epochs[0].weights["0"]["1"]`},
		{"negative weight", `{"stakes": [1, 1], "epochs": [{"weights": {"0": {"1": -1}}}]}`, `epochs[0].weights["0"]["1"]`},
		{"reset UID unknown", `{"stakes": [1, 1], "epochs": [{"reset_bonds": [2]}]}`, `epochs[0].reset_bonds[0]: unknown UID 2`},
		{"reset UID negative", `{"stakes": [1, 1], "epochs": [{}, {"reset_bonds": [0, -1]}]}`, `epochs[1].reset_bonds[1]`},
		{"reset UID fraction", `{"stakes": [1, 1], "epochs": [{"reset_bonds": [0.5]}]}`, `epochs[0].reset_bonds[0]`},
		{"reset UID string", `{"stakes": [1, 1], "epochs": [{"reset_bonds": ["1"]}]}`, `epochs[0].reset_bonds`},
		{"reset UID duplicate", `{"stakes": [1, 1], "epochs": [{"reset_bonds": [1, 1]}]}`, `epochs[0].reset_bonds: duplicate UID 1`},
		{"reset not a list", `{"stakes": [1, 1], "epochs": [{"reset_bonds": 1}]}`, `epochs[0].reset_bonds`},
		{"weights not an object", `{"stakes": [1, 1], "epochs": [{"weights": [1]}]}`, `epochs[0].weights`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, err := execute(t, tc.input, "--file", "-")
			if err == nil {
				t.Fatalf("accepted bad input; printed %q", stdout)
			}
			if !strings.Contains(err.Error(), tc.field) {
				t.Fatalf("error %q does not name %q", err, tc.field)
			}
			if stdout != "" {
				t.Fatalf("printed output despite the error: %q", stdout)
			}
		})
	}
}

func TestFileErrors(t *testing.T) {
	if _, err := execute(t, ""); err == nil || !strings.Contains(err.Error(), "--file") {
		t.Fatalf("missing --file: err = %v", err)
	}
	if _, err := execute(t, "", "--file", filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Fatal("missing file accepted")
	}
	if _, err := execute(t, "", "--file", "x", "extra"); err == nil {
		t.Fatal("positional argument accepted")
	}
}

func TestLargeScenario(t *testing.T) {
	// 64 UIDs, 8 validators each weighting every miner, 20 epochs.
	var b strings.Builder
	b.WriteString(`{"stakes": [`)
	for i := range 64 {
		if i > 0 {
			b.WriteString(", ")
		}
		if i < 8 {
			b.WriteString(strconv.Itoa(100 + i))
		} else {
			b.WriteString("0")
		}
	}
	b.WriteString(`], "epochs": [{"weights": {`)
	for v := range 8 {
		if v > 0 {
			b.WriteString(", ")
		}
		b.WriteString(`"` + strconv.Itoa(v) + `": {`)
		for j := 8; j < 64; j++ {
			if j > 8 {
				b.WriteString(", ")
			}
			b.WriteString(`"` + strconv.Itoa(j) + `": ` + strconv.Itoa(j*100+v))
		}
		b.WriteString("}")
	}
	b.WriteString(`}}` + strings.Repeat(`, {}`, 19) + `]}`)
	o := simulate(t, b.String())
	last := o.Epochs[19]
	var sumI, sumD float64
	for i := range 64 {
		sumI += last.Incentive[i]
		sumD += last.Dividends[i]
	}
	if math.Abs(sumI-1) > 1e-6 || math.Abs(sumD-1) > 1e-6 {
		t.Fatalf("ΣI = %v, ΣD = %v", sumI, sumD)
	}
}
