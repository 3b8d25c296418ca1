package explorer

import "strings"

// The append forms of the amount and fraction formats write into a
// caller's buffer: the metagraph formats six numbers per UID, and building
// a string for each was most of its allocations.

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// appendAssay appends formatAssay(uassay).
func appendAssay(dst []byte, uassay string) []byte {
	digits, neg := strings.CutPrefix(uassay, "-")
	if digits == "" || !allDigits(digits) {
		return append(dst, uassay...)
	}
	if neg {
		dst = append(dst, '-')
	}
	if len(digits) <= microDigits {
		dst = append(dst, '0', '.')
		for range microDigits - len(digits) {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	dst = appendGrouped(dst, digits[:len(digits)-microDigits])
	dst = append(dst, '.')
	return append(dst, digits[len(digits)-microDigits:]...)
}

// appendGrouped appends digits with a comma every three: "1234567" →
// "1,234,567".
func appendGrouped(dst []byte, digits string) []byte {
	lead := len(digits) % 3
	if lead == 0 {
		lead = 3
	}
	dst = append(dst, digits[:min(lead, len(digits))]...)
	for i := lead; i < len(digits); i += 3 {
		dst = append(dst, ',')
		dst = append(dst, digits[i:i+3]...)
	}
	return dst
}

// appendDec appends formatDec(s): s rounded half to even to decPlaces
// decimals, digit by digit.
func appendDec(dst []byte, s string) []byte {
	digits, neg := strings.CutPrefix(s, "-")
	whole, frac, ok := strings.Cut(digits, ".")
	if whole == "" || !allDigits(whole) || !allDigits(frac) || (ok && frac == "") {
		return append(dst, s...)
	}
	// n is whole and the kept decimals as one digit string: a LegacyDec
	// has at most 77 digits, so it fits the stack buffer.
	var buf [96]byte
	n := append(buf[:0], whole...)
	kept, rest := frac[:min(len(frac), decPlaces)], frac[min(len(frac), decPlaces):]
	n = append(n, kept...)
	for range decPlaces - len(kept) {
		n = append(n, '0')
	}
	if roundsUp(rest, n[len(n)-1]) {
		n = addOneInPlace(n)
	}
	for len(n) > decPlaces+1 && n[0] == '0' {
		n = n[1:]
	}
	if neg && !allZero(n) {
		dst = append(dst, '-')
	}
	dst = append(dst, n[:len(n)-decPlaces]...)
	dst = append(dst, '.')
	return append(dst, n[len(n)-decPlaces:]...)
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != '0' {
			return false
		}
	}
	return true
}

// roundsUp says whether dropping the digits rest rounds the kept number
// (whose last digit is last) up, half to even.
func roundsUp(rest string, last byte) bool {
	if rest == "" {
		return false
	}
	switch {
	case rest[0] > '5':
		return true
	case rest[0] < '5':
		return false
	case strings.Trim(rest[1:], "0") != "":
		return true
	default:
		return (last-'0')%2 == 1
	}
}

// addOneInPlace adds 1 to a slice of decimal digits.
func addOneInPlace(b []byte) []byte {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return b
		}
		b[i] = '0'
	}
	return append([]byte{'1'}, b...)
}
