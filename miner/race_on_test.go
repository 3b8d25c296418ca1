//go:build race

package miner

// raceEnabled: the race detector's shadow memory roughly doubles a
// process's RSS, so memory bounds are not checked under it.
const raceEnabled = true
