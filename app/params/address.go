// Package params holds the chain's address prefix in a package with no
// dependencies, so off-chain code (client, the daemons) uses the app's
// prefix without linking the app.
package params

// Bech32Prefix is the account address prefix (DESIGN §2); validator and
// consensus prefixes derive from it with the SDK's suffixes.
const Bech32Prefix = "assay"
