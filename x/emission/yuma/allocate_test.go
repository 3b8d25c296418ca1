package yuma

import (
	"math"
	"math/big"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

func TestAllocate(t *testing.T) {
	third := One / 3
	tests := []struct {
		name   string
		amount uint64
		shares []Fixed
		parts  []uint64
		rem    uint64
	}{
		{"halves", 10, []Fixed{Half, Half}, []uint64{5, 5}, 0},
		{"odd amount ties go to lower index", 11, []Fixed{Half, Half}, []uint64{6, 5}, 0},
		{"thirds", 100, []Fixed{third, third, third}, []uint64{34, 33, 33}, 0},
		{"largest remainder wins", 10, []Fixed{FromRatio(15, 100), FromRatio(85, 100)}, []uint64{1, 9}, 0},
		{"largest remainder beats index", 7, []Fixed{FromRatio(1, 10), FromRatio(9, 10)}, []uint64{1, 6}, 0},
		{"unnormalised shares", 9, []Fixed{FromInt(1), FromInt(2)}, []uint64{3, 6}, 0},
		{"negative counts as zero", 9, []Fixed{-One, One}, []uint64{0, 9}, 0},
		{"all zero keeps remainder", 9, []Fixed{0, 0}, []uint64{0, 0}, 9},
		{"empty", 5, nil, []uint64{}, 5},
		{"max amount", math.MaxUint64, []Fixed{Half, Half}, []uint64{1 << 63, 1<<63 - 1}, 0},
		{"huge shares (128-bit sum)", 10, []Fixed{MaxFixed, MaxFixed, MaxFixed}, []uint64{4, 3, 3}, 0},
	}
	for _, tc := range tests {
		parts, rem := Allocate(tc.amount, tc.shares)
		if !slices.Equal(parts, tc.parts) || rem != tc.rem {
			t.Errorf("%s: Allocate = %v, %d; want %v, %d", tc.name, parts, rem, tc.parts, tc.rem)
		}
	}
}

func TestAllocateProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		amount := rapid.Uint64().Draw(t, "amount")
		large := rapid.Bool().Draw(t, "large")
		hi := int64(One)
		if large {
			hi = math.MaxInt64
		}
		raw := rapid.SliceOfN(rapid.Int64Range(-int64(One), hi), 0, 40).Draw(t, "shares")
		shares := make([]Fixed, len(raw))
		anyPositive := false
		for i, r := range raw {
			shares[i] = Fixed(r)
			anyPositive = anyPositive || r > 0
		}
		parts, rem := Allocate(amount, shares)
		var total uint64
		for i, p := range parts {
			total += p
			if shares[i] <= 0 && p != 0 {
				t.Fatalf("part %d = %d for non-positive share", i, p)
			}
		}
		if total+rem != amount {
			t.Fatalf("Σparts %d + remainder %d != %d", total, rem, amount)
		}
		if anyPositive && rem != 0 {
			t.Fatalf("remainder %d with positive shares", rem)
		}
		// Each part is floor or ceil of its exact share amount·s/Σs.
		sum := new(big.Int)
		for _, s := range shares {
			if s > 0 {
				sum.Add(sum, big.NewInt(int64(s)))
			}
		}
		for i, s := range shares {
			if s <= 0 {
				continue
			}
			exact := new(big.Int).Mul(new(big.Int).SetUint64(amount), big.NewInt(int64(s)))
			floor := exact.Quo(exact, sum)
			p := new(big.Int).SetUint64(parts[i])
			if d := p.Sub(p, floor); d.Sign() < 0 || d.Cmp(big.NewInt(1)) > 0 {
				t.Fatalf("part %d = %d, exact floor %s", i, parts[i], floor)
			}
		}
		if !anyPositive && rem != amount {
			t.Fatalf("remainder %d, want the whole %d", rem, amount)
		}
		p2, r2 := Allocate(amount, shares)
		if !slices.Equal(parts, p2) || rem != r2 {
			t.Fatal("not deterministic")
		}
	})
}
