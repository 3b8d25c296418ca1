//go:build race

package client

// raceEnabled: the race detector slows the pure-Go curve arithmetic ~40×,
// and the differential tests have no concurrency for it to check, so they
// run fewer cases under it.
const raceEnabled = true
