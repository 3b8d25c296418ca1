package yuma

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

// fx builds a Fixed from a decimal literal (tests only).
func fx(t testing.TB, s string) Fixed { return mustParse(t, s) }

func near(a, b Fixed, ulps int64) bool {
	d := int64(a - b)
	return d <= ulps && d >= -ulps
}

// baseInput: UIDs 0..v-1 are validators with the given stakes and a previous
// permit, the rest are miners; everyone registered at 0 and updated at 10,
// the epoch runs at block 10.
func baseInput(stakes []uint64, validators int) Input {
	n := len(stakes)
	in := Input{
		Block:        10,
		Stake:        stakes,
		PrevPermit:   make([]bool, n),
		Weights:      make([][]Weight, n),
		RegisteredAt: make([]uint64, n),
		LastUpdate:   make([]uint64, n),
		Params:       DefaultParams(),
	}
	for i := range n {
		in.LastUpdate[i] = 10
		in.PrevPermit[i] = i < validators
	}
	return in
}

func run(t *testing.T, in Input) Output {
	t.Helper()
	out, err := Epoch(in)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestActivityCutoff(t *testing.T) {
	in := baseInput([]uint64{1, 1, 1, 0}, 3)
	in.Params.ActivityCutoff = 100
	in.Block = 200
	in.LastUpdate = []uint64{100, 99, 150, 0} // 100+100 ≥ 200 active, 99 not
	out := run(t, in)
	if want := []bool{true, false, true, false}; !slices.Equal(out.Active, want) {
		t.Fatalf("active = %v, want %v", out.Active, want)
	}
	if out.ActiveStake[1] != 0 || out.ActiveStake[0] != Half || out.ActiveStake[2] != Half {
		t.Fatalf("active stake = %v", out.ActiveStake)
	}
	// A cutoff that would overflow saturates instead of wrapping.
	in.Params.ActivityCutoff = math.MaxUint64
	if out := run(t, in); !out.Active[1] {
		t.Fatal("saturating cutoff: UID 1 should be active")
	}
}

func TestPermits(t *testing.T) {
	tests := []struct {
		name     string
		stakes   []uint64
		k        int
		minStake uint64
		want     []bool
	}{
		{"top k", []uint64{5, 9, 7, 1}, 2, 0, []bool{false, true, true, false}},
		{"ties to higher UID", []uint64{5, 5, 5, 5}, 2, 0, []bool{false, false, true, true}},
		{"zero stake never", []uint64{0, 3, 0, 0}, 3, 0, []bool{false, true, false, false}},
		{"fewer than k", []uint64{1, 2}, 64, 0, []bool{true, true}},
		{"stake threshold", []uint64{10, 4, 6, 5}, 3, 5, []bool{true, false, true, true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := baseInput(tc.stakes, 0)
			in.Params.MaxValidators = tc.k
			in.Params.MinValidatorStake = tc.minStake
			out := run(t, in)
			if !slices.Equal(out.Permit, tc.want) {
				t.Fatalf("permits = %v, want %v", out.Permit, tc.want)
			}
		})
	}
	// The threshold also removes stake from S (subtensor's filtered stake).
	in := baseInput([]uint64{10, 4, 6}, 0)
	in.Params.MinValidatorStake = 5
	out := run(t, in)
	if out.Stake[1] != 0 || !near(out.Stake[0], FromRatio(10, 16), 1) {
		t.Fatalf("stake = %v", out.Stake)
	}
}

func TestWeightMasking(t *testing.T) {
	// Validators 0, 1 (previous permit) and 2 (none); miners 3, 4.
	in := baseInput([]uint64{1, 1, 1, 0, 0}, 2)
	in.Weights[0] = []Weight{{0, 100}, {3, 100}, {4, 300}} // self-weight dropped
	in.Weights[1] = []Weight{{3, 1}}
	in.Weights[2] = []Weight{{4, 65535}} // no previous permit: dropped
	w := maskedWeights(&in)
	cols, vals := w.row(0)
	if !slices.Equal(cols, []uint16{3, 4}) || vals[0] != One/4 || vals[1] != 3*One/4 {
		t.Fatalf("row 0 = %v %v", cols, vals)
	}
	if cols, _ := w.row(2); len(cols) != 0 {
		t.Fatalf("row 2 kept without permit: %v", cols)
	}
	// Outdated: UID 4 registered at block 10, row 0 last updated at 10 ≤ 10.
	in.RegisteredAt[4] = 10
	w = maskedWeights(&in)
	if cols, vals := w.row(0); !slices.Equal(cols, []uint16{3}) || vals[0] != One {
		t.Fatalf("outdated weight kept: %v %v", cols, vals)
	}
	in.LastUpdate[0] = 11
	w = maskedWeights(&in)
	if cols, _ := w.row(0); len(cols) != 2 {
		t.Fatalf("weight set after registration dropped: %v", cols)
	}
}

func TestConsensusMedian(t *testing.T) {
	// One column, three voters with stakes 0.5, 0.3, 0.2 voting 0.9, 0.5, 0.1
	// and a fourth voter (0 stake) voting 1.
	w := &csr{
		start: []int32{0, 1, 2, 3, 4, 4},
		cols:  []uint16{4, 4, 4, 4},
	}
	w.vals = []Fixed{fx(t, "0.9"), fx(t, "0.5"), fx(t, "0.1"), One}
	sAct := []Fixed{fx(t, "0.5"), fx(t, "0.3"), fx(t, "0.2"), 0, 0}
	tests := []struct{ kappa, want string }{
		{"0", "0.9"},    // largest vote by a staked voter
		{"0.5", "0.9"},  // 0.5 of stake at ≥ 0.9
		{"0.51", "0.5"}, // needs the 0.3 voter too
		{"0.8", "0.5"},
		{"0.81", "0.1"},
		{"1", "0.1"},
	}
	for _, tc := range tests {
		c := consensus(w, sAct, fx(t, tc.kappa), 5)
		if c[4] != fx(t, tc.want) {
			t.Errorf("kappa %s: C = %s, want %s", tc.kappa, c[4], tc.want)
		}
	}
	// A voter without an entry votes 0: only 0.5+... of the stake votes > 0.
	w2 := &csr{start: []int32{0, 1, 1, 1, 1, 1}, cols: []uint16{4}, vals: []Fixed{fx(t, "0.7")}}
	if c := consensus(w2, sAct, fx(t, "0.6"), 5); c[4] != 0 {
		t.Errorf("C = %s, want 0", c[4])
	}
	if c := consensus(w2, sAct, fx(t, "0.5"), 5); c[4] != fx(t, "0.7") {
		t.Errorf("C = %s, want 0.7", c[4])
	}
	// No active stake: all zero.
	if c := consensus(w, make([]Fixed, 5), Half, 5); !isZero(c) {
		t.Errorf("C = %v without stake", c)
	}
}

func TestClipTrustIncentive(t *testing.T) {
	// Validators 0 (stake 3) and 1 (stake 1) weight miners 2 and 3.
	in := baseInput([]uint64{3, 1, 0, 0}, 2)
	in.Weights[0] = []Weight{{2, 3}, {3, 1}} // 0.75, 0.25
	in.Weights[1] = []Weight{{2, 1}, {3, 3}} // 0.25, 0.75
	out := run(t, in)
	// κ=0.5: C2 = 0.75 (validator 0 has 0.75 ≥ 0.5), C3 = 0.25.
	if out.Consensus[2] != 3*One/4 || out.Consensus[3] != One/4 {
		t.Fatalf("consensus = %v", out.Consensus)
	}
	// Validator 1 is clipped on miner 3: VT = 0.25 + 0.25.
	if out.ValidatorTrust[0] != One || out.ValidatorTrust[1] != Half {
		t.Fatalf("trust = %v", out.ValidatorTrust)
	}
	// R2 = 0.75·0.75 + 0.25·0.25 = 0.625, R3 = 0.25·0.75 + 0.25·0.25 = 0.25.
	if !near(out.Incentive[2], FromRatio(625, 875), 2) || !near(out.Incentive[3], FromRatio(250, 875), 2) {
		t.Fatalf("incentive = %v", out.Incentive)
	}
	if out.Fallback || !slices.Equal(out.ValidatorShares, out.Dividends) {
		t.Fatal("validator shares should be the dividends")
	}
}

func TestBondsPenaltyAndEMA(t *testing.T) {
	in := baseInput([]uint64{3, 1, 0, 0}, 2)
	in.Weights[0] = []Weight{{2, 3}, {3, 1}}
	in.Weights[1] = []Weight{{2, 1}, {3, 3}}
	in.Params.BondsMovingAverage = fx(t, "0.9") // α = 0.1
	in.Bonds = [][]Entry{{{3, Half}}, nil, nil, nil}
	for _, tc := range []struct {
		beta string
		want Fixed // B'_{1,3}: 0.1·(0.75 − β·0.5)
	}{
		{"0", fx(t, "0.075")},
		{"1", fx(t, "0.025")},
		{"0.5", fx(t, "0.05")},
	} {
		in.Params.BondsPenalty = fx(t, tc.beta)
		out := run(t, in)
		if got := bondAt(out.Bonds[1], 3); !near(got, tc.want, 4) {
			t.Errorf("beta %s: B'[1][3] = %s, want %s", tc.beta, got, tc.want)
		}
		// Row 0: B'[0][3] = 0.1·0.25 + 0.9·0.5; B'[0][2] = 0.1·0.75.
		if got := bondAt(out.Bonds[0], 3); !near(got, fx(t, "0.475"), 4) {
			t.Errorf("beta %s: B'[0][3] = %s", tc.beta, got)
		}
	}
	// A bond whose weight is now zero decays instead of vanishing.
	in.Weights[0] = []Weight{{2, 1}}
	out := run(t, in)
	if got := bondAt(out.Bonds[0], 3); !near(got, fx(t, "0.45"), 4) {
		t.Errorf("decayed bond = %s, want 0.45", got)
	}
}

func TestLiquidAlpha(t *testing.T) {
	p := DefaultParams()
	p.LiquidAlpha = true
	p.AlphaLow, p.AlphaHigh = fx(t, "0.1"), fx(t, "0.3")
	alpha := bondAlpha(&p, []Fixed{Half})
	sig := func(x float64) float64 { return 1 / (1 + math.Exp(-10*(x-0.5))) }
	tests := []struct {
		w, b, c string
		x       float64 // the distance the formula must use
	}{
		{"0.8", "0.1", "0.5", 0.3}, // buying: w ≥ b, x = w − c
		{"0.4", "0.1", "0.5", 0},   // below consensus: clamped to 0
		{"0.1", "0.6", "0.5", 0.5}, // selling: x = b − w
		{"0", "1", "0", 1},
	}
	for _, tc := range tests {
		got := toFloat(alpha(fx(t, tc.w), fx(t, tc.b), fx(t, tc.c)))
		want := 0.1 + sig(tc.x)*0.2
		if math.Abs(got-want) > 1e-8 {
			t.Errorf("alpha(w=%s, b=%s, c=%s) = %.9f, want %.9f", tc.w, tc.b, tc.c, got, want)
		}
	}
	// All-zero consensus falls back to 1 − bonds_moving_average.
	if a := bondAlpha(&p, []Fixed{0, 0})(One, 0, 0); a != One.Sub(p.BondsMovingAverage) {
		t.Errorf("zero consensus alpha = %s", a)
	}
	p.LiquidAlpha = false
	if a := bondAlpha(&p, []Fixed{Half})(One, 0, 0); a != One.Sub(p.BondsMovingAverage) {
		t.Errorf("disabled alpha = %s", a)
	}
}

func TestBondResetForNewRegistration(t *testing.T) {
	in := baseInput([]uint64{1, 0, 0}, 1)
	in.Weights[0] = []Weight{{1, 1}, {2, 1}}
	in.LastUpdate[0] = 10
	in.Bonds = [][]Entry{{{1, Half}, {2, Half}}, nil, nil}
	in.LastEpochBlock = 5
	in.RegisteredAt[2] = 6 // registered since the last epoch
	out := run(t, in)
	alpha := One.Sub(in.Params.BondsMovingAverage)
	w := Half
	if got, want := bondAt(out.Bonds[0], 2), alpha.Mul(w); got != want {
		t.Errorf("reset bond = %s, want α·w = %s", got, want)
	}
	if got, want := bondAt(out.Bonds[0], 1), alpha.Mul(w).Add(One.Sub(alpha).Mul(Half)); got != want {
		t.Errorf("kept bond = %s, want %s", got, want)
	}
	in.RegisteredAt[2] = 5 // registered at the last epoch's block: kept
	if out := run(t, in); bondAt(out.Bonds[0], 2) == alpha.Mul(w) {
		t.Error("bond of a UID registered at the last epoch block was reset")
	}
}

func TestDividendsFollowBonds(t *testing.T) {
	// Two equal validators; only validator 0 holds old bonds on miner 2.
	in := baseInput([]uint64{1, 1, 0}, 2)
	in.Weights[0] = []Weight{{2, 1}}
	in.Weights[1] = []Weight{{2, 1}}
	in.Bonds = [][]Entry{{{2, Half}}, nil, nil}
	out := run(t, in)
	// B'0 = 0.1 + 0.9·0.5 = 0.55, B'1 = 0.1: D ∝ 0.5·0.55/0.65, 0.5·0.1/0.65.
	if !near(out.Dividends[0], FromRatio(55, 65), 4) || !near(out.Dividends[1], FromRatio(10, 65), 4) {
		t.Fatalf("dividends = %v", out.Dividends)
	}
}

func TestBondsClearedWithoutNewPermit(t *testing.T) {
	in := baseInput([]uint64{5, 1, 0}, 2)
	in.Params.MaxValidators = 1
	in.Weights[0] = []Weight{{2, 1}}
	in.Weights[1] = []Weight{{2, 1}}
	out := run(t, in)
	if len(out.Bonds[0]) != 1 || out.Bonds[1] != nil {
		t.Fatalf("bonds = %v", out.Bonds)
	}
	// UID 1 still earned dividends this epoch with its previous permit.
	if out.Dividends[1] == 0 {
		t.Fatal("UID 1 lost this epoch's dividends")
	}
}

func TestZeroIncentiveFallback(t *testing.T) {
	t.Run("active stake", func(t *testing.T) {
		in := baseInput([]uint64{3, 1, 4}, 2) // no weights
		out := run(t, in)
		if !out.Fallback || !slices.Equal(out.ValidatorShares, out.ActiveStake) || out.ActiveStake[2] != 0 {
			t.Fatalf("shares = %v, active stake = %v", out.ValidatorShares, out.ActiveStake)
		}
		if !isZero(out.Incentive) || !isZero(out.Dividends) {
			t.Fatal("incentive/dividends not zero")
		}
	})
	t.Run("no active stake", func(t *testing.T) {
		in := baseInput([]uint64{3, 1}, 0)
		out := run(t, in)
		if !out.Fallback || !slices.Equal(out.ValidatorShares, out.Stake) || out.Stake[0] != 3*One/4 {
			t.Fatalf("shares = %v", out.ValidatorShares)
		}
	})
	t.Run("no stake", func(t *testing.T) {
		in := baseInput([]uint64{0, 0}, 2)
		out := run(t, in)
		if !out.Fallback || !isZero(out.ValidatorShares) {
			t.Fatalf("shares = %v", out.ValidatorShares)
		}
	})
	t.Run("self weight only", func(t *testing.T) {
		in := baseInput([]uint64{1, 0}, 1)
		in.Weights[0] = []Weight{{0, 65535}}
		out := run(t, in)
		if !out.Fallback || out.ValidatorShares[0] != One {
			t.Fatalf("shares = %v", out.ValidatorShares)
		}
	})
}

func TestEpochValidation(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Input)
		field string
	}{
		{"no uids", func(in *Input) { in.Stake = nil }, "stake"},
		{"short last_update", func(in *Input) { in.LastUpdate = in.LastUpdate[:1] }, "last_update"},
		{"short registered_at", func(in *Input) { in.RegisteredAt = nil }, "registered_at"},
		{"short prev_permit", func(in *Input) { in.PrevPermit = []bool{true} }, "prev_permit"},
		{"short weights", func(in *Input) { in.Weights = in.Weights[:2] }, "weights"},
		{"long bonds", func(in *Input) { in.Bonds = make([][]Entry, 4) }, "bonds"},
		{"unknown weight uid", func(in *Input) { in.Weights[0] = []Weight{{3, 1}} }, "weights[0][0].uid"},
		{"unsorted weights", func(in *Input) { in.Weights[1] = []Weight{{2, 1}, {0, 1}} }, "weights[1][1].uid"},
		{"duplicate weights", func(in *Input) { in.Weights[1] = []Weight{{2, 1}, {2, 1}} }, "weights[1][1].uid"},
		{"unknown bond uid", func(in *Input) { in.Bonds = [][]Entry{{{9, 1}}, nil, nil} }, "bonds[0][0].uid"},
		{"bond above one", func(in *Input) { in.Bonds = [][]Entry{{{1, One + 1}}, nil, nil} }, "bonds[0][0].value"},
		{"negative bond", func(in *Input) { in.Bonds = [][]Entry{nil, nil, {{1, -1}}} }, "bonds[2][0].value"},
		{"kappa", func(in *Input) { in.Params.Kappa = One + 1 }, "params.kappa"},
		{"negative kappa", func(in *Input) { in.Params.Kappa = -1 }, "params.kappa"},
		{"bma", func(in *Input) { in.Params.BondsMovingAverage = FromInt(2) }, "params.bonds_moving_average"},
		{"penalty", func(in *Input) { in.Params.BondsPenalty = -One }, "params.bonds_penalty"},
		{"max validators", func(in *Input) { in.Params.MaxValidators = 0 }, "params.max_validators"},
		{"alpha order", func(in *Input) { in.Params.AlphaLow = One }, "params.alpha_low"},
		{"alpha high", func(in *Input) { in.Params.AlphaHigh = FromInt(2) }, "params.alpha_high"},
		{"steepness", func(in *Input) { in.Params.AlphaSigmoidSteepness = -One }, "params.alpha_sigmoid_steepness"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := baseInput([]uint64{1, 1, 1}, 3)
			tc.edit(&in)
			_, err := Epoch(in)
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tc.field || !strings.HasPrefix(err.Error(), tc.field+": ") {
				t.Fatalf("err = %v, want a FieldError for %q", err, tc.field)
			}
		})
	}
	// nil optional slices are accepted.
	in := baseInput([]uint64{1, 1}, 0)
	in.PrevPermit, in.Weights, in.Bonds = nil, nil, nil
	if _, err := Epoch(in); err != nil {
		t.Fatalf("nil optional slices: %v", err)
	}
}

func TestDefaultParams(t *testing.T) {
	p := DefaultParams()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if p.Kappa.String() != "0.5" || p.BondsMovingAverage.String() != "0.9" || p.BondsPenalty != One ||
		p.MaxValidators != 64 || p.ActivityCutoff != 5000 || p.LiquidAlpha ||
		p.AlphaLow.String() != "0.7" || p.AlphaHigh.String() != "0.9" || p.AlphaSigmoidSteepness != FromInt(1000) {
		t.Fatalf("defaults = %+v", p)
	}
}
