// Package params holds the chain's address prefix and default home in a
// package with no dependencies beyond the standard library, so off-chain
// code (client, the daemons) follows the app's rules without linking it.
package params

// Bech32Prefix is the account address prefix (DESIGN §2); validator and
// consensus prefixes derive from it with the SDK's suffixes.
const Bech32Prefix = "assay"
