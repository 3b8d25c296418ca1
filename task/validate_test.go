package task

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// edit applies f to the decoded toy spec (or to nominalSpec/imageSpec) and
// re-encodes it: each rejection case below changes one thing.
func edit(t *testing.T, base string, f func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(base), &m); err != nil {
		t.Fatal(err)
	}
	f(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func obj(m map[string]any, path ...string) map[string]any {
	for _, p := range path {
		m = m[p].(map[string]any)
	}
	return m
}

func file0(m map[string]any) map[string]any {
	return obj(m, "dataset")["files"].([]any)[0].(map[string]any)
}

// nominalSpec has a nominal protected column and a positive class.
const nominalSpec = `{"name": "nom", "task_type": "tabular-classification",
 "dataset": {"format": "arff", "files": [{"role": "data",
   "sha256": "0000000000000000000000000000000000000000000000000000000000000001",
   "size_bytes": 7, "urls": ["https://example.org/d.arff"]}]},
 "label": {"column": "class", "positive": "good"},
 "split": {"seed": 7, "validation_fraction": "0.3"},
 "metric": "accuracy",
 "fairness": {"protected": {"column": "sex",
     "groups": {"f": ["female", "woman"], "m": ["male"]},
     "counterfactual": {"female": "male", "woman": "male", "male": "female"}},
   "bias_metric": "demographic_parity", "bias_weight": "0.5"},
 "reward": {"baseline": "majority", "temperature": "0.05", "copy_epsilon": "0.02"},
 "max_latency_ms": 2000}`

const imageSpec = `{"name": "img", "task_type": "image-classification",
 "dataset": {"format": "idx", "files": [
  {"role": "train_images", "sha256": "1111111111111111111111111111111111111111111111111111111111111111", "size_bytes": 1, "urls": ["file:///d/a"]},
  {"role": "train_labels", "sha256": "2222222222222222222222222222222222222222222222222222222222222222", "size_bytes": 1, "urls": ["file:///d/b"]},
  {"role": "test_images", "sha256": "3333333333333333333333333333333333333333333333333333333333333333", "size_bytes": 1, "urls": ["file:///d/c"]},
  {"role": "test_labels", "sha256": "4444444444444444444444444444444444444444444444444444444444444444", "size_bytes": 1, "urls": ["file://localhost/d/d"]}]},
 "metric": "accuracy", "reward": {"baseline": "chance", "temperature": "1"}, "max_latency_ms": 1}`

func TestParseValidBases(t *testing.T) {
	for _, b := range []string{toySpec, nominalSpec, imageSpec} {
		if _, err := Parse([]byte(b)); err != nil {
			t.Fatal(err)
		}
	}
}

type rejectCase struct {
	name string
	in   []byte
	want string // the error contains this (the field path and what is wrong)
}

func checkRejects(t *testing.T, cases []rejectCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.in)
			if err == nil {
				t.Fatalf("accepted: %s", c.in)
			}
			msg := err.Error()
			if !strings.Contains(msg, c.want) {
				t.Fatalf("error %q, want it to contain %q", msg, c.want)
			}
			if !errors.Is(err, ErrInvalid) || strings.Contains(msg, "\n") || strings.Contains(msg, "Go value") || !strings.HasPrefix(msg, "task: ") {
				t.Fatalf("error %q is not one ErrInvalid line in our words", msg)
			}
		})
	}
}

func TestParseRejectsBadJSON(t *testing.T) {
	deep := `{"ignore": ` + strings.Repeat("[", 20) + strings.Repeat("]", 20) + `}`
	checkRejects(t, []rejectCase{
		{"truncated", []byte(`{"name": "a"`), "the file ends inside a value"},
		{"syntax", []byte("{\n  \"name\": x}"), "invalid JSON at line 2, column 11"},
		{"trailing", []byte(`{} {}`), "more data after the task object"},
		{"not utf-8", []byte("{\"name\": \"\xff\"}"), "not valid UTF-8"},
		{"too big", []byte(`{"name": "` + strings.Repeat("a", MaxSpecBytes) + `"}`), "at most 65536 allowed"},
		{"duplicate member", []byte(`{"name": "a", "name": "b"}`), `member "name" appears twice`},
		{"too deep", []byte(deep), "nested deeper than 10 levels"},
		{"not an object", []byte(`[1]`), "want an object, got a list"},
		{"unknown field", edit(t, toySpec, func(m map[string]any) { m["nmae"] = "x" }), "nmae: unknown field; allowed here: name, task_type"},
		{"unknown nested", edit(t, toySpec, func(m map[string]any) { file0(m)["hash"] = "x" }), "dataset.files[0].hash: unknown field"},
		{"negative size", edit(t, toySpec, func(m map[string]any) { file0(m)["size_bytes"] = -5 }), "dataset.files[0].size_bytes: -5 is not a whole number in [0, 4294967296]"},
		{"fractional size", edit(t, toySpec, func(m map[string]any) { file0(m)["size_bytes"] = 1.5 }), "size_bytes: 1.5 is not a whole number"},
		{"size as string", edit(t, toySpec, func(m map[string]any) { file0(m)["size_bytes"] = "5" }), `size_bytes: want a whole number in [0, 4294967296], got string "5"`},
		{"null name", edit(t, toySpec, func(m map[string]any) { m["name"] = nil }), "name: want a string, got null"},
		{"number decimal", edit(t, toySpec, func(m map[string]any) { obj(m, "fairness")["bias_weight"] = 0.5 }), `fairness.bias_weight: got number 0.5; write decimals as strings, e.g. "0.5"`},
		{"header not bool", edit(t, toySpec, func(m map[string]any) { obj(m, "dataset")["csv"] = map[string]any{"header": "yes"} }), `dataset.csv.header: want true or false, got string "yes"`},
		{"files not a list", edit(t, toySpec, func(m map[string]any) { obj(m, "dataset")["files"] = "x" }), "dataset.files: want a list of files"},
		{"ignore not strings", edit(t, toySpec, func(m map[string]any) { m["ignore"] = []any{1} }), "ignore[0]: want a string, got number 1"},
		{"groups not object", edit(t, toySpec, func(m map[string]any) { obj(m, "fairness", "protected")["groups"] = []any{} }), "fairness.protected.groups: want an object of groups"},
		{"group a string", edit(t, toySpec, func(m map[string]any) { obj(m, "fairness", "protected", "groups")["young"] = "x" }), `fairness.protected.groups["young"]: want a list of values or a range`},
		{"range unknown bound", edit(t, toySpec, func(m map[string]any) {
			obj(m, "fairness", "protected", "groups")["young"] = map[string]any{"below": "3"}
		}), `groups["young"].below: unknown field; allowed here: min, max`},
		{"seed missing", edit(t, toySpec, func(m map[string]any) { delete(obj(m, "split"), "seed") }), "split.seed: missing"},
		{"seed too big", edit(t, toySpec, func(m map[string]any) { obj(m, "split")["seed"] = json.Number("9007199254740992") }), "split.seed: 9007199254740992 is not a whole number in [0, 9007199254740991]"},
		{"dataset missing", edit(t, toySpec, func(m map[string]any) { delete(m, "dataset") }), "dataset: missing"},
		{"reward missing", edit(t, toySpec, func(m map[string]any) { delete(m, "reward") }), "reward: missing"},
		{"protected missing", edit(t, toySpec, func(m map[string]any) { delete(obj(m, "fairness"), "protected") }), "fairness.protected: missing"},
		{"latency too big", edit(t, toySpec, func(m map[string]any) { m["max_latency_ms"] = 60001 }), "max_latency_ms: 60001 is not a whole number in [0, 60000]"},
	})
}

func TestValidateRejectsDatasetShape(t *testing.T) {
	setFile := func(k string, v any) []byte {
		return edit(t, toySpec, func(m map[string]any) { file0(m)[k] = v })
	}
	url := func(u string) []byte { return setFile("urls", []any{u}) }
	nineURLs := make([]any, 9)
	for i := range nineURLs {
		nineURLs[i] = fmt.Sprintf("https://m%d.example/x", i)
	}
	checkRejects(t, []rejectCase{
		{"name missing", edit(t, toySpec, func(m map[string]any) { delete(m, "name") }), "name: missing"},
		{"name chars", edit(t, toySpec, func(m map[string]any) { m["name"] = "my task" }), `name: "my task" has ' '`},
		{"name long", edit(t, toySpec, func(m map[string]any) { m["name"] = strings.Repeat("a", 65) }), "is 65 bytes, at most 64 allowed"},
		{"task type", edit(t, toySpec, func(m map[string]any) { m["task_type"] = "regression" }), `task_type: unknown value "regression"; allowed: tabular-classification, image-classification`},
		{"format", edit(t, toySpec, func(m map[string]any) { obj(m, "dataset")["format"] = "parquet" }), `dataset.format: unknown value "parquet"; allowed: arff, csv`},
		{"format for type", edit(t, toySpec, func(m map[string]any) { obj(m, "dataset")["format"] = "idx" }), `dataset.format: "idx" does not go with task_type tabular-classification; allowed: arff, csv`},
		{"no files", edit(t, toySpec, func(m map[string]any) { obj(m, "dataset")["files"] = []any{} }), "dataset.files: 0 files; format csv takes 1, with roles data"},
		{"role", setFile("role", "train"), `dataset.files[0].role: unknown value "train"; allowed: data`},
		{"hash short", setFile("sha256", "abc"), `dataset.files[0].sha256: "abc" is not 64 lowercase hex digits`},
		{"hash upper", setFile("sha256", strings.Repeat("AB", 32)), "is not 64 lowercase hex digits"},
		{"hash non-hex", setFile("sha256", strings.Repeat("g", 64)), "is not 64 lowercase hex digits"},
		{"size zero", setFile("size_bytes", 0), "dataset.files[0].size_bytes: 0 is not in [1, 4294967296]"},
		{"no urls", setFile("urls", []any{}), "dataset.files[0].urls: 0 URLs; want 1 to 8 mirrors"},
		{"urls missing", edit(t, toySpec, func(m map[string]any) { delete(file0(m), "urls") }), "dataset.files[0].urls: 0 URLs"},
		{"too many urls", setFile("urls", nineURLs), "9 URLs; want 1 to 8"},
		{"ftp", url("ftp://h/x"), `dataset.files[0].urls[0]: "ftp://h/x": scheme "ftp" not allowed; allowed: http, https, file`},
		{"no scheme", url("/srv/x.csv"), `scheme "" not allowed`},
		{"http no host", url("http:///x"), `"http:///x" has no host`},
		{"file relative", url("file:x.csv"), "a file URL is file:///absolute/path"},
		{"file remote host", url("file://host/x.csv"), "a file URL is file:///absolute/path"},
		{"credentials", url("https://u:p@h/x"), "carries credentials"},
		{"space", url("https://h/a b"), "contains white space"},
		{"long url", url("https://h/" + strings.Repeat("a", 2048)), "at most 2048 allowed"},
		{"csv with arff", edit(t, nominalSpec, func(m map[string]any) { obj(m, "dataset")["csv"] = map[string]any{"header": true} }), "dataset.csv: set for format arff; csv options go with format csv only"},
		{"delimiter two chars", edit(t, toySpec, func(m map[string]any) { obj(m, "dataset")["csv"] = map[string]any{"delimiter": ";;"} }), `dataset.csv.delimiter: ";;" is not allowed`},
		{"delimiter quote", edit(t, toySpec, func(m map[string]any) { obj(m, "dataset")["csv"] = map[string]any{"delimiter": `"`} }), "dataset.csv.delimiter"},
		{"delimiter newline", edit(t, toySpec, func(m map[string]any) { obj(m, "dataset")["csv"] = map[string]any{"delimiter": "\n"} }), "dataset.csv.delimiter"},
		{"image 3 files", edit(t, imageSpec, func(m map[string]any) {
			d := obj(m, "dataset")
			d["files"] = d["files"].([]any)[:3]
		}), "dataset.files: 3 files; format idx takes 4, with roles train_images, train_labels, test_images, test_labels"},
		{"image role twice", edit(t, imageSpec, func(m map[string]any) {
			obj(m, "dataset")["files"].([]any)[3].(map[string]any)["role"] = "train_images"
		}), `dataset.files[3].role: role "train_images" appears twice`},
		{"image with label", edit(t, imageSpec, func(m map[string]any) { m["label"] = map[string]any{"column": "y"} }), "label: set for an image task"},
		{"image with split", edit(t, imageSpec, func(m map[string]any) { m["split"] = map[string]any{"seed": 1} }), "split: set for an image task"},
		{"image with ignore", edit(t, imageSpec, func(m map[string]any) { m["ignore"] = []any{"a"} }), "ignore: set for an image task"},
		{"image with fairness", edit(t, imageSpec, func(m map[string]any) { m["fairness"] = obj(mustMap(t, nominalSpec), "fairness") }), "fairness: set for an image task"},
		{"image format for tabular", edit(t, imageSpec, func(m map[string]any) { m["task_type"] = TypeTabular }), `dataset.format: "idx" does not go with task_type tabular-classification`},
	})
}

func mustMap(t *testing.T, s string) map[string]any {
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}
