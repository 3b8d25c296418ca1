// Package daemon is the start-up the off-chain daemons share (assay-miner,
// assay-validator, and the explorer and gateway to come), so each rule is
// written once: the logger (logger.go), the keyring (keyring.go), the chain
// dial with backoff (dial.go, backoff.go), and the HTTP listener for
// /metrics and /healthz (http.go, registry.go). The chain's app package
// never imports it.
package daemon
