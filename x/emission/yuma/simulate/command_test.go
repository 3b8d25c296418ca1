package simulate

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// output mirrors the printed JSON; numbers are parsed as float64 here only
// to compare with subtensor's published (float) targets.
type output struct {
	Epochs []struct {
		Block           uint64      `json:"block"`
		Consensus       []float64   `json:"consensus"`
		Incentive       []float64   `json:"incentive"`
		Dividends       []float64   `json:"dividends"`
		ValidatorTrust  []float64   `json:"validator_trust"`
		ActiveStake     []float64   `json:"active_stake"`
		ValidatorShares []float64   `json:"validator_shares"`
		Bonds           [][]float64 `json:"bonds"`
		Permit          []bool      `json:"validator_permit"`
	} `json:"epochs"`
}

// execute runs the command in-process and returns stdout and the error.
func execute(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := NewCommand()
	var out, errOut bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetIn(strings.NewReader(stdin))
	err := cmd.Execute()
	return out.String(), err
}

func simulate(t *testing.T, scenario string) output {
	t.Helper()
	stdout, err := execute(t, scenario, "--file", "-")
	if err != nil {
		t.Fatalf("simulate: %v", err)
	}
	var o output
	if err := json.Unmarshal([]byte(stdout), &o); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	return o
}

// Subtensor's published Yuma 3 targets (pallets/subtensor/src/tests/epoch.rs),
// for the epochs after the first, weightless one.
var cliVectors = []struct {
	file string
	// at is the subtensor epoch of each target row (nil: 0, 1, 2, ...).
	at        []int
	dividends [][]float64
	bonds     [][][]float64 // validator rows, server columns from UID 3
}{
	{
		file: "yuma3_liquid_alpha_disabled.json",
		dividends: [][]float64{
			{0.3300, 0.3300, 0.3400, 0, 0},
			{0.3300, 0.3300, 0.3400, 0, 0},
			{0.3734, 0.3734, 0.2532, 0, 0},
			{0.3611, 0.3611, 0.2779, 0, 0},
			{0.3541, 0.3541, 0.2919, 0, 0},
			{0.3495, 0.3495, 0.3009, 0, 0},
		},
		bonds: [][][]float64{
			{{0.0250, 0}, {0.0250, 0}, {0.0250, 0}},
			{{0.0494, 0}, {0.0494, 0}, {0.0494, 0}},
			{{0.0731, 0}, {0.0731, 0}, {0.0481, 0.0250}},
			{{0.0963, 0}, {0.0963, 0}, {0.0719, 0.0244}},
			{{0.1189, 0}, {0.1189, 0}, {0.0951, 0.0238}},
			{{0.1409, 0}, {0.1409, 0}, {0.1178, 0.0232}},
		},
	},
	{
		file: "yuma3_kappa_moves_first.json",
		dividends: [][]float64{
			{0.8000, 0.1000, 0.1000, 0, 0},
			{1.0000, 0, 0, 0, 0},
			{0.9382, 0.0618, 0, 0, 0},
			{0.8819, 0.0773, 0.0407, 0, 0},
			{0.8564, 0.0844, 0.0592, 0, 0},
			{0.8418, 0.0884, 0.0697, 0, 0},
		},
		bonds: [][][]float64{
			{{0.1013, 0}, {0.1013, 0}, {0.1013, 0}},
			{{0.0908, 0.1013}, {0.3697, 0}, {0.3697, 0}},
			{{0.0815, 0.1924}, {0.3170, 0.1013}, {0.5580, 0}},
			{{0.0731, 0.2742}, {0.2765, 0.1924}, {0.4306, 0.1013}},
			{{0.0656, 0.3478}, {0.2435, 0.2742}, {0.3589, 0.1924}},
			{{0.0588, 0.4139}, {0.2157, 0.3478}, {0.3089, 0.2742}},
		},
	},
	{
		file: "yuma3_stable_miner.json",
		dividends: [][]float64{
			{0.8000, 0.1000, 0.1000, 0, 0, 0},
			{0.8226, 0.0745, 0.1028, 0, 0, 0},
			{0.7750, 0.1685, 0.0565, 0, 0, 0},
			{0.7864, 0.1372, 0.0764, 0, 0, 0},
			{0.7912, 0.1241, 0.0847, 0, 0, 0},
			{0.7937, 0.1173, 0.0890, 0, 0, 0},
		},
		bonds: [][][]float64{
			{{0.0507, 0, 0.0507}, {0.0507, 0, 0.0507}, {0.0507, 0, 0.0507}},
			{{0.0962, 0, 0.0962}, {0.0455, 0.1000, 0.0962}, {0.0962, 0, 0.0962}},
			{{0.0863, 0.0507, 0.1371}, {0.0408, 0.1405, 0.1371}, {0.1770, 0, 0.1371}},
			{{0.0774, 0.0962, 0.1739}, {0.0367, 0.1770, 0.1739}, {0.1579, 0.0507, 0.1739}},
			{{0.0694, 0.1371, 0.2069}, {0.0329, 0.2097, 0.2069}, {0.1411, 0.0962, 0.2069}},
			{{0.0623, 0.1739, 0.2366}, {0.0296, 0.2391, 0.2366}, {0.1263, 0.1371, 0.2366}},
		},
	},
	{
		// test_yuma_3_bonds_reset: 41 epochs; the bonds on UID 3 are reset
		// before epoch 20. Subtensor publishes targets for a few epochs.
		file: "yuma3_bonds_reset.json",
		at:   []int{0, 1, 2, 19, 20, 21, 40},
		dividends: [][]float64{
			{0.8000, 0.1000, 0.1000, 0, 0},
			{0.8944, 0.0528, 0.0528, 0, 0},
			{0.5230, 0.2385, 0.2385, 0, 0},
			{0.7919, 0.1040, 0.1040, 0, 0},
			{0.7928, 0.1036, 0.1036, 0, 0},
			{0.8467, 0.0766, 0.0766, 0, 0},
			{0.7928, 0.1036, 0.1036, 0, 0},
		},
		bonds: [][][]float64{
			{{0.1013, 0}, {0.1013, 0}, {0.1013, 0}},
			{{0.1924, 0}, {0.0908, 0.2987}, {0.0908, 0.2987}},
			{{0.1715, 0.1013}, {0.0815, 0.3697}, {0.0815, 0.3697}},
			{{0.0269, 0.8539}, {0.0131, 0.8975}, {0.0131, 0.8975}},
			{{0, 0.8687}, {0, 0.9079}, {0, 0.9079}},
			{{0, 0.8820}, {0.2987, 0.6386}, {0.2987, 0.6386}},
			{{0.8687, 0.0578}, {0.9079, 0.0523}, {0.9079, 0.0523}},
		},
	},
}

func TestSubtensorVectorsThroughCLI(t *testing.T) {
	const eps = 1e-3
	for _, v := range cliVectors {
		t.Run(v.file, func(t *testing.T) {
			path := filepath.Join("testdata", v.file)
			stdout, err := execute(t, "", "--file", path)
			if err != nil {
				t.Fatal(err)
			}
			var o output
			if err := json.Unmarshal([]byte(stdout), &o); err != nil {
				t.Fatal(err)
			}
			at := v.at
			if at == nil {
				for e := range v.dividends {
					at = append(at, e)
				}
			}
			if last := at[len(at)-1]; len(o.Epochs) != 2+last {
				t.Fatalf("%d epochs, want %d", len(o.Epochs), 2+last)
			}
			for k, want := range v.dividends {
				e := at[k]
				got := o.Epochs[e+1]
				for i := range want {
					if math.Abs(got.Dividends[i]-want[i]) > eps {
						t.Errorf("epoch %d: dividends[%d] = %.4f, want %.4f", e, i, got.Dividends[i], want[i])
					}
				}
				for i, row := range v.bonds[k] {
					for c, wb := range row {
						if b := got.Bonds[i][3+c]; math.Abs(b-wb) > eps {
							t.Errorf("epoch %d: bonds[%d][%d] = %.4f, want %.4f", e, i, 3+c, b, wb)
						}
					}
				}
			}
		})
	}
}

func TestOutputShapeAndDeterminism(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "yuma3_stable_miner.json"))
	if err != nil {
		t.Fatal(err)
	}
	first, err := execute(t, string(data), "--file", "-")
	if err != nil {
		t.Fatal(err)
	}
	second, _ := execute(t, string(data), "--file", "-")
	if first != second {
		t.Fatal("two runs printed different output")
	}
	o := simulate(t, string(data))
	for e, ep := range o.Epochs {
		// epochs are tempo+1 blocks apart, as a subnet's are on chain
		if ep.Block != uint64(e+1)*(DefaultTempo+1) {
			t.Errorf("epoch %d block %d, want %d", e, ep.Block, uint64(e+1)*(DefaultTempo+1))
		}
		for _, v := range [][]float64{ep.Consensus, ep.Incentive, ep.Dividends, ep.ValidatorTrust, ep.ActiveStake, ep.ValidatorShares, ep.Bonds[0]} {
			if len(v) != 6 {
				t.Fatalf("epoch %d: vector of length %d", e, len(v))
			}
			for _, x := range v {
				if x < 0 || x > 1 {
					t.Fatalf("epoch %d: %v outside [0, 1]", e, x)
				}
			}
		}
		if len(ep.Bonds) != 6 || len(ep.Permit) != 6 {
			t.Fatalf("epoch %d: bonds %d rows, permits %d", e, len(ep.Bonds), len(ep.Permit))
		}
	}
	// The weightless first epoch pays validators by active stake.
	if s := o.Epochs[0].ValidatorShares; math.Abs(s[0]-0.8) > 1e-9 || o.Epochs[0].Incentive[3] != 0 {
		t.Fatalf("fallback shares = %v", s)
	}
}

func TestScenarioSemantics(t *testing.T) {
	const head = `{"params": {"max_validators": 2, "bonds_penalty": 0}, "stakes": [3, 1, 0, 0], "epochs": [`
	w := `{"weights": {"0": {"2": 1, "3": 3}, "1": {"2": 1}}}`
	t.Run("default permits: top max_validators by stake", func(t *testing.T) {
		o := simulate(t, head+w+`]}`)
		if o.Epochs[0].Incentive[3] == 0 || o.Epochs[0].Dividends[0] == 0 {
			t.Fatalf("first epoch did not count the weights: %+v", o.Epochs[0])
		}
	})
	t.Run("explicit permits", func(t *testing.T) {
		o := simulate(t, `{"params": {"max_validators": 2}, "stakes": [3, 1, 0, 0], "validator_permit": [false, false, false, false], "epochs": [`+w+`]}`)
		if s := o.Epochs[0].Incentive; s[2] != 0 || s[3] != 0 {
			t.Fatalf("weights without previous permits counted: %v", s)
		}
		if s := o.Epochs[0].ValidatorShares; math.Abs(s[0]-0.75) > 1e-9 {
			t.Fatalf("no active stake: shares should follow stake, got %v", s)
		}
	})
	t.Run("an epoch without weights keeps them", func(t *testing.T) {
		o := simulate(t, head+w+`, {}]}`)
		if o.Epochs[1].Incentive[3] != o.Epochs[0].Incentive[3] || o.Epochs[1].Incentive[3] == 0 {
			t.Fatalf("incentive changed: %v → %v", o.Epochs[0].Incentive, o.Epochs[1].Incentive)
		}
	})
	t.Run("empty weights clear them", func(t *testing.T) {
		o := simulate(t, head+w+`, {"weights": {}}]}`)
		if s := o.Epochs[1].Incentive; s[2] != 0 || s[3] != 0 {
			t.Fatalf("incentive after clearing = %v", s)
		}
		if s := o.Epochs[1].ValidatorShares; math.Abs(s[0]-0.75) > 1e-9 || math.Abs(s[1]-0.25) > 1e-9 {
			t.Fatalf("fallback shares = %v", s)
		}
	})
	t.Run("stakes override", func(t *testing.T) {
		o := simulate(t, head+w+`, {"stakes": [1, 3, 0, 0]}]}`)
		if s := o.Epochs[1].ActiveStake; math.Abs(s[1]-0.75) > 1e-9 {
			t.Fatalf("active stake = %v", s)
		}
	})
	t.Run("reset_bonds drops the bonds on those UIDs before the epoch", func(t *testing.T) {
		// Defaults without liquid alpha: α = 1 − 0.9. Validators 0 and 1 both
		// put their whole row on UID 3 (W̃ = 1), so after two epochs each
		// holds 0.1 + 0.9·0.1 = 0.19 on UID 3 and nothing on UID 2.
		const s = `{"params": {"max_validators": 2, "bonds_penalty": 0}, "stakes": [1, 1, 0, 0], "epochs": [` +
			`{"weights": {"0": {"3": 1}, "1": {"3": 1}}}, {}, {"reset_bonds": [3]}, {"reset_bonds": [2]}]}`
		o := simulate(t, s)
		for i := range 2 {
			if b := o.Epochs[1].Bonds[i][3]; math.Abs(b-0.19) > 1e-9 {
				t.Fatalf("bonds[%d][3] before the reset = %v, want 0.19", i, b)
			}
			// Reset: the bond restarts from 0, so it is α·1 = 0.1.
			if b := o.Epochs[2].Bonds[i][3]; math.Abs(b-0.1) > 1e-9 {
				t.Fatalf("bonds[%d][3] after the reset = %v, want 0.1", i, b)
			}
			// Resetting another UID leaves UID 3's bonds: 0.1 + 0.9·0.1.
			if b := o.Epochs[3].Bonds[i][3]; math.Abs(b-0.19) > 1e-9 {
				t.Fatalf("bonds[%d][3] after resetting UID 2 = %v, want 0.19", i, b)
			}
		}
		// The printed result of the epoch before the reset is unchanged.
		if b := o.Epochs[1].Bonds[0][3]; b == 0 {
			t.Fatal("reset leaked into the previous epoch's output")
		}
	})
	t.Run("validators fall inactive after activity_cutoff", func(t *testing.T) {
		o := simulate(t, `{"params": {"activity_cutoff": 150}, "stakes": [1, 1, 0], "epochs": [{"weights": {"0": {"2": 1}, "1": {"2": 1}}}, {"weights": {"0": {"2": 1}}}, {}]}`)
		// Epoch 2 (block 303): UID 0 updated at 202, UID 1 at 101 (101+150 < 303).
		if s := o.Epochs[2].ActiveStake; s[0] != 1 || s[1] != 0 {
			t.Fatalf("active stake = %v", s)
		}
	})
}

func TestHelpDocumentsFormat(t *testing.T) {
	stdout, err := execute(t, "", "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"--file", `"stakes"`, `"epochs"`, `"weights"`, "alpha_sigmoid_steepness", "validator_permit", "reset_bonds", "dividends", "bonds"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("--help lacks %q", want)
		}
	}
	// The example in the help is itself a valid scenario.
	start := strings.Index(longHelp, "  {\n")
	end := strings.Index(longHelp, "\n  }\n") + len("\n  }")
	s, err := Decode(strings.NewReader(longHelp[start:end]))
	if err != nil {
		t.Fatalf("help example: %v", err)
	}
	if len(s.Stakes) != 5 || len(s.Epochs) != 2 || s.Params.MaxValidators != 3 {
		t.Fatalf("help example decoded as %+v", s)
	}
}
