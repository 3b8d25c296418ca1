// Package cli holds the x/subnet tx commands that autocli cannot build: ones
// that read task/hyperparameter files or need the hotkey's signature.
package cli

import (
	"fmt"
	"strconv"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	"github.com/spf13/cobra"

	"github.com/assay-network/assay/x/subnet/types"
)

const (
	flagTaskFile        = "task-file"
	flagHyperparamsFile = "hyperparams-file"
	flagName            = "name"
	flagMaxLock         = "max-lock"
	flagHotkey          = "hotkey"
	flagMaxCost         = "max-cost"
)

// addTxFlags adds the standard tx flags with --gas defaulting to auto: the
// simulation runs the message first, so a bad registration fails at the
// prompt with the module's error instead of in a block.
func addTxFlags(cmd *cobra.Command) {
	flags.AddTxFlagsToCmd(cmd)
	gasAuto(cmd)
}

// NewTxCmd is the root of `assayd tx subnet`; autocli adds the simple commands.
func NewTxCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        types.ModuleName,
		Short:                      "Subnet transactions: register subnets and neurons, serve axons",
		DisableFlagParsing:         true,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(NewRegisterSubnetCmd(), NewValidateTaskCmd(), NewUpdateHyperparamsCmd(), NewRegisterNeuronCmd(),
		NewAddStakeCmd(), NewRemoveStakeCmd(), NewSetTakeCmd(),
		NewSetWeightsCmd(), NewCommitWeightsCmd(), NewRevealWeightsCmd())
	return cmd
}

// NewRegisterSubnetCmd registers a subnet from a task file.
func NewRegisterSubnetCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "register-subnet --task-file task.json [--hyperparams-file hp.json] --from OWNER",
		Short: "Register a subnet for a task, locking the current lock cost",
		Long: `Register a subnet for the task in a task file (DESIGN §11; scripts/tasks/*.json
are examples). Before signing, the task's data is fetched and every check a
miner and a validator would run is run (as in 'validate-task'), and what was
found is printed; a task that fails is refused. --skip-data-check sends the
task after the chain's shape checks only. The chain stores the task's
canonical JSON and its hash, and no message changes them afterwards.

The optional hyperparameter file holds only the fields to change from the
module defaults (see 'assayd q subnet params'), e.g. {"tempo": "20"}.
The lock cost ('assayd q subnet lock-cost') moves from OWNER to the module
account and comes back on dissolve-subnet.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			taskPath, _ := cmd.Flags().GetString(flagTaskFile)
			if taskPath == "" {
				return fmt.Errorf("--%s is required", flagTaskFile)
			}
			spec, err := ReadTaskFile(taskPath)
			if err != nil {
				return err
			}
			canonical, err := spec.Canonical()
			if err != nil {
				return err
			}
			name, _ := cmd.Flags().GetString(flagName)
			if name == "" {
				name = spec.Name
			}
			msg := &types.MsgRegisterSubnet{Owner: clientCtx.GetFromAddress().String(), Name: name, TaskSpec: string(canonical)}
			if hpPath, _ := cmd.Flags().GetString(flagHyperparamsFile); hpPath != "" {
				res, err := types.NewQueryClient(clientCtx).Params(cmd.Context(), &types.QueryParamsRequest{})
				if err != nil {
					return fmt.Errorf("reading default hyperparameters from the chain: %w", err)
				}
				hp, err := MergeHyperparamsFile(clientCtx.Codec, res.Params.DefaultHyperparams, hpPath)
				if err != nil {
					return err
				}
				msg.Hyperparams = &hp
			}
			if s, _ := cmd.Flags().GetString(flagMaxLock); s != "" {
				v, err := ParseAmount(flagMaxLock, s)
				if err != nil {
					return err
				}
				msg.MaxLock = &v
			}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			// Last before signing: the data check fetches and reads the data.
			if skip, _ := cmd.Flags().GetBool(flagSkipDataCheck); skip {
				fmt.Fprintf(cmd.ErrOrStderr(), "task file %s: data check skipped (--%s)\n", taskPath, flagSkipDataCheck)
			} else if err := checkTask(cmd, taskPath, spec, cmd.ErrOrStderr()); err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().String(flagTaskFile, "", "task file, JSON (DESIGN §11; required)")
	cmd.Flags().Bool(flagSkipDataCheck, false, "send the task without fetching and checking its data")
	addDataFlags(cmd)
	cmd.Flags().String(flagHyperparamsFile, "", "hyperparameter JSON file: fields overriding the module defaults")
	cmd.Flags().String(flagName, "", "subnet name (default: the task's name)")
	cmd.Flags().String(flagMaxLock, "", "fail if the lock cost is above this amount (uassay)")
	addTxFlags(cmd)
	return cmd
}

// NewUpdateHyperparamsCmd changes a subnet's hyperparameters.
func NewUpdateHyperparamsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "update-hyperparams [netuid] --hyperparams-file hp.json --from OWNER",
		Short: "Change your subnet's hyperparameters (fields in the file override the current ones)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			netuid, err := parseNetuid(args[0])
			if err != nil {
				return err
			}
			hpPath, _ := cmd.Flags().GetString(flagHyperparamsFile)
			if hpPath == "" {
				return fmt.Errorf("--%s is required", flagHyperparamsFile)
			}
			res, err := types.NewQueryClient(clientCtx).Subnet(cmd.Context(), &types.QuerySubnetRequest{Netuid: netuid})
			if err != nil {
				return fmt.Errorf("reading subnet %d: %w", netuid, err)
			}
			hp, err := MergeHyperparamsFile(clientCtx.Codec, res.Subnet.Hyperparams, hpPath)
			if err != nil {
				return err
			}
			msg := &types.MsgUpdateHyperparams{Owner: clientCtx.GetFromAddress().String(), Netuid: netuid, Hyperparams: hp}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().String(flagHyperparamsFile, "", "hyperparameter JSON file (required)")
	addTxFlags(cmd)
	return cmd
}

func parseNetuid(s string) (uint32, error) {
	v, err := strconv.ParseUint(s, 10, 16)
	if err != nil {
		return 0, fmt.Errorf("netuid: %q is not a number in [1, %d]", s, types.MaxNetuid)
	}
	return uint32(v), types.CheckNetuid(uint32(v))
}

// SignRegistration signs the registration authorisation with a keyring key and
// returns the key's address, compressed public key and signature.
func SignRegistration(clientCtx client.Context, keyName string, netuid uint16, coldkey string) (string, []byte, []byte, error) {
	rec, err := clientCtx.Keyring.Key(keyName)
	if err != nil {
		// also accept the hotkey's address
		addr, aerr := sdk.AccAddressFromBech32(keyName)
		if aerr != nil {
			return "", nil, nil, fmt.Errorf("--%s: no key %q in the keyring: %w", flagHotkey, keyName, err)
		}
		if rec, err = clientCtx.Keyring.KeyByAddress(addr); err != nil {
			return "", nil, nil, fmt.Errorf("--%s: address %s is not in the keyring, so it cannot sign: %w", flagHotkey, keyName, err)
		}
	}
	addr, err := rec.GetAddress()
	if err != nil {
		return "", nil, nil, err
	}
	hotkey := addr.String()
	payload := types.RegistrationAuthorization(clientCtx.ChainID, netuid, coldkey, hotkey)
	sig, pk, err := clientCtx.Keyring.Sign(rec.Name, payload, signing.SignMode_SIGN_MODE_DIRECT)
	if err != nil {
		return "", nil, nil, fmt.Errorf("signing the registration with hotkey %s: %w", rec.Name, err)
	}
	return hotkey, pk.Bytes(), sig, nil
}

// NewRegisterNeuronCmd registers a hotkey on a subnet, paid by the coldkey.
func NewRegisterNeuronCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "register-neuron [netuid] --hotkey HOTKEY --max-cost AMOUNT --from COLDKEY",
		Short: "Register a hotkey on a subnet; the coldkey pays (burns) the registration cost",
		Long: `Register HOTKEY (a keyring key name or address) on the subnet. The hotkey signs
an authorisation for this coldkey, netuid and chain, so both keys must be in the
keyring. The tx fails if the cost ('assayd q subnet registration-cost NETUID')
is above --max-cost.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			netuid, err := parseNetuid(args[0])
			if err != nil {
				return err
			}
			hotkeyName, _ := cmd.Flags().GetString(flagHotkey)
			if hotkeyName == "" {
				return fmt.Errorf("--%s is required", flagHotkey)
			}
			maxCostStr, _ := cmd.Flags().GetString(flagMaxCost)
			if maxCostStr == "" {
				return fmt.Errorf("--%s is required (see 'assayd q subnet registration-cost %d')", flagMaxCost, netuid)
			}
			maxCost, err := ParseAmount(flagMaxCost, maxCostStr)
			if err != nil {
				return err
			}
			coldkey := clientCtx.GetFromAddress().String()
			hotkey, pk, sig, err := SignRegistration(clientCtx, hotkeyName, uint16(netuid), coldkey)
			if err != nil {
				return err
			}
			msg := &types.MsgRegisterNeuron{
				Coldkey: coldkey, Netuid: netuid, Hotkey: hotkey,
				HotkeyPubkey: pk, HotkeySignature: sig, MaxCost: maxCost,
			}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().String(flagHotkey, "", "hotkey: keyring key name or address (required)")
	cmd.Flags().String(flagMaxCost, "", "the most you accept to burn, in uassay (required)")
	addTxFlags(cmd)
	return cmd
}
