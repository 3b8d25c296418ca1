package gateway

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/validator/state"
)

func TestStateFilesSkipCulledMinersAndReReadOnChange(t *testing.T) {
	p := filepath.Join(t.TempDir(), "state.json")
	now := time.Unix(1000, 0)
	s := &StateFiles{Paths: []string{p}, MinWait: time.Second, now: func() time.Time { return now }}
	require.Empty(t, s.Skip(1, 3, "h3"), "no file yet: nobody skipped")
	require.Error(t, s.Err(p))

	st := state.New(1, "val")
	st.Scores = []state.UIDScore{
		{UID: 1, Hotkey: "h1", Reason: "trivial"},
		{UID: 2, Hotkey: "h2", Reason: "timeout"},
		{UID: 3, Hotkey: "h3", Reason: "copy of uid 1"},
		{UID: 4, Hotkey: "h4", Reason: "mismatch"},
		{UID: 5, Hotkey: "h5", Reason: "unverifiable"},
		{UID: 6, Hotkey: "h6", Score: 0.4},
	}
	require.NoError(t, state.Save(p, st))
	require.Empty(t, s.Skip(1, 3, "h3"), "read at most once a MinWait")
	now = now.Add(time.Second)
	for uid, want := range map[uint32]string{1: "trivial", 2: "", 3: "copy of uid 1", 4: "mismatch", 5: "unverifiable", 6: ""} {
		require.Equal(t, want, s.Skip(1, uid, "h"+string(rune('0'+uid))), "uid %d", uid)
	}
	require.Empty(t, s.Skip(2, 1, "h1"), "another subnet's file")
	require.Empty(t, s.Skip(1, 1, "other"), "a re-registered UID is not the culled neuron")

	// The validator scores uid 1 again: the file changes and is re-read.
	st.Scores[0].Reason = ""
	st.Scores[0].Score = 0.3
	require.NoError(t, state.Save(p, st))
	future := now.Add(time.Minute)
	require.NoError(t, os.Chtimes(p, future, future))
	now = now.Add(2 * time.Second)
	require.Empty(t, s.Skip(1, 1, "h1"))

	// A broken file keeps the last good reading.
	require.NoError(t, os.WriteFile(p, []byte("{"), 0o600))
	now = now.Add(2 * time.Second)
	require.Equal(t, "copy of uid 1", s.Skip(1, 3, "h3"))
	require.Error(t, s.Err(p))
}
