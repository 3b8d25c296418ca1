package yuma

import (
	"errors"
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"strings"
)

// FracBits is the number of fractional bits of Fixed.
const FracBits = 32

// Fixed is a signed 64-bit fixed-point number with 32 fractional bits (the
// layout of subtensor's I32F32): the real value is Raw()/2^32. Its range is
// [-2^31, 2^31) and its resolution 2^-32 ≈ 2.33e-10.
//
// All arithmetic saturates instead of wrapping and rounds toward zero, so a
// product or quotient of values in [0, 1] never exceeds the exact result.
type Fixed int64

const (
	// One is 1.0.
	One Fixed = 1 << FracBits
	// Half is 0.5.
	Half Fixed = One / 2
	// MaxFixed and MinFixed are the saturation bounds.
	MaxFixed Fixed = math.MaxInt64
	MinFixed Fixed = math.MinInt64
)

// FromRaw returns the Fixed whose raw representation is r (value r/2^32).
func FromRaw(r int64) Fixed { return Fixed(r) }

// Raw returns the raw representation (value·2^32), suitable for storage.
func (f Fixed) Raw() int64 { return int64(f) }

// FromInt returns i as a Fixed, saturating outside the range.
func FromInt(i int64) Fixed {
	if i >= 1<<31 {
		return MaxFixed
	}
	if i < -(1 << 31) {
		return MinFixed
	}
	return Fixed(i << FracBits)
}

// FromUint16Normalized returns v/65535, the proportion a uint16 weight or
// parameter encodes, rounded toward zero.
func FromUint16Normalized(v uint16) Fixed {
	return Fixed((uint64(v) << FracBits) / math.MaxUint16)
}

// FromRatio returns num/den rounded toward zero, saturating at MaxFixed; a
// zero denominator gives 0.
func FromRatio(num, den uint64) Fixed {
	if den == 0 {
		return 0
	}
	hi, lo := num>>(64-FracBits), num<<FracBits
	if hi >= den {
		return MaxFixed
	}
	q, _ := bits.Div64(hi, lo, den)
	if q > math.MaxInt64 {
		return MaxFixed
	}
	return Fixed(q)
}

// abs returns |f| as uint64 (well defined for MinFixed).
func (f Fixed) abs() uint64 {
	if f < 0 {
		return uint64(^f) + 1
	}
	return uint64(f)
}

// signed turns a magnitude and a sign into a Fixed, saturating.
func signed(mag uint64, neg bool) Fixed {
	if neg {
		if mag > 1<<63 {
			return MinFixed
		}
		return Fixed(-int64(mag-1) - 1)
	}
	if mag > math.MaxInt64 {
		return MaxFixed
	}
	return Fixed(mag)
}

// Add returns f+g, saturating.
func (f Fixed) Add(g Fixed) Fixed {
	s := f + g
	if (s > f) != (g > 0) {
		if g > 0 {
			return MaxFixed
		}
		return MinFixed
	}
	return s
}

// Sub returns f-g, saturating.
func (f Fixed) Sub(g Fixed) Fixed {
	s := f - g
	if (s < f) != (g > 0) {
		if g > 0 {
			return MinFixed
		}
		return MaxFixed
	}
	return s
}

// Mul returns f·g rounded toward zero, saturating.
func (f Fixed) Mul(g Fixed) Fixed {
	hi, lo := bits.Mul64(f.abs(), g.abs())
	if hi>>FracBits != 0 {
		return signed(math.MaxUint64, (f < 0) != (g < 0))
	}
	return signed(hi<<(64-FracBits)|lo>>FracBits, (f < 0) != (g < 0))
}

// Div returns f/g rounded toward zero, saturating; division by zero gives 0
// (as subtensor's safe_div does).
func (f Fixed) Div(g Fixed) Fixed {
	if g == 0 {
		return 0
	}
	a, b := f.abs(), g.abs()
	hi, lo := a>>(64-FracBits), a<<FracBits
	if hi >= b {
		return signed(math.MaxUint64, (f < 0) != (g < 0))
	}
	q, _ := bits.Div64(hi, lo, b)
	return signed(q, (f < 0) != (g < 0))
}

// Clamp returns f limited to [lo, hi].
func (f Fixed) Clamp(lo, hi Fixed) Fixed {
	if f < lo {
		return lo
	}
	if f > hi {
		return hi
	}
	return f
}

// decimals is the most fractional digits String needs: 10 digits resolve
// every 2^-32 step.
const decimals = 10

// String formats f as the shortest decimal that parses back to f (at most 10
// fractional digits), e.g. "0.5", "0.9", "1", "-0.25":
// ParseFixed(f.String()) == f for every f.
func (f Fixed) String() string {
	fp := f.abs() & (1<<FracBits - 1)
	pow := uint64(1)
	for d := 0; d < decimals; d++ {
		if roundTrips(fp, pow) {
			return f.Format(d)
		}
		pow *= 10
	}
	return f.Format(decimals)
}

// roundTrips reports whether the fraction fp/2^32, rounded to a multiple of
// 1/pow, rounds back to fp.
func roundTrips(fp, pow uint64) bool {
	hi, lo := bits.Mul64(fp, pow)
	frac := hi<<(64-FracBits) | lo>>FracBits
	if lo&(1<<(FracBits-1)) != 0 {
		frac++
	}
	// back = round(frac·2^32 / pow)
	bh, bl := frac>>(64-FracBits), frac<<FracBits
	q, r := bits.Div64(bh, bl, pow)
	if r >= pow-r {
		q++
	}
	return q == fp
}

// Format formats f with at most d fractional digits (0 ≤ d ≤ 18), rounded
// half away from zero, trailing zeros trimmed.
func (f Fixed) Format(d int) string {
	d = max(0, min(d, 18))
	mag := f.abs()
	ip, fp := mag>>FracBits, mag&(1<<FracBits-1)
	pow := uint64(1)
	for range d {
		pow *= 10
	}
	hi, lo := bits.Mul64(fp, pow)
	// frac = round(fp·10^d / 2^32)
	frac := hi<<(64-FracBits) | lo>>FracBits
	if lo&(1<<(FracBits-1)) != 0 {
		frac++
	}
	if frac >= pow {
		ip++
		frac -= pow
	}
	var sb strings.Builder
	if f < 0 && (ip != 0 || frac != 0) {
		sb.WriteByte('-')
	}
	sb.WriteString(strconv.FormatUint(ip, 10))
	if frac != 0 {
		s := strconv.FormatUint(frac, 10)
		s = strings.Repeat("0", d-len(s)) + s
		sb.WriteByte('.')
		sb.WriteString(strings.TrimRight(s, "0"))
	}
	return sb.String()
}

// ErrSyntax and ErrRange are returned (wrapped) by ParseFixed.
var (
	ErrSyntax = errors.New("not a decimal number")
	ErrRange  = errors.New("out of fixed-point range")
)

// maxParseLen bounds the input ParseFixed accepts, so hostile input cannot
// make it allocate or compute without limit.
const maxParseLen = 100

// ParseFixed parses a decimal number ("0.5", "-1.25", "1000", "2.5e-3"),
// exactly, rounding to the nearest 2^-32 (ties away from zero). It does not
// use floating point.
func ParseFixed(s string) (Fixed, error) {
	if len(s) == 0 || len(s) > maxParseLen {
		return 0, ErrSyntax
	}
	neg := false
	rest := s
	switch rest[0] {
	case '-':
		neg, rest = true, rest[1:]
	case '+':
		rest = rest[1:]
	}
	exp := 0
	if i := strings.IndexAny(rest, "eE"); i >= 0 {
		e, err := strconv.Atoi(rest[i+1:])
		if err != nil || e < -maxParseLen || e > maxParseLen {
			return 0, ErrSyntax
		}
		exp, rest = e, rest[:i]
	}
	intPart, fracPart, _ := strings.Cut(rest, ".")
	if intPart == "" && fracPart == "" {
		return 0, ErrSyntax
	}
	digits := intPart + fracPart
	for _, c := range []byte(digits) {
		if c < '0' || c > '9' {
			return 0, ErrSyntax
		}
	}
	exp -= len(fracPart)
	// value = digits · 10^exp; raw = round(value · 2^32).
	num, ok := new(big.Int).SetString(digits, 10)
	if !ok {
		return 0, ErrSyntax
	}
	num.Lsh(num, FracBits)
	den := big.NewInt(1)
	ten := big.NewInt(10)
	if exp >= 0 {
		num.Mul(num, new(big.Int).Exp(ten, big.NewInt(int64(exp)), nil))
	} else {
		den.Exp(ten, big.NewInt(int64(-exp)), nil)
	}
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	if r.Lsh(r, 1).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	if !q.IsInt64() {
		return 0, ErrRange
	}
	return Fixed(q.Int64()), nil
}
