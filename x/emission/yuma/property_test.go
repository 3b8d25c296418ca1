package yuma

import (
	"reflect"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// genParams draws valid parameters.
func genParams(t *rapid.T) Params {
	unit := func(name string) Fixed { return Fixed(rapid.Int64Range(0, int64(One)).Draw(t, name)) }
	p := Params{
		Kappa:                 unit("kappa"),
		BondsMovingAverage:    unit("bma"),
		BondsPenalty:          unit("penalty"),
		MaxValidators:         rapid.IntRange(1, 8).Draw(t, "maxValidators"),
		ActivityCutoff:        rapid.Uint64Range(0, 20).Draw(t, "cutoff"),
		LiquidAlpha:           rapid.Bool().Draw(t, "liquid"),
		AlphaSigmoidSteepness: Fixed(rapid.Int64Range(0, int64(FromInt(3000))).Draw(t, "steepness")),
		MinValidatorStake:     rapid.Uint64Range(0, 3).Draw(t, "minStake"),
	}
	a, b := unit("alphaA"), unit("alphaB")
	p.AlphaLow, p.AlphaHigh = min(a, b), max(a, b)
	return p
}

// genInput draws a valid epoch input with n UIDs. With distinct set, the
// non-zero stakes are distinct, so permits do not depend on UID order.
func genInput(t *rapid.T, distinct bool) Input {
	n := rapid.IntRange(1, 16).Draw(t, "n")
	var stake []uint64
	if distinct {
		stake = rapid.SliceOfNDistinct(rapid.Uint64Range(0, 1<<40), n, n, rapid.ID).Draw(t, "stake")
	} else {
		stake = rapid.SliceOfN(rapid.SampledFrom([]uint64{0, 1, 2, 5, 1 << 40, 1<<64 - 1}), n, n).Draw(t, "stake")
	}
	in := Input{
		Block:          rapid.Uint64Range(10, 30).Draw(t, "block"),
		Stake:          stake,
		PrevPermit:     rapid.SliceOfN(rapid.Bool(), n, n).Draw(t, "prevPermit"),
		Weights:        make([][]Weight, n),
		Bonds:          make([][]Entry, n),
		RegisteredAt:   rapid.SliceOfN(rapid.Uint64Range(0, 12), n, n).Draw(t, "registeredAt"),
		LastUpdate:     rapid.SliceOfN(rapid.Uint64Range(0, 30), n, n).Draw(t, "lastUpdate"),
		LastEpochBlock: rapid.Uint64Range(0, 10).Draw(t, "lastEpoch"),
		Params:         genParams(t),
	}
	uids := rapid.SliceOfDistinct(rapid.Uint16Range(0, uint16(n-1)), rapid.ID)
	for i := range n {
		for _, j := range sortedUIDs(uids.Draw(t, "weightUIDs")) {
			in.Weights[i] = append(in.Weights[i], Weight{j, rapid.Uint16().Draw(t, "w")})
		}
		for _, j := range sortedUIDs(uids.Draw(t, "bondUIDs")) {
			in.Bonds[i] = append(in.Bonds[i], Entry{j, Fixed(rapid.Int64Range(0, int64(One)).Draw(t, "b"))})
		}
	}
	return in
}

func sortedUIDs(u []uint16) []uint16 { slices.Sort(u); return u }

// checkNormalised: all zero, or every element in [0, 1] with a sum in
// (1 − n·2^-32, 1].
func checkNormalised(t *rapid.T, name string, v []Fixed) {
	var s int64
	for i, x := range v {
		if x < 0 || x > One {
			t.Fatalf("%s[%d] = %s outside [0, 1]", name, i, x)
		}
		s += int64(x)
	}
	if s != 0 && (s > int64(One) || s <= int64(One)-int64(len(v))) {
		t.Fatalf("Σ%s = %s, want 1 or 0", name, Fixed(s))
	}
}

func TestPropertyOutputsNormalisedAndBounded(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genInput(t, false)
		out, err := Epoch(in)
		if err != nil {
			t.Fatal(err)
		}
		checkNormalised(t, "stake", out.Stake)
		checkNormalised(t, "active_stake", out.ActiveStake)
		checkNormalised(t, "incentive", out.Incentive)
		checkNormalised(t, "dividends", out.Dividends)
		checkNormalised(t, "validator_shares", out.ValidatorShares)
		// No incentive, no dividends (the converse fails only when α = 0).
		if isZero(out.Incentive) && !isZero(out.Dividends) {
			t.Fatal("dividends without incentive")
		}
		if out.Fallback != isZero(out.Incentive) {
			t.Fatal("fallback flag disagrees with ΣI")
		}
		for j := range out.Consensus {
			if out.Consensus[j] < 0 || out.Consensus[j] > One || out.ValidatorTrust[j] < 0 || out.ValidatorTrust[j] > One {
				t.Fatalf("consensus/trust out of range at %d", j)
			}
		}
		for i, row := range out.Bonds {
			if len(row) > 0 && !out.Permit[i] {
				t.Fatalf("bonds kept for UID %d without permit", i)
			}
			for k, e := range row {
				if e.Value <= 0 || e.Value > One || (k > 0 && row[k-1].UID >= e.UID) {
					t.Fatalf("bonds[%d][%d] = %+v", i, k, e)
				}
			}
		}
		permits := 0
		for i, p := range out.Permit {
			if p {
				permits++
				if in.Stake[i] == 0 || in.Stake[i] < in.Params.MinValidatorStake {
					t.Fatalf("permit for UID %d with stake %d", i, in.Stake[i])
				}
			}
		}
		if permits > in.Params.MaxValidators {
			t.Fatalf("%d permits > max %d", permits, in.Params.MaxValidators)
		}
		// Feeding the output back is always valid input.
		in.PrevPermit, in.Bonds = out.Permit, out.Bonds
		if _, err := Epoch(in); err != nil {
			t.Fatalf("second epoch: %v", err)
		}
	})
}

func TestPropertyDeterministic(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genInput(t, false)
		a, errA := Epoch(in)
		b, errB := Epoch(in)
		if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(errA, errB) {
			t.Fatal("two runs differ")
		}
	})
}

func TestPropertyPermutationEquivariant(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genInput(t, true)
		n := len(in.Stake)
		perm := rapid.Permutation(seq(n)).Draw(t, "perm") // new UID of old UID i
		pin := permuteInput(in, perm)
		a, err := Epoch(in)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Epoch(pin)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(permuteOutput(a, perm), b) {
			t.Fatalf("permuted outputs differ:\n%+v\n%+v", permuteOutput(a, perm), b)
		}
	})
}

func seq(n int) []uint16 {
	s := make([]uint16, n)
	for i := range s {
		s[i] = uint16(i)
	}
	return s
}

func permuteVec[T any](v []T, perm []uint16) []T {
	out := make([]T, len(v))
	for i, x := range v {
		out[perm[i]] = x
	}
	return out
}

func permuteRows[T any](rows [][]T, perm []uint16, uid func(*T) *uint16) [][]T {
	if rows == nil {
		return nil
	}
	out := make([][]T, len(rows))
	for i, row := range rows {
		var r []T
		for _, e := range row {
			*uid(&e) = perm[*uid(&e)]
			r = append(r, e)
		}
		slices.SortFunc(r, func(a, b T) int { return int(*uid(&a)) - int(*uid(&b)) })
		out[perm[i]] = r
	}
	return out
}

func weightUID(w *Weight) *uint16 { return &w.UID }
func entryUID(e *Entry) *uint16   { return &e.UID }

func permuteInput(in Input, perm []uint16) Input {
	out := in
	out.Stake = permuteVec(in.Stake, perm)
	out.PrevPermit = permuteVec(in.PrevPermit, perm)
	out.RegisteredAt = permuteVec(in.RegisteredAt, perm)
	out.LastUpdate = permuteVec(in.LastUpdate, perm)
	out.Weights = permuteRows(in.Weights, perm, weightUID)
	out.Bonds = permuteRows(in.Bonds, perm, entryUID)
	return out
}

func permuteOutput(o Output, perm []uint16) Output {
	bonds := permuteRows(o.Bonds, perm, entryUID)
	return Output{
		Stake:           permuteVec(o.Stake, perm),
		Active:          permuteVec(o.Active, perm),
		ActiveStake:     permuteVec(o.ActiveStake, perm),
		Consensus:       permuteVec(o.Consensus, perm),
		ValidatorTrust:  permuteVec(o.ValidatorTrust, perm),
		Incentive:       permuteVec(o.Incentive, perm),
		Dividends:       permuteVec(o.Dividends, perm),
		ValidatorShares: permuteVec(o.ValidatorShares, perm),
		Fallback:        o.Fallback,
		Bonds:           bonds,
		Permit:          permuteVec(o.Permit, perm),
	}
}

// A validator whose stake cannot move consensus on its own (S_v < κ ≤ the
// honest stake) gets the most dividends by submitting the honest weights:
// any deviation lowers its share. Holds with bonds_penalty 1, from a
// symmetric bond history (all validators holding the same bonds), with and
// without liquid alpha (DESIGN §5 steps 4–8).
func TestPropertyDeviationNeverPays(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		honest := rapid.IntRange(1, 4).Draw(t, "honest")
		miners := rapid.IntRange(1, 6).Draw(t, "miners")
		v := honest // the deviating validator's UID
		n := honest + 1 + miners
		stake := make([]uint64, n)
		var hs uint64
		for i := range honest {
			stake[i] = rapid.Uint64Range(1, 1000).Draw(t, "honestStake")
			hs += stake[i]
		}
		// S_v < S_honest, so S_v < κ = 0.5 < S_honest.
		if hs == 1 {
			stake[0], hs = 3, 3
		}
		stake[v] = rapid.Uint64Range(1, hs-1).Draw(t, "devStake")
		p := DefaultParams()
		p.Kappa = Half
		p.BondsPenalty = One
		// α ≥ 0.01, weights either 0 or ≥ 256/65535 of the top weight, bonds
		// 0 or ≥ 1e-3: bonds far above the 2^-32 resolution, so rounding
		// cannot pass for a gain (with bonds of a few ulps it could).
		p.BondsMovingAverage = Fixed(rapid.Int64Range(0, int64(mustDecimal("0.99"))).Draw(t, "bma"))
		p.LiquidAlpha = rapid.Bool().Draw(t, "liquid")
		p.AlphaLow, p.AlphaHigh = mustDecimal("0.1"), mustDecimal("0.3")

		row := func(label string) []Weight {
			var r []Weight
			for j := range miners {
				w := rapid.Uint16Range(0, 65535).Draw(t, label)
				if w < 256 {
					w = 0
				}
				r = append(r, Weight{uint16(honest + 1 + j), w})
			}
			return r
		}
		h := row("honest")
		x := row("deviant")
		history := make([]Entry, 0, miners)
		for j := range miners {
			b := Fixed(rapid.Int64Range(0, int64(One)).Draw(t, "bond"))
			if b >= mustDecimal("0.001") {
				history = append(history, Entry{uint16(honest + 1 + j), b})
			}
		}
		in := Input{
			Block:        10,
			Stake:        stake,
			PrevPermit:   make([]bool, n),
			Weights:      make([][]Weight, n),
			Bonds:        make([][]Entry, n),
			RegisteredAt: make([]uint64, n),
			LastUpdate:   make([]uint64, n),
			Params:       p,
		}
		for i := range n {
			in.LastUpdate[i] = 10
		}
		for i := 0; i <= honest; i++ {
			in.PrevPermit[i] = true
			in.Weights[i] = h
			in.Bonds[i] = history
		}
		follow, err := Epoch(in)
		if err != nil {
			t.Fatal(err)
		}
		in.Weights[v] = x
		deviate, err := Epoch(in)
		if err != nil {
			t.Fatal(err)
		}
		tolerance := mustDecimal("0.000001") // rounding, ~4300 ulps
		if deviate.Dividends[v] > follow.Dividends[v]+tolerance {
			t.Fatalf("deviating paid: %s > %s (stake %v)", deviate.Dividends[v], follow.Dividends[v], stake)
		}
	})
}

// kappaQuantile (weighted quickselect) agrees with the definition evaluated
// by brute force: the largest c among the votes with Σ stake·[w ≥ c] ≥ thr.
func TestPropertyKappaQuantileMatchesDefinition(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := rapid.IntRange(0, 30).Draw(t, "m")
		stake := make([]Fixed, m)
		col := make([]uint64, m)
		values := rapid.SliceOfN(rapid.SampledFrom([]Fixed{1, Half / 2, Half, One - 1, One}), m, m).Draw(t, "values")
		for i := range m {
			stake[i] = Fixed(rapid.Int64Range(0, int64(One)).Draw(t, "stake"))
			col[i] = uint64(values[i])<<16 | uint64(i)
		}
		thr := Fixed(rapid.Int64Range(0, int64(FromInt(int64(m+1)))).Draw(t, "threshold"))
		want := Fixed(0)
		for _, c := range values {
			var s Fixed
			for i, v := range values {
				if v >= c {
					s += stake[i]
				}
			}
			if s >= thr && c > want {
				want = c
			}
		}
		if got := kappaQuantile(col, stake, thr); got != want {
			t.Fatalf("kappaQuantile = %s, want %s", got, want)
		}
	})
}
