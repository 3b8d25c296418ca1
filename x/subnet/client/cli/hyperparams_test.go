package cli_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/subnet"
	"github.com/assay-network/assay/x/subnet/client/cli"
	"github.com/assay-network/assay/x/subnet/types"
)

// A hyperparameter file's bad value fails in one line naming the field, the
// value and what is allowed; good files overlay only the fields they name.
func TestMergeHyperparamsFileErrors(t *testing.T) {
	cdc := moduletestutil.MakeTestEncodingConfig(subnet.AppModule{}).Codec
	base := types.DefaultHyperparams()
	cases := []struct {
		name, file string
		want       string // the error after "hyperparams file PATH: "; "" = accepted
	}{
		{"negative uint64", `{"tempo": -5}`, `hyperparams.tempo: -5 is not a whole number in [0, 18446744073709551615]`},
		{"fraction", `{"tempo": 1.5}`, `hyperparams.tempo: 1.5 is not a whole number in [0, 18446744073709551615]`},
		{"word for a number", `{"tempo": "abc"}`, `hyperparams.tempo: "abc" is not a whole number in [0, 18446744073709551615]`},
		{"object for a number", `{"immunity_period": {"a": 1}}`, `hyperparams.immunity_period: {"a":1} is not a whole number in [0, 18446744073709551615]`},
		{"uint32 overflow", `{"max_uids": 4294967296}`, `hyperparams.max_uids: 4294967296 is not a whole number in [0, 4294967295]`},
		{"negative uint32 camelCase", `{"maxWeightLimit": -1}`, `hyperparams.max_weight_limit: -1 is not a whole number in [0, 4294967295]`},
		{"bad decimal", `{"kappa": "abc"}`, `hyperparams.kappa: "abc" is not a decimal, e.g. "0.5"`},
		{"decimal as number", `{"bonds_penalty": 0.5}`, `hyperparams.bonds_penalty: 0.5 is not a decimal string, e.g. "0.5"`},
		{"null decimal", `{"alpha_low": null}`, `hyperparams.alpha_low: null is not a decimal string, e.g. "0.5"`},
		{"bad amount", `{"min_burn": "abc"}`, `hyperparams.min_burn: "abc" is not a whole number of uassay, e.g. "1000"`},
		{"fractional amount", `{"max_burn": "1.5"}`, `hyperparams.max_burn: "1.5" is not a whole number of uassay, e.g. "1000"`},
		{"amount as number", `{"min_validator_stake": 1000}`, `hyperparams.min_validator_stake: 1000 is not a whole number of uassay in a string, e.g. "1000"`},
		{"bad bool", `{"commit_reveal": "yes"}`, `hyperparams.commit_reveal: "yes" is not true or false`},
		{"quoted bool", `{"liquid_alpha": "true"}`, `hyperparams.liquid_alpha: "true" is a string; write true without quotes`},
		{"unknown field", `{"tempoo": 1}`, `hyperparams.tempoo: not a hyperparameter; the fields are tempo, max_uids,`},
		{"first bad field by name", `{"tempo": -1, "kappa": "x"}`, `hyperparams.kappa: "x" is not a decimal`},
		{"long value clipped", `{"kappa": "` + strings.Repeat("9", 200) + `x"}`, `…`},
		{"bound still Validate's", `{"tempo": 0}`, `tempo: must be > 0`},
		{"good", `{"tempo": 7, "kappa": "0.4", "min_burn": "5", "commit_reveal": true}`, ""},
		{"quoted integer", `{"tempo": "7"}`, ""},
		{"camelCase", `{"maxUids": 300}`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "hp.json")
			require.NoError(t, os.WriteFile(path, []byte(tc.file), 0o600))
			hp, err := cli.MergeHyperparamsFile(cdc, base, path)
			if tc.want == "" {
				require.NoError(t, err)
				require.Equal(t, base.ActivityCutoff, hp.ActivityCutoff, "fields absent from the file keep their values")
				return
			}
			require.Error(t, err)
			msg := err.Error()
			require.NotContains(t, msg, "\n")
			require.True(t, strings.HasPrefix(msg, "hyperparams file "+path+": "), msg)
			require.Contains(t, msg, tc.want)
			require.True(t, errors.Is(err, types.ErrInvalidHyperparams) || errors.Is(err, types.ErrHyperparamOutOfBound), msg)
			require.Equal(t, base, hp, "a bad file changes nothing")
		})
	}
}
