package explorer

import (
	"strconv"
	"strings"

	"cosmossdk.io/math"
)

// Amounts are uassay on the chain and in the JSON twin (as `assayd q`
// prints them); pages show ASSAY with all six decimals, so nothing is
// rounded away.

// microDigits is log10(uassay per ASSAY).
const microDigits = 6

// formatAssay writes a uassay amount (a decimal integer string) as ASSAY
// with six decimals and thousands commas: "1234567" → "1.234567". A string
// that is not an integer is returned as is.
func formatAssay(uassay string) string { return string(appendAssay(nil, uassay)) }

// decPlaces is how many decimals pages show of a fraction (consensus,
// trust, shares); the JSON twin keeps all 18.
const decPlaces = 6

// formatDec rounds a LegacyDec string (half to even, as
// LegacyDec.RoundInt) to decPlaces decimals: "0.500000000000000000" →
// "0.500000". It works on the digits, without parsing into a big.Int: the
// metagraph formats four of these per UID. Anything else is returned as is.
func formatDec(s string) string { return string(appendDec(nil, s)) }

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

// intString is i.String() with a fast path for int64 values (a page
// converts thousands of amounts; big.Int's Text is the slow part).
func intString(i math.Int) string {
	if i.IsNil() {
		return "0"
	}
	if i.IsInt64() {
		return strconv.FormatInt(i.Int64(), 10)
	}
	return i.String()
}

// decString is d.String() (18 decimals) with a fast path for values whose
// raw integer fits an int64 (|d| < 9.2, every Yuma output).
func decString(d math.LegacyDec) string {
	if d.IsNil() {
		return "0.000000000000000000"
	}
	raw := d.BigIntMut()
	if !raw.IsInt64() {
		return d.String()
	}
	v := raw.Int64()
	abs := uint64(v)
	if v < 0 {
		abs = uint64(-v) // MinInt64 too: its negation wraps to 2^63
	}
	// One allocation, the result: a page converts a thousand of these.
	var digitBuf [20]byte
	digits := strconv.AppendUint(digitBuf[:0], abs, 10)
	var outBuf [48]byte
	out := outBuf[:0]
	if v < 0 {
		out = append(out, '-')
	}
	if len(digits) <= math.LegacyPrecision {
		out = append(out, '0', '.')
		for range math.LegacyPrecision - len(digits) {
			out = append(out, '0')
		}
		return string(append(out, digits...))
	}
	out = append(out, digits[:len(digits)-math.LegacyPrecision]...)
	out = append(out, '.')
	return string(append(out, digits[len(digits)-math.LegacyPrecision:]...))
}

// intOr is v, or zero for an unset math.Int.
func intOr(v math.Int) math.Int {
	if v.IsNil() {
		return math.ZeroInt()
	}
	return v
}
