package cli

import (
	"fmt"
	"strings"
	"time"

	"cosmossdk.io/math"

	"github.com/assay-network/assay/x/subnet/types"
)

// DisplayDenom is the unit text output uses: 1 ASSAY = 10^6 uassay (DESIGN §2).
const DisplayDenom = "ASSAY"

// displayDecimals is the exponent between DisplayDenom and types.Denom.
const displayDecimals = 6

var uassayPerAssay = math.NewInt(1_000_000)

// ParseAmount reads an amount in uassay: "123", "123uassay", or in ASSAY
// with up to 6 decimals, "1.5assay" or "1.5ASSAY". name is the flag or
// argument the value came from, for the error.
func ParseAmount(name, s string) (math.Int, error) {
	s = strings.TrimSpace(s)
	bad := func() (math.Int, error) {
		return math.Int{}, fmt.Errorf("--%s: %q is not a non-negative amount: give %s (e.g. 1500000 or 1500000%s) or %s (e.g. 1.5%s)",
			name, s, types.Denom, types.Denom, DisplayDenom, strings.ToLower(DisplayDenom))
	}
	if whole, ok := strings.CutSuffix(strings.ToLower(s), strings.ToLower(DisplayDenom)); ok && !strings.HasSuffix(whole, "u") {
		v, err := parseAssay(whole)
		if err != nil {
			return bad()
		}
		return v, nil
	}
	v, ok := math.NewIntFromString(strings.TrimSuffix(s, types.Denom))
	if !ok || v.IsNegative() {
		return bad()
	}
	return v, nil
}

// parseAssay reads "1", "1.5" or ".000001" ASSAY as uassay, exactly: more
// than 6 decimals would round, so it is refused.
func parseAssay(s string) (math.Int, error) {
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "" && frac == "" || len(frac) > displayDecimals || strings.Trim(intPart+frac, "0123456789") != "" {
		return math.Int{}, fmt.Errorf("bad amount %q", s)
	}
	if intPart == "" {
		intPart = "0"
	}
	digits := intPart + frac + strings.Repeat("0", displayDecimals-len(frac))
	v, ok := math.NewIntFromString(digits)
	if !ok || v.IsNegative() {
		return math.Int{}, fmt.Errorf("bad amount %q", s)
	}
	return v, nil
}

// FormatAssay prints uassay as ASSAY, exactly, without the unit: 1500000
// is "1.5", 1 is "0.000001", 0 is "0".
func FormatAssay(v math.Int) string {
	if v.IsNil() {
		return "0"
	}
	sign := ""
	if v.IsNegative() {
		sign, v = "-", v.Neg()
	}
	whole, frac := v.Quo(uassayPerAssay), v.Mod(uassayPerAssay)
	if frac.IsZero() {
		return sign + whole.String()
	}
	f := strings.TrimRight(fmt.Sprintf("%0*s", displayDecimals, frac.String()), "0")
	return sign + whole.String() + "." + f
}

// FormatAmount is FormatAssay with the unit: "1.5 ASSAY".
func FormatAmount(v math.Int) string { return FormatAssay(v) + " " + DisplayDenom }

// FormatPercent prints a fraction (0.18) as a percentage rounded to two
// decimals ("18.00%"), the way a take or a Yuma share reads.
func FormatPercent(d math.LegacyDec) string {
	if d.IsNil() {
		return "0.00%"
	}
	hundredths := d.MulInt64(10_000).RoundInt()
	sign := ""
	if hundredths.IsNegative() {
		sign, hundredths = "-", hundredths.Neg()
	}
	h := math.NewInt(100)
	return fmt.Sprintf("%s%s.%02d%%", sign, hundredths.Quo(h), hundredths.Mod(h).Int64())
}

// ParseTake reads a take as a fraction ("0.18") or a percentage ("18%").
func ParseTake(s string) (math.LegacyDec, error) {
	str := strings.TrimSpace(s)
	pct, isPct := strings.CutSuffix(str, "%")
	d, err := math.LegacyNewDecFromStr(strings.TrimSpace(pct))
	if err != nil {
		return math.LegacyDec{}, fmt.Errorf("take: %q is neither a decimal (0.18) nor a percentage (18%%): %w", s, err)
	}
	if isPct {
		d = d.QuoInt64(100)
	}
	return d, nil
}

// FormatBlocks prints a block count with its approximate wall time at
// blockTime per block: "120 blocks (~2m0s)". A block count of 0 or less, or
// no block time, prints the count alone.
func FormatBlocks(blocks int64, blockTime time.Duration) string {
	if blocks <= 0 || blockTime <= 0 {
		return fmt.Sprintf("%d blocks", blocks)
	}
	return fmt.Sprintf("%d blocks (~%s)", blocks, (time.Duration(blocks) * blockTime).Round(time.Second))
}
