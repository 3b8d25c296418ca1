// Package state is the validator's persistent state: the per-UID moving
// averages and the weight commits not yet revealed (with their salts). It is
// written atomically (internal/atomicfile: a temp file in the same
// directory, fsync, rename, fsync of the directory), so a crash leaves
// either the old or the new file, never a torn one, and a restarted
// validator reveals what it committed.
package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"

	"github.com/assay-network/assay/internal/atomicfile"
	"github.com/assay-network/assay/weightcommit"
)

// Version is the file format version.
const Version = 1

// State is everything a validator must not forget across restarts.
type State struct {
	Version int    `json:"version"`
	Netuid  uint16 `json:"netuid"`
	Hotkey  string `json:"hotkey"`
	// Round counts query rounds; it also varies the challenge seed.
	Round uint64 `json:"round"`
	// Scores holds one entry per scored UID, in UID order.
	Scores []UIDScore `json:"scores"`
	// Pending holds commits not yet revealed, oldest first.
	Pending []Commit `json:"pending"`
	// LastWeightsEpoch is the epoch index (x/subnet README: E(h)) in which
	// weights were last committed or set; -1 before the first time.
	LastWeightsEpoch int64 `json:"last_weights_epoch"`
}

// UIDScore is the moving average of one UID. Hotkey and RegisteredAt tell a
// re-registered UID (a new neuron) from the one that was scored.
type UIDScore struct {
	UID          uint32  `json:"uid"`
	Hotkey       string  `json:"hotkey"`
	RegisteredAt int64   `json:"registered_at"`
	Score        float64 `json:"score"`   // EMA of the combined score
	Quality      float64 `json:"quality"` // EMA of the task metric
	Bias         float64 `json:"bias"`    // EMA of the task's bias metric
	Rounds       uint64  `json:"rounds"`  // observations folded in
	LastError    string  `json:"last_error,omitempty"`
	// Reason is why the UID's last round scored 0, one of DESIGN §12's
	// reasons ("trivial", "mismatch", "unverifiable", "copy of uid N",
	// "timeout", "error"); "" when it was scored normally.
	Reason string `json:"reason,omitempty"`
	// AnsweredEpoch and FailedEpoch are the epochs of the last round the
	// UID answered well and of the last it failed (scoring.Silent); 0 when
	// not known (files written before they were kept read as 0).
	AnsweredEpoch int64 `json:"answered_epoch,omitempty"`
	FailedEpoch   int64 `json:"failed_epoch,omitempty"`
	// MismatchEpoch is the epoch of the UID's last round whose answers
	// were not its published model's (reason mismatch); nil if none. Its
	// weight is 0 in the weights built in that epoch and the next.
	MismatchEpoch *int64 `json:"mismatch_epoch,omitempty"`
}

// Commit is a pending weight commit: the record a reveal needs and where
// the commit stands on chain. Block is 0 until the commit tx is in a block.
// The record's fields are inlined in the JSON, as they always were.
type Commit struct {
	weightcommit.Record
	Epoch       int64 `json:"epoch"`
	Block       int64 `json:"block"`
	RevealFrom  int64 `json:"reveal_from"`
	RevealUntil int64 `json:"reveal_until"`
}

// New is the state of a validator that has never run.
func New(netuid uint16, hotkey string) *State {
	return &State{Version: Version, Netuid: netuid, Hotkey: hotkey, LastWeightsEpoch: -1}
}

// Score returns the entry of uid, or nil.
func (s *State) Score(uid uint32) *UIDScore {
	i, ok := slices.BinarySearchFunc(s.Scores, uid, func(e UIDScore, u uint32) int { return int(e.UID) - int(u) })
	if !ok {
		return nil
	}
	return &s.Scores[i]
}

// Upsert returns the entry of uid, inserting a zero one (keeping UID order).
func (s *State) Upsert(uid uint32) *UIDScore {
	i, ok := slices.BinarySearchFunc(s.Scores, uid, func(e UIDScore, u uint32) int { return int(e.UID) - int(u) })
	if !ok {
		s.Scores = slices.Insert(s.Scores, i, UIDScore{UID: uid})
	}
	return &s.Scores[i]
}

// Clone is a deep copy (for saving outside a lock).
func (s *State) Clone() *State {
	c := *s
	c.Scores = slices.Clone(s.Scores)
	c.Pending = make([]Commit, len(s.Pending))
	for i, p := range s.Pending {
		p.UIDs, p.Weights = slices.Clone(p.UIDs), slices.Clone(p.Weights)
		c.Pending[i] = p
	}
	return &c
}

// Load reads path. A missing file is not an error: it returns New(netuid,
// hotkey). A file for another subnet or hotkey is refused (it would reveal
// another validator's commits); so is an unreadable one, rather than
// silently starting over and losing a pending commit.
func Load(path string, netuid uint16, hotkey string) (*State, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return New(netuid, hotkey), nil
	}
	if err != nil {
		return nil, err
	}
	s, err := Decode(b)
	if err != nil {
		return nil, fmt.Errorf("state %s: %w", path, err)
	}
	if s.Netuid != netuid || s.Hotkey != hotkey {
		return nil, fmt.Errorf("state %s belongs to netuid %d hotkey %s, not netuid %d hotkey %s (use another --state file)",
			path, s.Netuid, s.Hotkey, netuid, hotkey)
	}
	return s, nil
}

// Decode parses a state file and checks its invariants.
func Decode(b []byte) (*State, error) {
	var s State
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, err
	}
	if s.Version != Version {
		return nil, fmt.Errorf("format version %d, this build reads %d", s.Version, Version)
	}
	for i := 1; i < len(s.Scores); i++ {
		if s.Scores[i].UID <= s.Scores[i-1].UID {
			return nil, fmt.Errorf("scores not in strictly increasing UID order at entry %d", i)
		}
	}
	for i, p := range s.Pending {
		if err := p.Check(); err != nil {
			return nil, fmt.Errorf("pending commit %d is incomplete: %w", i, err)
		}
	}
	return &s, nil
}

// Save writes s to path atomically.
func Save(path string, s *State) error {
	b, err := json.MarshalIndent(s, "", " ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, append(b, '\n'))
}
