package validator

import "testing"

// TestWhy: every detailed failure maps to one of DESIGN §12's reasons, and
// the metric label of a copy does not name the UID.
func TestWhy(t *testing.T) {
	for detail, want := range map[string]string{
		"":              "",
		"trivial":       "trivial",
		"mismatch":      "mismatch",
		"unverifiable":  "unverifiable",
		"copy of uid 7": "copy of uid 7",
		"timeout":       "timeout",
		"no_model_hash": "unverifiable",
		"wrong_model":   "unverifiable",
		"unreachable":   "error",
		"bad_signature": "error",
		"refused":       "error",
		"cancelled":     "error",
		"bad_output":    "error",
		"error":         "error",
	} {
		o := Observation{Reason: detail}
		if got := o.Why(); got != want {
			t.Errorf("Why(%q) = %q, want %q", detail, got, want)
		}
	}
	if got := reasonLabel(copyOf(7)); got != "copy" {
		t.Errorf("label of %q = %q, want copy", copyOf(7), got)
	}
	if got := reasonLabel("timeout"); got != "timeout" {
		t.Errorf("label of timeout = %q", got)
	}
}
