package explorer

import (
	"strings"
	"testing"

	"cosmossdk.io/math"
)

func TestFormatAssay(t *testing.T) {
	for in, want := range map[string]string{
		"0":              "0.000000",
		"1":              "0.000001",
		"999999":         "0.999999",
		"1000000":        "1.000000",
		"1234567":        "1.234567",
		"21000000000000": "21,000,000.000000",
		"999999999":      "999.999999",
		"1000000000":     "1,000.000000",
		"100000000000":   "100,000.000000",
		"-1500000":       "-1.500000",
		"abc":            "abc",
		"":               "",
	} {
		if got := formatAssay(in); got != want {
			t.Errorf("formatAssay(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFormatDecMatchesLegacyDec: the digit-wise rounding agrees with
// LegacyDec.RoundInt on many values.
func TestFormatDecMatchesLegacyDec(t *testing.T) {
	for i := int64(0); i < 20000; i++ {
		d := math.LegacyNewDecWithPrec(i*7919+i*i*104729, 18).MulInt64(1 + i%3)
		want := d.MulInt64(1_000_000).RoundInt().String()
		got := strings.ReplaceAll(strings.Replace(formatDec(d.String()), ".", "", 1), "-", "")
		got = strings.TrimLeft(got, "0")
		if got == "" {
			got = "0"
		}
		if got != want {
			t.Fatalf("formatDec(%s) = %s, want %s millionths", d, formatDec(d.String()), want)
		}
	}
}

func TestFormatDecAndPercent(t *testing.T) {
	for in, want := range map[string]string{
		"0.500000000000000000":  "0.500000",
		"0.123456500000000000":  "0.123456", // half to even
		"0.123457500000000000":  "0.123458",
		"0.123456700000000000":  "0.123457",
		"1.000000000000000000":  "1.000000",
		"0.000000000000000000":  "0.000000",
		"0.999999500000000000":  "1.000000",
		"0.999998500000000000":  "0.999998",
		"12.5":                  "12.500000",
		"-0.000000100000000000": "0.000000",
		"-1.250000000000000000": "-1.250000",
		"7":                     "7.000000",
		"x.5":                   "x.5",
	} {
		if got := formatDec(in); got != want {
			t.Errorf("formatDec(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"0.123456000000000000": "12.35%",
		"1.000000000000000000": "100.00%",
		"0.000100000000000000": "0.01%",
		"0":                    "0.00%",
	} {
		if got := formatPercent(in); got != want {
			t.Errorf("formatPercent(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFastStringsMatchTheSDK(t *testing.T) {
	for _, d := range []math.LegacyDec{math.LegacyZeroDec(), math.LegacyOneDec(), math.LegacyNewDecWithPrec(-5, 1),
		math.LegacyNewDecWithPrec(123456789, 18), math.LegacyNewDecWithPrec(-123456789, 18), math.LegacyNewDec(9), math.LegacyNewDec(-9),
		math.LegacyNewDec(10), math.LegacyNewDec(1 << 40)} {
		if got := decString(d); got != d.String() {
			t.Errorf("decString %s = %s", d, got)
		}
	}
	big, _ := math.NewIntFromString("123456789012345678901234567890")
	for _, i := range []math.Int{math.ZeroInt(), math.NewInt(-7), math.NewInt(1 << 62), big} {
		if got := intString(i); got != i.String() {
			t.Errorf("intString %s = %s", i, got)
		}
	}
}
