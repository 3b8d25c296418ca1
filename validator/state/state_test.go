package state

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "state.json")
	s, err := Load(path, 3, "assay1v")
	if err != nil {
		t.Fatal(err)
	}
	if s.LastWeightsEpoch != -1 || len(s.Scores) != 0 {
		t.Fatalf("fresh state %+v", s)
	}
	s.Upsert(5).Score = 0.5
	s.Upsert(1).Score = 0.1
	s.Upsert(3).Bias = 0.3
	s.Pending = append(s.Pending, Commit{Hash: "ab", UIDs: []uint32{1, 5}, Weights: []uint32{10, 65535}, Salt: "00ff", Epoch: 4, Block: 44, RevealFrom: 51, RevealUntil: 61})
	s.Round, s.LastWeightsEpoch = 9, 4
	if err := Save(path, s); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path, 3, "assay1v")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, s) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, s)
	}
	if got.Scores[0].UID != 1 || got.Scores[2].UID != 5 || got.Score(3).Bias != 0.3 || got.Score(4) != nil {
		t.Fatalf("scores not kept in UID order: %+v", got.Scores)
	}
	// No temp files are left behind.
	ents, _ := os.ReadDir(filepath.Dir(path))
	if len(ents) != 1 {
		t.Errorf("directory holds %d entries, want only the state file", len(ents))
	}
	// Another validator's file is refused.
	if _, err := Load(path, 3, "assay1other"); err == nil || !strings.Contains(err.Error(), "belongs to") {
		t.Errorf("foreign state: %v", err)
	}
	// A clone is independent.
	c := s.Clone()
	c.Pending[0].UIDs[0] = 99
	c.Scores[0].Score = 9
	if s.Pending[0].UIDs[0] == 99 || s.Scores[0].Score == 9 {
		t.Error("Clone shares memory with the original")
	}
}

func TestCorruptRefused(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"torn":     `{"version":1,"netuid":3,`,
		"version":  `{"version":2,"netuid":3,"hotkey":"h"}`,
		"order":    `{"version":1,"netuid":3,"hotkey":"h","scores":[{"uid":2},{"uid":1}]}`,
		"noreveal": `{"version":1,"netuid":3,"hotkey":"h","pending":[{"hash":"ab","uids":[1],"weights":[],"salt":"00"}]}`,
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(p, 3, "h"); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}

// TestSaveReplaces: a save over an existing file replaces it whole.
func TestSaveReplaces(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.json")
	a := New(1, "h")
	a.Round = 1
	b := New(1, "h")
	b.Round = 2
	for _, s := range []*State{a, b} {
		if err := Save(path, s); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Load(path, 1, "h")
	if err != nil || got.Round != 2 {
		t.Fatalf("got %+v, %v", got, err)
	}
}
