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

// formatDec rounds a LegacyDec string (half to even, as
// LegacyDec.RoundInt) to decPlaces decimals: "0.500000000000000000" →
// "0.500000". It works on the digits, without parsing into a big.Int: the
// metagraph formats four of these per UID. Anything else is returned as is.
func formatDec(s string) string {
	neg := strings.HasPrefix(s, "-")
	digits := strings.TrimPrefix(s, "-")
	whole, frac, ok := strings.Cut(digits, ".")
	if whole == "" || strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" || (ok && frac == "") {
		return s
	}
	frac += strings.Repeat("0", max(0, decPlaces-len(frac)))
	kept, rest := frac[:decPlaces], frac[decPlaces:]
	up := false
	if rest != "" {
		switch half := "5" + strings.Repeat("0", len(rest)-1); {
		case rest > half:
			up = true
		case rest == half:
			up = (kept[len(kept)-1]-'0')%2 == 1
		}
	}
	n := whole + kept
	if up {
		n = addOne(n)
	}
	n = strings.TrimLeft(n, "0")
	if len(n) <= decPlaces {
		n = strings.Repeat("0", decPlaces+1-len(n)) + n
	}
	out := n[:len(n)-decPlaces] + "." + n[len(n)-decPlaces:]
	if neg && strings.Trim(n, "0") != "" {
		return "-" + out
	}
	return out
}

// addOne adds 1 to a string of decimal digits.
func addOne(digits string) string {
	b := []byte(digits)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b)
		}
		b[i] = '0'
	}
	return "1" + string(b)
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
	neg := v < 0
	if neg {
		v = -v
	}
	digits := strconv.FormatInt(v, 10)
	if len(digits) <= math.LegacyPrecision {
		digits = strings.Repeat("0", math.LegacyPrecision+1-len(digits)) + digits
	}
	out := digits[:len(digits)-math.LegacyPrecision] + "." + digits[len(digits)-math.LegacyPrecision:]
	if neg {
		return "-" + out
	}
	return out
}

// intOr is v, or zero for an unset math.Int.
func intOr(v math.Int) math.Int {
	if v.IsNil() {
		return math.ZeroInt()
	}
	return v
}
