package testtime

import (
	"testing"
	"time"
)

func TestScale(t *testing.T) {
	for _, tc := range []struct {
		env  string
		want time.Duration
	}{
		{"", 10 * time.Second},
		{"1", 10 * time.Second},
		{"2.5", 25 * time.Second},
		{"0.5", 10 * time.Second}, // never shorter
		{"-3", 10 * time.Second},
		{"NaN", 10 * time.Second},
		{"fast", 10 * time.Second},
		{"1e9", 10 * time.Second}, // absurd: ignored
	} {
		t.Setenv(Env, tc.env)
		if got := Scale(10 * time.Second); got != tc.want {
			t.Errorf("%s=%q: Scale(10s) = %s, want %s", Env, tc.env, got, tc.want)
		}
	}
}
