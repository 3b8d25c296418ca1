// Package gateway is assay-gateway (issue 20): a permissionless HTTP JSON
// API in front of a subnet's miners, run by a validator operator with the
// validator's hotkey. It takes rows in a task's raw feature format, routes
// them to the top-k miners by on-chain incentive (hedging and retrying,
// majority with k ≥ 3), and answers with the miners' signed responses as
// receipts the gateway countersigns, which `assay-gateway verify` checks.
// Access is by API key with per-key rate limits. See README.md.
package gateway
