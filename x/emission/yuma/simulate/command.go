package simulate

import (
	"errors"
	"io"
	"os"

	"github.com/spf13/cobra"
)

const longHelp = `Run a sequence of Yuma 3 consensus epochs offline and print what each epoch
pays: "what would this weight matrix pay?" It uses the same library as the
chain (x/emission/yuma), so the numbers are the chain's numbers.

INPUT (--file FILE, or --file - for stdin), JSON:

  {
    "params": {"kappa": 0.5, "bonds_moving_average": 0.975, "bonds_penalty": 0.0,
               "max_validators": 3, "liquid_alpha": false, "alpha_low": 0.7,
               "alpha_high": 0.9, "alpha_sigmoid_steepness": 1000},
    "stakes": [33, 33, 34, 0, 0],
    "epochs": [
      {"weights": {"0": {"3": 65535, "4": 0}, "1": {"3": 65535}, "2": {"4": 65535}}},
      {"stakes": [33, 33, 34, 0, 0]}
    ]
  }

  params            optional; omitted params take the subnet defaults: kappa 0.5,
                    bonds_moving_average 0.9, bonds_penalty 1, max_validators 64,
                    min_validator_stake 0, activity_cutoff 5000, liquid_alpha
                    false, alpha_low 0.7, alpha_high 0.9, alpha_sigmoid_steepness
                    1000. Fractions are decimals in [0, 1]; max_validators,
                    min_validator_stake and activity_cutoff are whole numbers.
  stakes            required: one raw stake (whole token units, ≥ 0) per UID; the
                    number of entries is the number of UIDs (UIDs 0..n-1).
  tempo             optional, default 100: the subnet's tempo, as on chain: epoch
                    e runs at netuid 0's (e+1)-th epoch block (101, 202, … at
                    tempo 100); every UID is registered at block 0 and active
                    until it falls activity_cutoff blocks behind.
  validator_permit  optional: the permits held before the first epoch, one bool
                    per UID. Default: the top max_validators UIDs by non-zero
                    stake, as if the subnet had already run an epoch.
  epochs            required, at least one. Each epoch may set:
    stakes          new stakes from this epoch on (same length as "stakes");
    weights         {"validator UID": {"UID": weight, ...}, ...}: the raw uint16
                    weights (0..65535) each validator submits at this epoch.
                    It replaces all weights: validators not listed have none.
                    An epoch without "weights" keeps the previous weights (not
                    resubmitted); "weights": {} clears them.
    reset_bonds     [UID, ...]: every validator's bond on these UIDs is dropped
                    before this epoch runs (the chain does this when a miner
                    publishes a new model hash, hyperparameter bonds_reset).

Permits and bonds carry from one epoch to the next as on chain: weights count
only from validators holding a permit from the previous epoch.

OUTPUT, JSON on stdout:

  {"epochs": [{"block": 101, "consensus": [..], "incentive": [..],
    "dividends": [..], "validator_trust": [..], "active_stake": [..],
    "validator_shares": [..], "bonds": [[..], ..], "validator_permit": [..]}]}

One entry per epoch; vectors are indexed by UID and numbers are decimals in
[0, 1]. bonds[i][j] is validator i's bond to UID j. validator_shares is how the
validators' half of the emission is split: the dividends, or the active stake
when no miner earns incentive.

Bad input (malformed JSON, unknown field or UID, negative stake, a fraction
outside [0, 1], mismatched lengths) exits non-zero with a message naming the
field.`

const example = `  assayd yuma simulate --file scenario.json
  cat scenario.json | assayd yuma simulate --file -`

// NewCommand returns the "simulate" command (wired as assayd yuma simulate).
func NewCommand() *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:          "simulate --file scenario.json",
		Short:        "Run Yuma consensus epochs offline over a scenario file and print the results",
		Long:         longHelp,
		Example:      example,
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if file == "" {
				return errors.New("--file is required (a scenario JSON file, or - for stdin)")
			}
			var r io.Reader = cmd.InOrStdin()
			if file != "-" {
				f, err := os.Open(file)
				if err != nil {
					return err
				}
				defer f.Close()
				r = f
			}
			s, err := Decode(r)
			if err != nil {
				return err
			}
			res, err := Run(s)
			if err != nil {
				return err
			}
			return res.Write(cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVar(&file, "file", "", "scenario JSON file ('-' reads stdin)")
	return cmd
}
