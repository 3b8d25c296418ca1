package gateway

import (
	"os"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/assay-network/assay/validator/state"
)

// Skipper says which miners not to route to: the UIDs the validator
// currently scores 0 for a §12 verdict on the model itself.
type Skipper interface {
	// Skip returns the reason uid (held by hotkey) is skipped, "" if it is not.
	Skip(netuid uint16, uid uint32, hotkey string) string
}

// culled reports whether a validator state reason is a DESIGN §12 verdict
// on the model (trivial, mismatch, unverifiable, copy of uid N). A
// transient failure (timeout, unreachable, error, ...) is not: the
// gateway's own retry and hedging deal with a miner that is down now, and
// the validator's last round says little about this request.
func culled(reason string) bool {
	switch {
	case reason == "trivial", reason == "mismatch", reason == "unverifiable", strings.HasPrefix(reason, "copy"):
		return true
	}
	return false
}

// StateFiles is a Skipper over validator state files (validator/state),
// one per subnet, re-read when a file's modification time or size changes.
// A file that cannot be read or decoded keeps the last good reading (and
// skips nobody before the first): routing never stops on it.
type StateFiles struct {
	Paths   []string
	MinWait time.Duration  // between stat calls of one file (default 1s)
	Log     zerolog.Logger // a file that fails to read is logged once per change

	mu    sync.Mutex
	files map[string]*stateFile
	now   func() time.Time
}

type stateFile struct {
	checked time.Time
	mod     time.Time
	size    int64
	netuid  uint16
	skip    map[uint32]skipEntry
	err     error
}

type skipEntry struct{ hotkey, reason string }

// Skip implements Skipper.
func (s *StateFiles) Skip(netuid uint16, uid uint32, hotkey string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.files == nil {
		s.files = make(map[string]*stateFile, len(s.Paths))
	}
	if s.now == nil {
		s.now = time.Now
	}
	for _, p := range s.Paths {
		f := s.refresh(p)
		if f.netuid != netuid || f.skip == nil {
			continue
		}
		// A re-registered UID is a new neuron: the verdict was on the old one.
		if e, ok := f.skip[uid]; ok && e.hotkey == hotkey {
			return e.reason
		}
	}
	return ""
}

// Err is the last read error of path (nil: read fine, or not read yet).
func (s *StateFiles) Err(path string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.files[path]; f != nil {
		return f.err
	}
	return nil
}

// refresh re-reads p when it changed. Caller holds mu.
func (s *StateFiles) refresh(p string) *stateFile {
	f := s.files[p]
	if f == nil {
		f = &stateFile{}
		s.files[p] = f
	}
	wait := s.MinWait
	if wait <= 0 {
		wait = time.Second
	}
	now := s.now()
	if !f.checked.IsZero() && now.Sub(f.checked) < wait {
		return f
	}
	f.checked = now
	fi, err := os.Stat(p)
	if err != nil {
		f.err = err
		return f
	}
	if f.skip != nil && fi.ModTime().Equal(f.mod) && fi.Size() == f.size {
		return f
	}
	b, err := os.ReadFile(p)
	if err != nil {
		f.err = err
		return f
	}
	st, err := state.Decode(b)
	if err != nil {
		if f.err == nil || !fi.ModTime().Equal(f.mod) {
			s.Log.Warn().Err(err).Str("validator_state", p).Msg("validator state unreadable; keeping the last reading")
		}
		f.err, f.mod = err, fi.ModTime()
		return f
	}
	skip := make(map[uint32]skipEntry)
	for _, sc := range st.Scores {
		if culled(sc.Reason) { // the last round's verdict, whatever the EMA still holds
			skip[sc.UID] = skipEntry{hotkey: sc.Hotkey, reason: sc.Reason}
		}
	}
	f.mod, f.size, f.netuid, f.skip, f.err = fi.ModTime(), fi.Size(), st.Netuid, skip, nil
	return f
}
