// Package weightcommit is the off-chain record of a weight commit: what was
// hashed into MsgCommitWeights, kept with its salt until MsgRevealWeights
// discloses it. The validator's state file (validator/state) and the CLI's
// <home>/weights-commits files (x/subnet/client/cli) both store this one
// record; write them with internal/atomicfile, since a lost salt is a lost
// reveal.
package weightcommit

import "fmt"

// Record is what a reveal needs besides who sends it. The hash is
// x/subnet/types.WeightsCommitHash over (netuid, hotkey, UIDs, Weights,
// salt, VersionKey); UIDs keep the order they were hashed in.
type Record struct {
	Hash       string   `json:"hash"` // hex
	UIDs       []uint32 `json:"uids"`
	Weights    []uint32 `json:"weights"`
	Salt       string   `json:"salt"` // hex
	VersionKey uint64   `json:"version_key"`
}

// Check reports a record that cannot be revealed, naming the field.
func (r Record) Check() error {
	switch {
	case r.Hash == "":
		return fmt.Errorf("hash: empty")
	case r.Salt == "":
		return fmt.Errorf("salt: empty")
	case len(r.UIDs) != len(r.Weights):
		return fmt.Errorf("weights: %d entries for %d uids", len(r.Weights), len(r.UIDs))
	}
	return nil
}
