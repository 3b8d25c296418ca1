package explorer

import (
	"strings"

	"cosmossdk.io/math"
)

// Amounts are uassay on the chain and in the JSON twin (as `assayd q`
// prints them); pages show ASSAY with all six decimals, so nothing is
// rounded away.

// microDigits is log10(uassay per ASSAY).
const microDigits = 6

// formatAssay writes a uassay amount (a decimal integer string) as ASSAY
// with six decimals: "1234567" → "1.234567". A string that is not an
// integer is returned as is.
func formatAssay(uassay string) string {
	neg := strings.HasPrefix(uassay, "-")
	digits := strings.TrimPrefix(uassay, "-")
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return uassay
	}
	if len(digits) <= microDigits {
		digits = strings.Repeat("0", microDigits+1-len(digits)) + digits
	}
	whole, frac := digits[:len(digits)-microDigits], digits[len(digits)-microDigits:]
	out := groupThousands(whole) + "." + frac
	if neg {
		return "-" + out
	}
	return out
}

// groupThousands puts a comma every three digits: "1234567" → "1,234,567".
func groupThousands(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	lead := len(digits) % 3
	if lead > 0 {
		b.WriteString(digits[:lead])
	}
	for i := lead; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// decPlaces is how many decimals pages show of a fraction (consensus,
// trust, shares); the JSON twin keeps all 18.
const decPlaces = 6

// formatDec rounds a LegacyDec string half away from zero to decPlaces
// decimals: "0.500000000000000000" → "0.500000".
func formatDec(s string) string {
	d, err := math.LegacyNewDecFromStr(s)
	if err != nil {
		return s
	}
	scale := math.LegacyNewDec(1_000_000) // 10^decPlaces
	n := d.Mul(scale).RoundInt()
	str := formatAssay(n.String()) // six implied decimals, same layout
	return strings.ReplaceAll(str, ",", "")
}

// formatPercent shows a fraction as a percentage with two decimals:
// "0.123456…" → "12.35%".
func formatPercent(s string) string {
	d, err := math.LegacyNewDecFromStr(s)
	if err != nil {
		return s
	}
	n := d.MulInt64(10_000).RoundInt() // hundredths of a percent
	digits := n.Abs().String()
	if len(digits) < 3 {
		digits = strings.Repeat("0", 3-len(digits)) + digits
	}
	sign := ""
	if n.IsNegative() {
		sign = "-"
	}
	return sign + digits[:len(digits)-2] + "." + digits[len(digits)-2:] + "%"
}

// short abbreviates a long address or hash for a table cell; the full text
// stays in the cell's title and in the JSON twin.
func short(s string) string {
	if len(s) <= 16 {
		return s
	}
	return s[:10] + "…" + s[len(s)-6:]
}
