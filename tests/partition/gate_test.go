// Package partition runs the four validators of `assayd testnet init` in
// Linux network namespaces it creates itself, splits and heals their
// network, and slows it down (issue 17, DESIGN §14): BFT safety (no fork
// while no side holds 2/3 of the power) and liveness (f < n/3 keeps going,
// a healed node catches up).
//
// These tests run from `make test-ops` (CI runs it after `make test`,
// which leaves this package out).
package partition
