package task

import (
	"fmt"
	"math/big"
	"strings"
)

// Decimal strings: an optional minus, an integer part without leading zeros
// and an optional fraction, plain digits only (no exponent, no "+", no
// "1/3", which big.Rat would accept). The fraction has at most 18 digits,
// so every decimal is exact in the chain's 18-place math.LegacyDec.
const (
	maxIntDigits  = 18
	maxFracDigits = 18
)

// ParseDecimal parses a decimal string exactly.
func ParseDecimal(s string) (*big.Rat, error) {
	if err := checkDecimal(s); err != nil {
		return nil, err
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok { // unreachable after checkDecimal; kept so a grammar slip cannot panic
		return nil, fmt.Errorf("%s is not a decimal", quote(s))
	}
	return r, nil
}

func checkDecimal(s string) error {
	bad := func(why string) error {
		return fmt.Errorf("%s is not a decimal (%s); write digits with an optional '-' and '.', e.g. \"0.3\"", quote(s), why)
	}
	body := strings.TrimPrefix(s, "-")
	intPart, frac, hasPoint := strings.Cut(body, ".")
	switch {
	case intPart == "":
		return bad("no digits before the point")
	case !allDigits(intPart):
		return bad("unexpected character")
	case len(intPart) > 1 && intPart[0] == '0':
		return bad("leading zero")
	case len(intPart) > maxIntDigits:
		return bad(fmt.Sprintf("more than %d integer digits", maxIntDigits))
	case hasPoint && frac == "":
		return bad("no digits after the point")
	case !allDigits(frac):
		return bad("unexpected character")
	case len(frac) > maxFracDigits:
		return bad(fmt.Sprintf("more than %d digits after the point", maxFracDigits))
	}
	return nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// normalDecimal is the canonical spelling of a valid decimal string: no
// trailing fractional zeros, no bare point, "0" for minus zero.
func normalDecimal(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	if s == "-0" {
		return "0"
	}
	return s
}

// interval is an allowed range of decimals, with its text for errors.
type interval struct {
	lo, hi     *big.Rat // nil: unbounded
	loIn, hiIn bool     // inclusive ends
	text       string   // "in (0, 1)"
}

// check parses s and checks it lies in iv.
func (iv interval) check(s string) error {
	r, err := ParseDecimal(s)
	if err != nil {
		return err
	}
	if iv.lo != nil {
		if c := r.Cmp(iv.lo); c < 0 || (c == 0 && !iv.loIn) {
			return fmt.Errorf("%s is not %s", quote(s), iv.text)
		}
	}
	if iv.hi != nil {
		if c := r.Cmp(iv.hi); c > 0 || (c == 0 && !iv.hiIn) {
			return fmt.Errorf("%s is not %s", quote(s), iv.text)
		}
	}
	return nil
}

var (
	openUnit    = interval{lo: new(big.Rat), hi: big.NewRat(1, 1), text: "in (0, 1)"}
	closedUnit  = interval{lo: new(big.Rat), hi: big.NewRat(1, 1), loIn: true, hiIn: true, text: "in [0, 1]"}
	temperature = interval{lo: new(big.Rat), hi: big.NewRat(maxTemperature, 1), hiIn: true, text: fmt.Sprintf("in (0, %d]", maxTemperature)}
)
