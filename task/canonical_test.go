package task

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// toySpec is a valid spec written out of canonical order, with decimals
// that normalise ("0.250", "25.0", "1.0"), defaults left out and unsorted
// lists: every canonicalisation step has something to do.
const toySpec = `{"max_latency_ms": 500, "name": "toy", "task_type": "tabular-classification",
 "dataset": {"format": "csv", "files": [{"role": "data",
   "sha256": "abababababababababababababababababababababababababababababababab",
   "size_bytes": 42, "urls": ["file:///srv/toy.csv"]}]},
 "label": {"column": "y"}, "ignore": ["id", "b"],
 "split": {"seed": 0, "validation_fraction": "0.250"},
 "metric": "macro_f1",
 "fairness": {"protected": {"column": "age",
     "groups": {"young": {"max": "25.0"}, "old": {"min": "25"}},
     "counterfactual": {"young": "40", "old": "20.50"}},
   "bias_metric": "counterfactual_flip", "bias_weight": "1.0"},
 "reward": {"baseline": "chance", "temperature": "0.10"}}`

// TestCanonicalVector pins the canonical bytes and the task hash of
// toySpec. The bytes were written by hand from the package doc's rules and
// agree with Python's json.dumps(obj, sort_keys=True,
// separators=(',', ':'), ensure_ascii=False) of the same object; the hash
// is `printf '%s' "$want" | sha256sum`.
func TestCanonicalVector(t *testing.T) {
	const want = `{"dataset":{"csv":{"delimiter":",","header":true},"files":[{"role":"data","sha256":"abababababababababababababababababababababababababababababababab","size_bytes":42,"urls":["file:///srv/toy.csv"]}],"format":"csv"},"fairness":{"bias_metric":"counterfactual_flip","bias_weight":"1","protected":{"column":"age","counterfactual":{"old":"20.5","young":"40"},"groups":{"old":{"min":"25"},"young":{"max":"25"}}}},"ignore":["b","id"],"label":{"column":"y"},"max_latency_ms":500,"metric":"macro_f1","name":"toy","reward":{"baseline":"chance","copy_epsilon":"0.01","temperature":"0.1"},"split":{"seed":0,"validation_fraction":"0.25"},"task_type":"tabular-classification"}`
	const wantHash = "098472a1f4661b5a49a15ebf2041828714bcfc2a36bf8b0b7a6908295bd065c3"
	s, err := Parse([]byte(toySpec))
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("canonical\n got %s\nwant %s", got, want)
	}
	if h, _ := s.Hash(); h != wantHash {
		t.Fatalf("hash %s, want %s", h, wantHash)
	}
}

// TestCanonicalRoundTrip: for every built-in, Parse(Canonical) is the same
// spec, Canonical is a fixed point, and whitespace or member order in the
// file does not move the hash.
func TestCanonicalRoundTrip(t *testing.T) {
	paths, _ := filepath.Glob("../scripts/tasks/*.json")
	if len(paths) != 3 {
		t.Fatalf("%d built-in task files, want 3", len(paths))
	}
	for _, p := range append(paths, "") {
		raw := []byte(toySpec)
		if p != "" {
			var err error
			if raw, err = os.ReadFile(p); err != nil {
				t.Fatal(err)
			}
		}
		s, err := Parse(raw)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		c1, err := s.Canonical()
		if err != nil {
			t.Fatal(err)
		}
		s2, err := Parse(c1)
		if err != nil {
			t.Fatalf("%s: canonical form does not parse: %v\n%s", p, err, c1)
		}
		c2, _ := s2.Canonical()
		if !bytes.Equal(c1, c2) {
			t.Fatalf("%s: canonical form is not a fixed point:\n%s\n%s", p, c1, c2)
		}
		h1, _ := s.Hash()
		h2, _ := s2.Hash()
		if h1 != h2 || len(h1) != 64 {
			t.Fatalf("%s: hash %s then %s", p, h1, h2)
		}
	}
}

func TestCanonicalIgnoresOrderOfUnorderedLists(t *testing.T) {
	a, _ := Parse([]byte(toySpec))
	b, _ := Parse([]byte(toySpec))
	b.Ignore = []string{"b", "id"}
	ha, _ := a.Hash()
	hb, _ := b.Hash()
	if ha != hb {
		t.Fatal("reordering ignore changed the hash")
	}
	b.Ignore = []string{"b", "id2"}
	if hb, _ = b.Hash(); ha == hb {
		t.Fatal("changing ignore kept the hash")
	}
}

func TestCanonicalEscapesAndSortsAsRFC8785(t *testing.T) {
	var b []byte
	jString("a\"\\\b\f\n\r\t\x01\u2028é").write(&b)
	if want := `"a\"\\\b\f\n\r\t\u0001` + "\u2028é\""; string(b) != want {
		t.Fatalf("escaped %s, want %s", b, want)
	}
	// U+FF61 sorts after U+1F600 in UTF-8 byte order but before it in
	// UTF-16 code units (0xD83D), which RFC 8785 uses.
	var o jObject
	o.str("\uff61", "x")
	o.str("\U0001F600", "y")
	b = b[:0]
	o.write(&b)
	if want := "{\"\U0001F600\":\"y\",\"\uff61\":\"x\"}"; string(b) != want {
		t.Fatalf("member order %s, want %s", b, want)
	}
}

func TestMarshalJSONIsCanonical(t *testing.T) {
	s, _ := Parse([]byte(toySpec))
	m, err := s.MarshalJSON()
	c, _ := s.Canonical()
	if err != nil || !bytes.Equal(m, c) {
		t.Fatalf("MarshalJSON %s, %v", m, err)
	}
	var back Spec
	if err := back.UnmarshalJSON(m); err != nil {
		t.Fatal(err)
	}
	if h1, _ := back.Hash(); h1 == "" {
		t.Fatal("no hash after UnmarshalJSON")
	}
	if _, err := (Spec{}).MarshalJSON(); err == nil {
		t.Fatal("an invalid spec marshalled")
	}
}
