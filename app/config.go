package app

import (
	"sync"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/app/params"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

const (
	// AppName is the application name in logs and the node home default.
	AppName = "assay"
	// Bech32Prefix is the account address prefix (DESIGN §2).
	Bech32Prefix = params.Bech32Prefix
	// BondDenom is the staking and fee token.
	BondDenom = subnettypes.Denom
)

var configOnce sync.Once

// SetAddressConfig sets the bech32 prefixes and the bond denom process-wide.
// The SDK keeps these in globals, so it must run before any address is parsed
// and must not run twice with other values.
func SetAddressConfig() {
	configOnce.Do(func() {
		cfg := sdk.GetConfig()
		cfg.SetBech32PrefixForAccount(Bech32Prefix, Bech32Prefix+sdk.PrefixPublic)
		cfg.SetBech32PrefixForValidator(Bech32Prefix+sdk.PrefixValidator+sdk.PrefixOperator, Bech32Prefix+sdk.PrefixValidator+sdk.PrefixOperator+sdk.PrefixPublic)
		cfg.SetBech32PrefixForConsensusNode(Bech32Prefix+sdk.PrefixValidator+sdk.PrefixConsensus, Bech32Prefix+sdk.PrefixValidator+sdk.PrefixConsensus+sdk.PrefixPublic)
		sdk.DefaultBondDenom = BondDenom
	})
}

func init() { SetAddressConfig() }
