package model

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/assay-network/assay/dataset"
)

func TestSaveLoadHashStable(t *testing.T) {
	dir := t.TempDir()
	m1 := tinyModel(t, 7)
	h1, err := m1.Save(filepath.Join(dir, "a.amdl"))
	if err != nil {
		t.Fatal(err)
	}
	// Training is deterministic given the seed: a second run, same bytes.
	m2 := tinyModel(t, 7)
	h2, err := m2.Save(filepath.Join(dir, "b.amdl"))
	if err != nil {
		t.Fatal(err)
	}
	if h1 != h2 {
		t.Fatalf("same seed, different hashes %s / %s", h1, h2)
	}
	if h3, _ := tinyModel(t, 8).Hash(); h3 == h1 {
		t.Fatal("different seeds, same hash")
	}

	loaded, hl, err := Load(filepath.Join(dir, "a.amdl"))
	if err != nil {
		t.Fatal(err)
	}
	if hl != h1 {
		t.Fatalf("loaded hash %s, saved %s", hl, h1)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "a.amdl"))
	if HashBytes(raw) != h1 {
		t.Fatal("hash is not the SHA-256 of the file bytes")
	}
	// Re-encoding a loaded model gives the file back byte for byte.
	b, err := loaded.Bytes()
	if err != nil || !bytes.Equal(b, raw) {
		t.Fatalf("re-encoded model differs from the file (err %v)", err)
	}
	for i := range m1.Weights {
		if !slices.Equal(m1.Weights[i].Data().([]float64), loaded.Weights[i].Data().([]float64)) {
			t.Fatalf("tensor %s changed across save/load", ParamName(i))
		}
	}
	if _, _, err := LoadFor(filepath.Join(dir, "a.amdl"), dataset.TaskTabular, m1.Header.TaskHash); err != nil {
		t.Fatal(err)
	}
}

func TestLoadRefusesBadFiles(t *testing.T) {
	good, err := tinyModel(t, 1).Bytes()
	if err != nil {
		t.Fatal(err)
	}
	// Every truncation is refused, whatever field it cuts.
	for n := 0; n < len(good); n++ {
		if _, err := Decode(good[:n]); !errors.Is(err, ErrFormat) {
			t.Fatalf("truncated to %d of %d bytes: error %v, want ErrFormat", n, len(good), err)
		}
	}
	mutate := func(f func([]byte) []byte) []byte { return f(bytes.Clone(good)) }
	cases := []struct {
		name string
		in   []byte
		want string
	}{
		{"other version", mutate(func(b []byte) []byte { b[8] = 3; return b }), "format version 3, this build reads version 2"},
		{"version 1", mutate(func(b []byte) []byte { b[8] = 1; return b }), "format version 1 predates task hashes (DESIGN §11), this build reads version 2; retrain the model"},
		{"trailing bytes", append(bytes.Clone(good), 0), "1 unexpected bytes after the last tensor"},
		{"magic", mutate(func(b []byte) []byte { b[0] = 'X'; return b }), "not an Assay model file"},
		{"header json", mutate(func(b []byte) []byte { b[14] = '!'; return b }), "header:"},
		{"truncated tensor", good[:len(good)-3], "truncated in tensor b1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(c.in)
			if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want ErrFormat containing %q", err, c.want)
			}
		})
	}

	// A valid file for another task is refused by LoadFor, naming both
	// task hashes.
	p := filepath.Join(t.TempDir(), "m.amdl")
	if err := os.WriteFile(p, good, 0o644); err != nil {
		t.Fatal(err)
	}
	own := tinyModel(t, 1).Header.TaskHash
	other := strings.Repeat("ab", 32)
	_, _, err = LoadFor(p, dataset.TaskTabular, other)
	if err == nil || !strings.Contains(err.Error(), "trained for task "+own) || !strings.Contains(err.Error(), "want task "+other) {
		t.Fatalf("other task hash: %v", err)
	}
	_, _, err = LoadFor(p, dataset.TaskImage, own)
	if err == nil || !strings.Contains(err.Error(), "(image-classification)") {
		t.Fatalf("other task type: %v", err)
	}
}

func TestHeaderValidate(t *testing.T) {
	m := tinyModel(t, 1)
	h := m.Header
	h.Architecture.Inputs++
	if err := h.Validate(); err == nil || !strings.Contains(err.Error(), "encoder width") {
		t.Fatalf("mismatched inputs: %v", err)
	}
	h = m.Header
	h.TaskHash = "german-credit"
	if err := h.Validate(); err == nil || !strings.Contains(err.Error(), `task_hash "german-credit"`) {
		t.Fatalf("task hash not a hash: %v", err)
	}
	h = m.Header
	h.Architecture.Kind = "transformer"
	if err := h.Validate(); err == nil {
		t.Fatal("unknown architecture accepted")
	}
	if _, err := New(m.Header, m.Weights[:1]); err == nil {
		t.Fatal("missing tensors accepted")
	}
}

// FuzzDecode feeds arbitrary bytes to the model file decoder: a miner or
// validator may be handed any file, and must get an error, never a panic
// or an unbounded allocation.
func FuzzDecode(f *testing.F) {
	good, err := tinyModel(f, 1).Bytes()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:40])
	f.Add([]byte(Magic + "\x01\x00\x02\x00\x00\x00{}"))
	f.Fuzz(func(t *testing.T, in []byte) {
		m, err := Decode(in)
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error %v does not wrap ErrFormat", err)
			}
			return
		}
		// Whatever decodes must re-encode to the same bytes.
		out, err := m.Bytes()
		if err != nil || !bytes.Equal(out, in) {
			t.Fatalf("decoded model re-encodes differently (err %v)", err)
		}
	})
}
