package schedule

import (
	"math/big"
	"testing"

	"pgregory.net/rapid"
)

func TestBlockRewardHalvesAtFractionsOfTheCap(t *testing.T) {
	cap, r0 := SupplyCap, InitialReward
	for _, tc := range []struct {
		issued uint64
		want   uint64
	}{
		{0, r0},
		{cap/2 - 1, r0},
		{cap / 2, r0 / 2},
		{cap*3/4 - 1, r0 / 2},
		{cap * 3 / 4, r0 / 4},
		{cap - cap/8, r0 / 8},
		{cap - 1, 0}, // 44 halvings: r0 >> 44 == 0
		{cap, 0},
		{cap + 5, 0},
	} {
		if got := BlockReward(tc.issued, cap, r0); got != tc.want {
			t.Fatalf("issued %d: reward %d, want %d", tc.issued, got, tc.want)
		}
	}
}

// The exponent equals floor(log2(cap/remaining)) computed with big.Int.
func TestHalvingsMatchesBigIntDefinition(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		cap := rapid.Uint64Range(1, SupplyCap*1000).Draw(rt, "cap")
		issued := rapid.Uint64Range(0, cap-1).Draw(rt, "issued")
		remaining := cap - issued
		// largest k with remaining·2^k ≤ cap
		want := uint(0)
		for {
			lhs := new(big.Int).Lsh(new(big.Int).SetUint64(remaining), want+1)
			if lhs.Cmp(new(big.Int).SetUint64(cap)) > 0 {
				break
			}
			want++
		}
		if got := Halvings(issued, cap); got != want {
			rt.Fatalf("Halvings(%d, %d) = %d, want %d", issued, cap, got, want)
		}
	})
}

// Minting block after block never exceeds the cap and the reward never rises.
func TestIssuanceNeverExceedsCap(t *testing.T) {
	cap, r0 := uint64(1_000_000), uint64(4096)
	issued, last := uint64(0), r0
	for i := 0; i < 100_000 && issued < cap; i++ {
		r := BlockReward(issued, cap, r0)
		if r > last {
			t.Fatalf("reward rose from %d to %d at issued %d", last, r, issued)
		}
		if r == 0 {
			break
		}
		last = r
		issued += r
		if issued > cap {
			t.Fatalf("issued %d over cap %d", issued, cap)
		}
	}
	if issued < cap/2 {
		t.Fatalf("issued only %d", issued)
	}
}

func TestNextHalving(t *testing.T) {
	th, at, ok := NextHalving(0, SupplyCap, InitialReward, 100)
	if !ok || th != SupplyCap/2 || at != 100+int64(SupplyCap/2/InitialReward) {
		t.Fatalf("got %d %d %v", th, at, ok)
	}
	if BlockReward(th, SupplyCap, InitialReward) != InitialReward/2 || BlockReward(th-1, SupplyCap, InitialReward) != InitialReward {
		t.Fatal("threshold is not where the reward halves")
	}
	if _, _, ok := NextHalving(SupplyCap, SupplyCap, InitialReward, 1); ok {
		t.Fatal("no halving after the cap")
	}
}

func TestISqrt(t *testing.T) {
	for _, x := range []uint64{0, 1, 2, 3, 4, 15, 16, 17, 1 << 62, ^uint64(0)} {
		r := ISqrt(x)
		if r*r > x || (r+1 <= 1<<32-1 && (r+1)*(r+1) <= x) {
			t.Fatalf("ISqrt(%d) = %d", x, r)
		}
	}
	rapid.Check(t, func(rt *rapid.T) {
		x := rapid.Uint64().Draw(rt, "x")
		r := new(big.Int).Sqrt(new(big.Int).SetUint64(x)).Uint64()
		if got := ISqrt(x); got != r {
			rt.Fatalf("ISqrt(%d) = %d, want %d", x, got, r)
		}
	})
}

func TestSplitConservesAndIsProRata(t *testing.T) {
	parts, rem := Split(1000, []uint64{1, 1, 1})
	if parts[0] != 333 || parts[1] != 333 || parts[2] != 333 || rem != 1 {
		t.Fatalf("got %v rem %d", parts, rem)
	}
	parts, rem = Split(1000, []uint64{0, 0})
	if parts[0] != 0 || rem != 1000 {
		t.Fatalf("no weight: %v %d", parts, rem)
	}
	rapid.Check(t, func(rt *rapid.T) {
		amount := rapid.Uint64Range(0, SupplyCap).Draw(rt, "amount")
		ws := rapid.SliceOfN(rapid.Uint64Range(0, 1<<40), 0, 40).Draw(rt, "weights")
		parts, rem := Split(amount, ws)
		if len(parts) != len(ws) {
			rt.Fatalf("%d parts for %d weights", len(parts), len(ws))
		}
		var sum, total uint64
		for _, w := range ws {
			total += w
		}
		for i, p := range parts {
			sum += p
			if ws[i] == 0 && p != 0 {
				rt.Fatalf("zero weight got %d", p)
			}
			// Pro rata, by the big-number definition: floor(amount·w / Σw).
			want := new(big.Int).Mul(new(big.Int).SetUint64(amount), new(big.Int).SetUint64(ws[i]))
			if total > 0 {
				want.Quo(want, new(big.Int).SetUint64(total))
			} else {
				want.SetUint64(0)
			}
			if p != want.Uint64() {
				rt.Fatalf("part %d = %d, want floor(%d·%d/%d) = %s", i, p, amount, ws[i], total, want)
			}
		}
		if sum+rem != amount {
			rt.Fatalf("not conserved: %d + %d != %d", sum, rem, amount)
		}
		if total > 0 && rem >= uint64(len(ws)) && len(ws) > 0 {
			rt.Fatalf("remainder %d not below the number of parts %d", rem, len(ws))
		}
	})
}

func TestSubnetWeights(t *testing.T) {
	w, ok := SubnetWeights(RuleSqrtStake, []uint64{0, 100, 10000})
	if !ok || w[0] != 0 || w[1] != 10 || w[2] != 100 {
		t.Fatalf("sqrt: %v", w)
	}
	w, ok = SubnetWeights(RuleEqual, []uint64{0, 5, 7})
	if !ok || w[0] != 0 || w[1] != 1 || w[2] != 1 {
		t.Fatalf("equal: %v", w)
	}
	if _, ok := SubnetWeights("bogus", []uint64{1}); ok {
		t.Fatal("unknown rule accepted")
	}
}

func TestBlockRewardIsTrimmedToWhatRemains(t *testing.T) {
	if got := BlockReward(0, 10, 100); got != 10 {
		t.Fatalf("got %d, want the 10 that remain", got)
	}
	if got := BlockReward(8, 10, 8); got != 2 {
		t.Fatalf("got %d, want 2", got)
	}
}
