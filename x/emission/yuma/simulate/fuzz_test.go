package simulate

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzDecode: the scenario decoder never panics, every rejection carries a
// message, and every accepted scenario runs and prints without panicking.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, seed := range []string{
		`{"stakes": [1], "epochs": [{}]}`,
		`{"stakes": [1, 2, 0], "tempo": 3, "validator_permit": [true, false, false], "epochs": [{"weights": {"0": {"2": 7}}}, {"weights": {}}, {"stakes": [0, 0, 0]}]}`,
		`{"params": {"kappa": 1e-3, "liquid_alpha": true, "alpha_low": 0, "alpha_high": 1, "alpha_sigmoid_steepness": 2147483647}, "stakes": [18446744073709551615, 18446744073709551615], "epochs": [{"weights": {"0": {"1": 65535}, "1": {"0": 1}}}]}`,
		`{"stakes": [1], "epochs": [{"weights": null}]}`,
		`{"params": {"kappa": 1e99999}, "stakes": [1], "epochs": [{}]}`,
		`[]`, `null`, `{}`, `{"stakes": {}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Decode(bytes.NewReader(data))
		if err != nil {
			if strings.TrimSpace(err.Error()) == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if len(s.Stakes)*len(s.Epochs) > 1<<16 {
			return // valid but too slow to run here
		}
		res, err := Run(s)
		if err != nil {
			t.Fatalf("decoded scenario failed to run: %v", err)
		}
		if err := res.Write(io.Discard); err != nil {
			t.Fatal(err)
		}
	})
}
