package cmd

import (
	"regexp"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/spf13/cobra"

	emissiontypes "github.com/assay-network/assay/x/emission/types"
	subnetcli "github.com/assay-network/assay/x/subnet/client/cli"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

var positionalArg = regexp.MustCompile(`\[([a-z_-]+)\]`)

// acceptKeyNames makes every query of x/subnet and x/emission whose Use
// names an address argument ([hotkey], [coldkey], [owner], [address]) take a
// keyring key name there too. autocli builds those commands from protos whose
// fields carry no address annotation, so it passes the text through and the
// chain answers "decoding bech32 failed"; here the argument is resolved by
// subnetcli.ResolveAddress before autocli sees it.
func acceptKeyNames(root *cobra.Command) {
	for _, module := range []string{subnettypes.ModuleName, emissiontypes.ModuleName} {
		sub, _, err := root.Find([]string{"query", module})
		if err != nil || sub.Name() != module {
			continue
		}
		for _, c := range sub.Commands() {
			wrapAddressArgs(c)
		}
	}
}

// addressArg is a positional argument that takes an address.
type addressArg struct {
	index int
	name  string
}

// addressArgs lists Use's bracketed arguments that take an address, in order.
func addressArgs(use string) []addressArg {
	var out []addressArg
	for i, m := range positionalArg.FindAllStringSubmatch(use, -1) {
		if subnetcli.AddressArgNames[m[1]] {
			out = append(out, addressArg{i, m[1]})
		}
	}
	return out
}

func wrapAddressArgs(c *cobra.Command) {
	positions := addressArgs(c.Use)
	if len(positions) == 0 || c.RunE == nil || c.Annotations[subnetcli.KeyNamesResolvedAnnotation] != "" {
		return
	}
	subnetcli.AddKeyNameFlags(c)
	run := c.RunE
	c.RunE = func(cmd *cobra.Command, args []string) error {
		clientCtx, err := client.GetClientQueryContext(cmd)
		if err != nil {
			return err
		}
		resolved := append([]string(nil), args...)
		for _, a := range positions {
			if a.index >= len(resolved) {
				continue
			}
			if resolved[a.index], err = subnetcli.ResolveAddress(clientCtx, a.name, resolved[a.index]); err != nil {
				return err
			}
		}
		return run(cmd, resolved)
	}
}
