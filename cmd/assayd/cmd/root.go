// Package cmd builds the assayd command tree.
package cmd

import (
	"os"

	"cosmossdk.io/log/v2"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/config"
	nodeservice "github.com/cosmos/cosmos-sdk/client/grpc/node"
	"github.com/cosmos/cosmos-sdk/server"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/spf13/cobra"

	"github.com/assay-network/assay/app"
	subnetcli "github.com/assay-network/assay/x/subnet/client/cli"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// NewRootCmd builds `assayd`: node commands, keys, genesis, tx and query
// (autocli plus hand-written x/subnet commands), and the offline tools.
func NewRootCmd() *cobra.Command {
	// A throwaway app instance gives the codecs and autocli the module list.
	tempApp := app.New(log.NewNopLogger(), dbm.NewMemDB(), nil, true, simtestutil.NewAppOptionsWithFlagHome(app.DefaultNodeHome))

	initClientCtx := client.Context{}.
		WithCodec(tempApp.AppCodec()).
		WithInterfaceRegistry(tempApp.InterfaceRegistry()).
		WithTxConfig(tempApp.TxConfig()).
		WithLegacyAmino(tempApp.LegacyAmino()).
		WithInput(os.Stdin).
		WithAccountRetriever(authtypes.AccountRetriever{}).
		WithHomeDir(app.DefaultNodeHome).
		WithViper("ASSAY")

	rootCmd := &cobra.Command{
		Use:           "assayd",
		Short:         "Assay: a network where validators pay machine-learning models for quality and fairness",
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			cmd.SetOut(cmd.OutOrStdout())
			cmd.SetErr(cmd.ErrOrStderr())
			clientCtx := initClientCtx.WithCmdContext(cmd.Context())
			clientCtx, err := client.ReadPersistentCommandFlags(clientCtx, cmd.Flags())
			if err != nil {
				return err
			}
			clientCtx, err = config.ReadFromClientConfig(clientCtx)
			if err != nil {
				return err
			}
			if err := client.SetCmdClientContextHandler(clientCtx, cmd); err != nil {
				return err
			}
			appTemplate, appConfig := initAppConfig()
			return server.InterceptConfigsPreRunHandler(cmd, appTemplate, appConfig, initCometBFTConfig())
		},
	}

	initRootCmd(rootCmd, tempApp)

	autoCliOpts := tempApp.AutoCliOpts()
	autoCliOpts.ClientCtx = initClientCtx
	nodeCmds := nodeservice.NewNodeCommands()
	autoCliOpts.ModuleOptions[nodeCmds.Name()] = nodeCmds.AutoCLIOptions()
	if err := autoCliOpts.EnhanceRootCommand(rootCmd); err != nil {
		panic(err)
	}
	if sub, _, err := rootCmd.Find([]string{"tx", subnettypes.ModuleName}); err == nil && sub.Name() == subnettypes.ModuleName {
		subnetcli.DefaultGasAuto(sub) // autocli's serve-axon and dissolve-subnet too
	}
	readableText(rootCmd) // before acceptKeyNames, so the views see resolved addresses
	acceptKeyNames(rootCmd)
	checkTxCodes(rootCmd)
	quietErrors(rootCmd)
	return rootCmd
}
