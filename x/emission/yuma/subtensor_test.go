package yuma

import (
	"math"
	"testing"
)

// Published Yuma 3 vectors from subtensor (pallets/subtensor/src/tests/epoch.rs):
// setup_yuma_3_scenario registers the UIDs, sets bonds_penalty 0,
// bonds_moving_average 0.975, steepness 1000, kappa u16::MAX/2, liquid alpha
// on with (alpha_low, alpha_high) = (0.1, 0.3), max validators 3, and runs a
// first epoch without weights; then each test epoch optionally sets weights
// and runs an epoch. The tests assert dividends and the validators' bonds to
// the servers to 1e-3.

type yumaVector struct {
	name        string
	stakes      []uint64
	liquidAlpha bool
	// weights[e] are the rows validators 0..2 submit before epoch e for the
	// servers 3.. (nil: keep the previous weights).
	weights   [][][]uint16
	dividends [][]float64
	bonds     [][][]float64 // bonds[e][validator][server]
}

const half16 = math.MaxUint16 / 2

var subtensorVectors = []yumaVector{
	{
		name:        "test_yuma_3_liquid_alpha_disabled",
		stakes:      []uint64{33, 33, 34, 0, 0},
		liquidAlpha: false,
		weights: [][][]uint16{
			{{65535, 0}, {65535, 0}, {65535, 0}},
			{{65535, 0}, {65535, 0}, {65535, 0}},
			{{65535, 0}, {65535, 0}, {0, 65535}},
			{{65535, 0}, {65535, 0}, {65535, 0}},
			{{65535, 0}, {65535, 0}, {65535, 0}},
			{{65535, 0}, {65535, 0}, {65535, 0}},
		},
		dividends: [][]float64{
			{0.3300, 0.3300, 0.3400, 0, 0},
			{0.3300, 0.3300, 0.3400, 0, 0},
			{0.3734, 0.3734, 0.2532, 0, 0},
			{0.3611, 0.3611, 0.2779, 0, 0},
			{0.3541, 0.3541, 0.2919, 0, 0},
			{0.3495, 0.3495, 0.3009, 0, 0},
		},
		bonds: [][][]float64{
			{{0.0250, 0}, {0.0250, 0}, {0.0250, 0}},
			{{0.0494, 0}, {0.0494, 0}, {0.0494, 0}},
			{{0.0731, 0}, {0.0731, 0}, {0.0481, 0.0250}},
			{{0.0963, 0}, {0.0963, 0}, {0.0719, 0.0244}},
			{{0.1189, 0}, {0.1189, 0}, {0.0951, 0.0238}},
			{{0.1409, 0}, {0.1409, 0}, {0.1178, 0.0232}},
		},
	},
	{
		name:        "test_yuma_3_kappa_moves_first",
		stakes:      []uint64{8, 1, 1, 0, 0},
		liquidAlpha: true,
		weights: [][][]uint16{
			{{65535, 0}, {65535, 0}, {65535, 0}},
			{{0, 65535}, {65535, 0}, {65535, 0}},
			{{0, 65535}, {0, 65535}, {65535, 0}},
			{{0, 65535}, {0, 65535}, {0, 65535}},
			nil,
			nil,
		},
		dividends: [][]float64{
			{0.8000, 0.1000, 0.1000, 0, 0},
			{1.0000, 0, 0, 0, 0},
			{0.9382, 0.0618, 0, 0, 0},
			{0.8819, 0.0773, 0.0407, 0, 0},
			{0.8564, 0.0844, 0.0592, 0, 0},
			{0.8418, 0.0884, 0.0697, 0, 0},
		},
		bonds: [][][]float64{
			{{0.1013, 0}, {0.1013, 0}, {0.1013, 0}},
			{{0.0908, 0.1013}, {0.3697, 0}, {0.3697, 0}},
			{{0.0815, 0.1924}, {0.3170, 0.1013}, {0.5580, 0}},
			{{0.0731, 0.2742}, {0.2765, 0.1924}, {0.4306, 0.1013}},
			{{0.0656, 0.3478}, {0.2435, 0.2742}, {0.3589, 0.1924}},
			{{0.0588, 0.4139}, {0.2157, 0.3478}, {0.3089, 0.2742}},
		},
	},
	{
		name:        "test_yuma_3_stable_miner",
		stakes:      []uint64{8, 1, 1, 0, 0, 0},
		liquidAlpha: true,
		weights: [][][]uint16{
			{{half16, 0, half16}, {half16, 0, half16}, {half16, 0, half16}},
			{{half16, 0, half16}, {0, half16, half16}, {half16, 0, half16}},
			{{0, half16, half16}, {0, half16, half16}, {half16, 0, half16}},
			{{0, half16, half16}, {0, half16, half16}, {0, half16, half16}},
			nil,
			nil,
		},
		dividends: [][]float64{
			{0.8000, 0.1000, 0.1000, 0, 0, 0},
			{0.8226, 0.0745, 0.1028, 0, 0, 0},
			{0.7750, 0.1685, 0.0565, 0, 0, 0},
			{0.7864, 0.1372, 0.0764, 0, 0, 0},
			{0.7912, 0.1241, 0.0847, 0, 0, 0},
			{0.7937, 0.1173, 0.0890, 0, 0, 0},
		},
		bonds: [][][]float64{
			{{0.0507, 0, 0.0507}, {0.0507, 0, 0.0507}, {0.0507, 0, 0.0507}},
			{{0.0962, 0, 0.0962}, {0.0455, 0.1000, 0.0962}, {0.0962, 0, 0.0962}},
			{{0.0863, 0.0507, 0.1371}, {0.0408, 0.1405, 0.1371}, {0.1770, 0, 0.1371}},
			{{0.0774, 0.0962, 0.1739}, {0.0367, 0.1770, 0.1739}, {0.1579, 0.0507, 0.1739}},
			{{0.0694, 0.1371, 0.2069}, {0.0329, 0.2097, 0.2069}, {0.1411, 0.0962, 0.2069}},
			{{0.0623, 0.1739, 0.2366}, {0.0296, 0.2391, 0.2366}, {0.1263, 0.1371, 0.2366}},
		},
	},
}

// subtensorParams are the hyperparameters setup_yuma_3_scenario sets.
func subtensorParams(liquidAlpha bool) Params {
	p := DefaultParams()
	p.Kappa = FromUint16Normalized(half16)
	p.BondsPenalty = 0
	p.BondsMovingAverage = FromRatio(975, 1000)
	p.MaxValidators = 3
	p.LiquidAlpha = liquidAlpha
	p.AlphaLow = FromRatio(1, 10)
	p.AlphaHigh = FromRatio(3, 10)
	p.AlphaSigmoidSteepness = FromInt(1000)
	return p
}

// toFloat is for comparing with the published (float) targets in tests only.
func toFloat(f Fixed) float64 { return float64(f) / float64(One) }

func TestSubtensorYuma3Vectors(t *testing.T) {
	const eps = 1e-3
	for _, v := range subtensorVectors {
		t.Run(v.name, func(t *testing.T) {
			n := len(v.stakes)
			in := Input{
				Stake:        v.stakes,
				Weights:      make([][]Weight, n),
				RegisteredAt: make([]uint64, n),
				LastUpdate:   make([]uint64, n),
				Params:       subtensorParams(v.liquidAlpha),
			}
			// First epoch without weights: hands out the permits.
			in.Block = 1
			out, err := Epoch(in)
			if err != nil {
				t.Fatal(err)
			}
			if !out.Fallback {
				t.Fatalf("warm-up epoch: want the stake fallback")
			}
			for e := range v.dividends {
				in.LastEpochBlock = in.Block
				in.Block++
				in.PrevPermit, in.Bonds = out.Permit, out.Bonds
				if rows := v.weights[e]; rows != nil {
					for i, row := range rows {
						in.Weights[i] = in.Weights[i][:0]
						for k, w := range row {
							in.Weights[i] = append(in.Weights[i], Weight{UID: uint16(3 + k), Value: w})
						}
						in.LastUpdate[i] = in.Block
					}
				}
				out, err = Epoch(in)
				if err != nil {
					t.Fatal(err)
				}
				for i, want := range v.dividends[e] {
					if got := toFloat(out.Dividends[i]); math.Abs(got-want) > eps {
						t.Errorf("epoch %d dividends[%d] = %.4f, want %.4f", e, i, got, want)
					}
				}
				for i, row := range v.bonds[e] {
					for k, want := range row {
						got := bondAt(out.Bonds[i], uint16(3+k))
						if math.Abs(toFloat(got)-want) > eps {
							t.Errorf("epoch %d bonds[%d][%d] = %.4f, want %.4f", e, i, 3+k, toFloat(got), want)
						}
					}
				}
			}
		})
	}
}

func bondAt(row []Entry, uid uint16) Fixed {
	for _, e := range row {
		if e.UID == uid {
			return e.Value
		}
	}
	return 0
}
