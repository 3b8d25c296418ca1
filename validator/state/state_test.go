package state

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/assay-network/assay/weightcommit"
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
	s.Pending = append(s.Pending, Commit{Record: weightcommit.Record{Hash: "ab", UIDs: []uint32{1, 5}, Weights: []uint32{10, 65535}, Salt: "00ff"}, Epoch: 4, Block: 44, RevealFrom: 51, RevealUntil: 61})
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

// TestLoadsFileWrittenBeforeWeightcommit: testdata/v1-before-weightcommit.json
// was written by the build before Commit embedded weightcommit.Record. It
// still loads with every field, and saving it again gives the same bytes, so
// old and new builds read each other's files.
func TestLoadsFileWrittenBeforeWeightcommit(t *testing.T) {
	const hotkey = "assay1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu"
	old, err := os.ReadFile("testdata/v1-before-weightcommit.json")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, old, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Load(path, 3, hotkey)
	if err != nil {
		t.Fatal(err)
	}
	want := []Commit{
		{Record: weightcommit.Record{Hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
			UIDs: []uint32{0, 2}, Weights: []uint32{65535, 1200}, Salt: "000102030405060708090a0b0c0d0e0f", VersionKey: 1},
			Epoch: 4, Block: 44, RevealFrom: 51, RevealUntil: 61},
		{Record: weightcommit.Record{Hash: "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752",
			UIDs: []uint32{0}, Weights: []uint32{65535}, Salt: "ffee"}, Epoch: 5},
	}
	if !reflect.DeepEqual(s.Pending, want) {
		t.Errorf("pending:\n got %+v\nwant %+v", s.Pending, want)
	}
	if s.Round != 12 || s.LastWeightsEpoch != 4 || s.Score(2).LastError != "deadline exceeded" || s.Score(0).Score != 0.625 {
		t.Errorf("state %+v", s)
	}
	if err := Save(path, s); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(path); string(again) != string(old) {
		t.Errorf("re-saved file differs from the old build's:\n%s", again)
	}
}
