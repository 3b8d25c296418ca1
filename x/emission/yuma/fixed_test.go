package yuma

import (
	"errors"
	"math"
	"testing"

	"pgregory.net/rapid"
)

func mustParse(t testing.TB, s string) Fixed {
	t.Helper()
	f, err := ParseFixed(s)
	if err != nil {
		t.Fatalf("ParseFixed(%q): %v", s, err)
	}
	return f
}

func TestFixedArithmetic(t *testing.T) {
	tests := []struct {
		name string
		got  Fixed
		want Fixed
	}{
		{"mul", Half.Mul(Half), One / 4},
		{"mul negative", (-Half).Mul(Half), -One / 4},
		{"mul truncates toward zero", FromRaw(1).Mul(Half), 0},
		{"mul saturates", FromInt(1 << 20).Mul(FromInt(1 << 20)), MaxFixed},
		{"mul saturates negative", FromInt(-(1 << 20)).Mul(FromInt(1 << 20)), MinFixed},
		{"div", One.Div(FromInt(4)), One / 4},
		{"div truncates", One.Div(FromInt(3)), FromRaw(1431655765)},
		{"div by zero", One.Div(0), 0},
		{"div saturates", FromInt(1 << 30).Div(FromRaw(1)), MaxFixed},
		{"add saturates", MaxFixed.Add(One), MaxFixed},
		{"add saturates negative", MinFixed.Add(-One), MinFixed},
		{"sub saturates", MinFixed.Sub(One), MinFixed},
		{"sub saturates positive", MaxFixed.Sub(-One), MaxFixed},
		{"sub", One.Sub(Half), Half},
		{"from int saturates", FromInt(1 << 40), MaxFixed},
		{"uint16 max", FromUint16Normalized(math.MaxUint16), One},
		{"uint16 half", FromUint16Normalized(32767), FromRaw(2147450879)},
		{"ratio", FromRatio(9, 10), FromRaw(3865470566)},
		{"ratio zero den", FromRatio(1, 0), 0},
		{"clamp", FromInt(2).Clamp(0, One), One},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: got %d (%s), want %d (%s)", tc.name, tc.got, tc.got, tc.want, tc.want)
		}
	}
}

func TestFixedStringParse(t *testing.T) {
	tests := []struct {
		in   string
		want Fixed
		str  string
	}{
		{"0.5", Half, "0.5"},
		{"1", One, "1"},
		{"0", 0, "0"},
		{"-0.25", -One / 4, "-0.25"},
		{"1000", FromInt(1000), "1000"},
		{"2.5e-1", One / 4, "0.25"},
		{"25E-2", One / 4, "0.25"},
		{"+.5", Half, "0.5"},
		{"5.", FromInt(5), "5"},
		{"0.0000000001", FromRaw(0), "0"}, // 1e-10 < half an ulp
		{"0.0000000002", FromRaw(1), "0.0000000002"},
	}
	for _, tc := range tests {
		got := mustParse(t, tc.in)
		if got != tc.want {
			t.Errorf("ParseFixed(%q) = %d, want %d", tc.in, got, tc.want)
		}
		if s := got.String(); s != tc.str {
			t.Errorf("%q.String() = %q, want %q", tc.in, s, tc.str)
		}
	}
	for _, bad := range []string{"", "-", ".", "1.2.3", "0x10", "1e", "1e999", "abc", "NaN", "Inf", "1,5", "- 1"} {
		if _, err := ParseFixed(bad); !errors.Is(err, ErrSyntax) {
			t.Errorf("ParseFixed(%q): err = %v, want ErrSyntax", bad, err)
		}
	}
	for _, big := range []string{"2147483648", "-2147483649", "1e50"} {
		if _, err := ParseFixed(big); !errors.Is(err, ErrRange) {
			t.Errorf("ParseFixed(%q): err = %v, want ErrRange", big, err)
		}
	}
}

func TestFixedStringRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		f := Fixed(rapid.Int64().Draw(t, "raw"))
		g, err := ParseFixed(f.String())
		if err != nil || g != f {
			t.Fatalf("ParseFixed(%q) = %d, %v; want %d", f.String(), g, err, f)
		}
	})
}

func TestFixedMulDivProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := Fixed(rapid.Int64Range(0, int64(One)).Draw(t, "a"))
		b := Fixed(rapid.Int64Range(0, int64(One)).Draw(t, "b"))
		p := a.Mul(b)
		if p > a || p > b || p < 0 {
			t.Fatalf("%d·%d = %d outside [0, min]", a, b, p)
		}
		// Truncation: p ≤ a·b/2^32 < p+1.
		exact := (uint64(a) >> 16) * (uint64(b) >> 16) // lower bound check only on coarse bits
		if uint64(p) < exact {
			t.Fatalf("%d·%d = %d below %d", a, b, p, exact)
		}
		if b > 0 && a <= b {
			q := a.Div(b)
			if q > One || q.Mul(b) > a {
				t.Fatalf("%d/%d = %d too large", a, b, q)
			}
		}
	})
}

func TestSigmoid(t *testing.T) {
	tests := []struct {
		z    string
		want float64
	}{
		{"0", 0.5},
		{"-5", 0.0066928509242848554},
		{"5", 0.9933071490757153},
		{"-3.987", 0.01821726975083998},
		{"20", 0.9999999979388463},
		{"-20", 2.0611536181902037e-09},
		{"-1000", 2.0611536181902037e-09}, // exponent clamped to -20
		{"1000", 0.9999999979388463},
	}
	for _, tc := range tests {
		got := toFloat(Sigmoid(mustParse(t, tc.z)))
		if math.Abs(got-tc.want) > 1e-6 && math.Abs(got-tc.want) > 1e-6*tc.want {
			t.Errorf("Sigmoid(%s) = %.12f, want %.12f", tc.z, got, tc.want)
		}
	}
	// Accuracy against float64 over the whole range (tests only).
	rapid.Check(t, func(t *rapid.T) {
		z := Fixed(rapid.Int64Range(-int64(FromInt(25)), int64(FromInt(25))).Draw(t, "z"))
		zc := math.Max(-20, math.Min(20, toFloat(z)))
		want := 1 / (1 + math.Exp(-zc))
		if got := toFloat(Sigmoid(z)); math.Abs(got-want) > 2.0/float64(One) {
			t.Fatalf("Sigmoid(%s) = %.12f, want %.12f", z, got, want)
		}
	})
}

var sinkFixed Fixed

// Compare with math.LegacyDec on the same machine (package doc): x·y/y and
// acc += x·y.
func BenchmarkFixedMulDiv(b *testing.B) {
	x, y := mustParse(b, "0.123456789"), mustParse(b, "0.987654321")
	for b.Loop() {
		sinkFixed = x.Mul(y).Div(y)
	}
}

func BenchmarkFixedMulAdd(b *testing.B) {
	x, y := mustParse(b, "0.123456789"), mustParse(b, "0.987654321")
	var acc Fixed
	for b.Loop() {
		acc = acc.Add(x.Mul(y))
	}
	sinkFixed = acc
}

func BenchmarkSigmoid(b *testing.B) {
	z := mustParse(b, "-3.987")
	for b.Loop() {
		sinkFixed = Sigmoid(z)
	}
}
