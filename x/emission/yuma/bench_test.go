package yuma

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchInput builds a subnet of n UIDs whose first v are validators with a
// permit; each validator weights perRow miners (perRow ≥ n-1: every other
// UID). Bonds come from three warm-up epochs, so the benchmark sees a
// steady-state bond matrix.
func benchInput(tb testing.TB, n, v, perRow int) Input {
	rng := rand.New(rand.NewPCG(uint64(n), uint64(v*perRow)))
	in := Input{
		Block:        100,
		Stake:        make([]uint64, n),
		PrevPermit:   make([]bool, n),
		Weights:      make([][]Weight, n),
		RegisteredAt: make([]uint64, n),
		LastUpdate:   make([]uint64, n),
		Params:       DefaultParams(),
	}
	in.Params.MaxValidators = v
	in.Params.LiquidAlpha = true
	for i := range n {
		in.LastUpdate[i] = 100
		if i < v {
			in.Stake[i] = 1_000_000 + rng.Uint64N(1_000_000_000)
			in.PrevPermit[i] = true
		}
	}
	for i := range v {
		row := make([]Weight, 0, min(perRow, n-1))
		if perRow >= n-1 {
			for j := range n {
				if j != i {
					row = append(row, Weight{uint16(j), uint16(1 + rng.UintN(65535))})
				}
			}
		} else {
			// perRow distinct miners, sorted: a window of the miners that
			// overlaps the other validators' windows, so consensus (and
			// bonds) form.
			start := v + rng.IntN(min(perRow/4, n-v-perRow)+1)
			for j := start; j < start+perRow; j++ {
				row = append(row, Weight{uint16(j), uint16(1 + rng.UintN(65535))})
			}
		}
		in.Weights[i] = row
	}
	for range 3 {
		out, err := Epoch(in)
		if err != nil {
			tb.Fatal(err)
		}
		in.Bonds, in.PrevPermit = out.Bonds, out.Permit
		in.LastEpochBlock = in.Block
		in.Block++
	}
	return in
}

func BenchmarkEpoch(b *testing.B) {
	for _, size := range []struct{ n, v, perRow int }{
		{256, 64, 255},
		{1024, 128, 1023},
		{4096, 256, 4095},
		{4096, 256, 32},
	} {
		name := fmt.Sprintf("uids=%d/validators=%d/weights_per_row=%d", size.n, size.v, size.perRow)
		b.Run(name, func(b *testing.B) {
			in := benchInput(b, size.n, size.v, size.perRow)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Epoch(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestBenchInputIsSteadyState(t *testing.T) {
	in := benchInput(t, 64, 8, 8)
	bonds := 0
	for _, row := range in.Bonds {
		bonds += len(row)
	}
	if bonds == 0 {
		t.Fatal("warm-up produced no bonds")
	}
}
