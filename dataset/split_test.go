package dataset

import (
	"testing"
)

func TestRNGPinned(t *testing.T) {
	// SplitMix64's reference outputs for seed 0: if these move, every
	// dataset split moves with them and validators disagree with miners.
	r := NewRNG(0)
	want := []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f}
	for i, w := range want {
		if got := r.Uint64(); got != w {
			t.Fatalf("output %d = %#x, want %#x", i, got, w)
		}
	}
}
