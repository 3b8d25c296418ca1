package task

import (
	"fmt"
	"strings"
	"testing"
)

func TestValidateRejectsColumnsSplitReward(t *testing.T) {
	set := func(base string, path []string, k string, v any) []byte {
		return edit(t, base, func(m map[string]any) { obj(m, path...)[k] = v })
	}
	frac := func(v string) []byte { return set(toySpec, []string{"split"}, "validation_fraction", v) }
	manyIgnore := make([]any, 1025)
	for i := range manyIgnore {
		manyIgnore[i] = fmt.Sprint("c", i)
	}
	checkRejects(t, []rejectCase{
		{"label missing", edit(t, toySpec, func(m map[string]any) { delete(m, "label") }), "label.column: missing"},
		{"label control", set(toySpec, []string{"label"}, "column", "a\x01"), `label.column: "a\x01" contains a control character`},
		{"label long", set(toySpec, []string{"label"}, "column", strings.Repeat("x", 257)), "label.column: "},
		{"positive empty string ok, long not", set(toySpec, []string{"label"}, "positive", strings.Repeat("x", 257)), "label.positive: "},
		{"ignore label", edit(t, toySpec, func(m map[string]any) { m["ignore"] = []any{"y"} }), `ignore[0]: "y" is the label column`},
		{"ignore twice", edit(t, toySpec, func(m map[string]any) { m["ignore"] = []any{"a", "a"} }), `ignore[1]: "a" appears twice`},
		{"ignore empty name", edit(t, toySpec, func(m map[string]any) { m["ignore"] = []any{""} }), "ignore[0]: empty"},
		{"ignore many", edit(t, toySpec, func(m map[string]any) { m["ignore"] = manyIgnore }), "ignore: 1025 columns, at most 1024 allowed"},
		{"split missing", edit(t, toySpec, func(m map[string]any) { delete(m, "split") }), "split.validation_fraction: missing"},
		{"fraction 0", frac("0"), `split.validation_fraction: "0" is not in (0, 1)`},
		{"fraction 1", frac("1"), `"1" is not in (0, 1)`},
		{"fraction 1.5", frac("1.5"), `"1.5" is not in (0, 1)`},
		{"fraction negative", frac("-0.3"), `"-0.3" is not in (0, 1)`},
		{"fraction ratio", frac("1/3"), `"1/3" is not a decimal (unexpected character)`},
		{"fraction exponent", frac("3e-1"), `"3e-1" is not a decimal`},
		{"fraction bare point", frac(".3"), "no digits before the point"},
		{"fraction trailing point", frac("0."), "no digits after the point"},
		{"fraction two points", frac("0.3.1"), "unexpected character"},
		{"fraction leading zero", frac("00.3"), "leading zero"},
		{"fraction plus", frac("+0.3"), "unexpected character"},
		{"fraction spaces", frac(" 0.3"), "unexpected character"},
		{"fraction 19 places", frac("0." + strings.Repeat("3", 19)), "more than 18 digits after the point"},
		{"metric", set(toySpec, nil, "metric", "f1"), `metric: unknown value "f1"; allowed: accuracy, balanced_accuracy, macro_f1`},
		{"baseline", set(toySpec, []string{"reward"}, "baseline", "median"), `reward.baseline: unknown value "median"; allowed: majority, chance`},
		{"temperature 0", set(toySpec, []string{"reward"}, "temperature", "0"), `reward.temperature: "0" is not in (0, 1000]`},
		{"temperature big", set(toySpec, []string{"reward"}, "temperature", "1000.5"), `"1000.5" is not in (0, 1000]`},
		{"temperature missing", edit(t, toySpec, func(m map[string]any) { delete(obj(m, "reward"), "temperature") }), "reward.temperature: missing"},
		{"copy epsilon", set(toySpec, []string{"reward"}, "copy_epsilon", "2"), `reward.copy_epsilon: "2" is not in [0, 1]`},
		{"latency zero", set(toySpec, nil, "max_latency_ms", 0), "max_latency_ms: 0 is not in [1, 60000]"},
	})
}

func TestValidateRejectsFairness(t *testing.T) {
	prot := []string{"fairness", "protected"}
	set := func(base string, path []string, k string, v any) []byte {
		return edit(t, base, func(m map[string]any) { obj(m, path...)[k] = v })
	}
	groups := func(base string, g map[string]any) []byte { return set(base, prot, "groups", g) }
	twins := func(base string, c map[string]any) []byte { return set(base, prot, "counterfactual", c) }
	many := map[string]any{}
	for i := range 65 {
		many[fmt.Sprint("g", i)] = []any{fmt.Sprint("v", i)}
	}
	checkRejects(t, []rejectCase{
		{"column missing", set(toySpec, prot, "column", ""), "fairness.protected.column: missing"},
		{"column is label", set(toySpec, prot, "column", "y"), `fairness.protected.column: "y" is the label column`},
		{"column ignored", set(toySpec, prot, "column", "id"), `fairness.protected.column: "id" is in ignore`},
		{"bias metric", set(toySpec, []string{"fairness"}, "bias_metric", "disparate_impact"), `fairness.bias_metric: unknown value "disparate_impact"`},
		{"bias weight", set(toySpec, []string{"fairness"}, "bias_weight", "1.5"), `fairness.bias_weight: "1.5" is not in [0, 1]`},
		{"bias weight missing", edit(t, toySpec, func(m map[string]any) { delete(obj(m, "fairness"), "bias_weight") }), "fairness.bias_weight: missing"},
		{"parity needs positive", set(toySpec, []string{"fairness"}, "bias_metric", "equalized_odds"), "label.positive: missing; bias_metric equalized_odds compares the rate of the positive class"},
		{"one group", groups(nominalSpec, map[string]any{"f": []any{"female"}}), "fairness.protected.groups: 1 groups; want 2 to 64"},
		{"65 groups", groups(nominalSpec, many), "65 groups; want 2 to 64"},
		{"empty group", groups(nominalSpec, map[string]any{"f": []any{}, "m": []any{"male"}}), `fairness.protected.groups["f"]: empty list`},
		{"empty value", groups(nominalSpec, map[string]any{"f": []any{""}, "m": []any{"male"}}), `groups["f"][0]: empty`},
		{"value in two groups", groups(nominalSpec, map[string]any{"f": []any{"x"}, "m": []any{"x"}}), `groups["m"][0]: "x" is also in group "f"; a value belongs to one group`},
		{"value twice", groups(nominalSpec, map[string]any{"f": []any{"x", "x"}, "m": []any{"y"}}), `groups["f"][1]: "x" appears twice in the group`},
		{"value not string", groups(nominalSpec, map[string]any{"f": []any{1}, "m": []any{"y"}}), `groups["f"][0]: want a string, got number 1`},
		{"mixed kinds", groups(toySpec, map[string]any{"young": map[string]any{"max": "25"}, "old": []any{"70"}}), "fairness.protected.groups: mixes value lists and ranges"},
		{"range unbounded", groups(toySpec, map[string]any{"young": map[string]any{}, "old": map[string]any{"min": "25"}}), `groups["young"]: a range needs min, max or both`},
		{"range empty", groups(toySpec, map[string]any{"young": map[string]any{"min": "30", "max": "25"}, "old": map[string]any{"min": "40"}}), `groups["young"]: min 30 is not below max 25`},
		{"range bad decimal", groups(toySpec, map[string]any{"young": map[string]any{"max": "2e1"}, "old": map[string]any{"min": "25"}}), `groups["young"].max: "2e1" is not a decimal`},
		{"range number", groups(toySpec, map[string]any{"young": map[string]any{"max": 25}, "old": map[string]any{"min": "25"}}), `groups["young"].max: got number 25; write decimals as strings`},
		{"ranges overlap", groups(toySpec, map[string]any{"young": map[string]any{"max": "26"}, "old": map[string]any{"min": "25"}}), `fairness.protected.groups: groups "young" and "old" overlap`},
		{"two unbounded below", groups(toySpec, map[string]any{"young": map[string]any{"max": "20"}, "old": map[string]any{"max": "25"}}), "overlap"},
		{"cf missing for flip", edit(t, toySpec, func(m map[string]any) { delete(obj(m, prot...), "counterfactual") }), "fairness.protected.counterfactual: missing; bias_metric counterfactual_flip needs every group's twin"},
		{"cf key not a value", twins(nominalSpec, map[string]any{"female": "male", "woman": "male", "male": "female", "other": "male"}), `counterfactual["other"]: "other" is in no group`},
		{"cf twin in no group", twins(nominalSpec, map[string]any{"female": "man", "woman": "male", "male": "female"}), `counterfactual["female"]: twin "man" is in no group`},
		{"cf twin same group", twins(nominalSpec, map[string]any{"female": "woman", "woman": "male", "male": "female"}), `counterfactual["female"]: twin "woman" is in the same group "f"`},
		{"cf value missing", twins(nominalSpec, map[string]any{"female": "male", "male": "female"}), `counterfactual["woman"]: missing; every grouped value needs a twin`},
		{"cf numeric not a group", twins(toySpec, map[string]any{"young": "40", "old": "20", "mid": "30"}), `counterfactual["mid"]: "mid" is not a group`},
		{"cf numeric bad value", twins(toySpec, map[string]any{"young": "forty", "old": "20"}), `counterfactual["young"]: "forty" is not a decimal`},
		{"cf numeric own group", twins(toySpec, map[string]any{"young": "20", "old": "21"}), `counterfactual["young"]: twin value 20 is in group "young" itself`},
		{"cf numeric boundary is the upper group", twins(toySpec, map[string]any{"young": "40", "old": "25"}), `counterfactual["old"]: twin value 25 is in group "old" itself`},
		{"cf numeric in no range", edit(t, toySpec, func(m map[string]any) {
			obj(m, prot...)["groups"] = map[string]any{"young": map[string]any{"max": "25"}, "old": map[string]any{"min": "30"}}
			obj(m, prot...)["counterfactual"] = map[string]any{"young": "27", "old": "20"}
		}), `counterfactual["young"]: twin value 27 is in no group's range`},
		{"cf numeric group missing", twins(toySpec, map[string]any{"young": "40"}), `counterfactual["old"]: missing; every group needs the value its twins get`},
	})
}

// TestValidateGoSpec covers what only a spec built in Go (not parsed from
// JSON) can get wrong.
func TestValidateGoSpec(t *testing.T) {
	s, err := Parse([]byte(nominalSpec))
	if err != nil {
		t.Fatal(err)
	}
	s.Fairness.Protected.Groups = map[string]Group{
		"f": {Values: []string{"female"}, Range: &Range{Min: "1"}},
		"m": {Values: []string{"male"}},
	}
	if err := s.Validate(); err == nil || !strings.Contains(err.Error(), `groups["f"]: both a list and a range`) {
		t.Fatalf("error %v", err)
	}
	s, _ = Parse([]byte(toySpec))
	s.Split.Seed = 1 << 60
	if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "split.seed:") {
		t.Fatalf("error %v", err)
	}
	s, _ = Parse([]byte(toySpec))
	s.Dataset.Files[0].URLs = []string{"https://h/\xff"}
	if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "not valid UTF-8") {
		t.Fatalf("error %v", err)
	}
}

func TestParseFillsDefaults(t *testing.T) {
	s, err := Parse([]byte(toySpec))
	if err != nil {
		t.Fatal(err)
	}
	if s.Reward.CopyEpsilon != DefaultCopyEpsilon || s.Dataset.CSV == nil || s.Dataset.CSV.Delimiter != "," || !s.Dataset.CSV.Header {
		t.Fatalf("defaults not filled: %+v %+v", s.Reward, s.Dataset.CSV)
	}
	if !s.Fairness.Protected.IsNumeric() {
		t.Fatal("range groups not numeric")
	}
	n, _ := Parse([]byte(nominalSpec))
	if n.Fairness.Protected.IsNumeric() || n.Reward.CopyEpsilon != "0.02" {
		t.Fatalf("nominal spec: %+v", n.Reward)
	}
	if got := n.Fairness.Protected.GroupNames(); strings.Join(got, ",") != "f,m" {
		t.Fatalf("group names %v", got)
	}
	img, _ := Parse([]byte(imageSpec))
	if !img.IsImage() {
		t.Fatal("idx spec is not an image task")
	}
	if f, ok := img.File(RoleTestLabels); !ok || f.URLs[0] != "file://localhost/d/d" {
		t.Fatalf("File(test_labels) = %+v, %v", f, ok)
	}
}

func TestParseDecimalExact(t *testing.T) {
	r, err := ParseDecimal("0.1")
	if err != nil || r.String() != "1/10" {
		t.Fatalf("0.1 = %v, %v", r, err)
	}
	for in, want := range map[string]string{"0.50": "0.5", "2.0": "2", "-0.0": "0", "10": "10", "0.000": "0", "-1.230": "-1.23"} {
		if got := normalDecimal(in); got != want {
			t.Errorf("normalDecimal(%q) = %q, want %q", in, got, want)
		}
	}
}
