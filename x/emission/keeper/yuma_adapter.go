package keeper

import (
	sdkmath "cosmossdk.io/math"

	"github.com/assay-network/assay/x/emission/yuma"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// This file converts between x/subnet's state (math.Int, LegacyDec, proto
// rows) and the Yuma library's integer types, in both directions.

// decPrecision is LegacyDec's 10^18 fixed point.
const decPrecision = 1_000_000_000_000_000_000

// decToFixed converts a hyperparameter to I32F32 (truncating past 2^-32).
func decToFixed(d sdkmath.LegacyDec) yuma.Fixed {
	// d·2^32 fits int64 for every hyperparameter (all ≤ 2^31).
	return yuma.FromRaw(d.MulInt64(1 << yuma.FracBits).TruncateInt64())
}

// yumaParams maps a subnet's hyperparameters to the library's.
func yumaParams(hp subnettypes.Hyperparams) yuma.Params {
	return yuma.Params{
		Kappa:                 decToFixed(hp.Kappa),
		BondsMovingAverage:    decToFixed(hp.BondsMovingAverage),
		BondsPenalty:          decToFixed(hp.BondsPenalty),
		MaxValidators:         int(hp.MaxValidators),
		MinValidatorStake:     subnettypes.SaturatingUint64(hp.MinValidatorStake),
		ActivityCutoff:        hp.ActivityCutoff,
		LiquidAlpha:           hp.LiquidAlpha,
		AlphaLow:              decToFixed(hp.AlphaLow),
		AlphaHigh:             decToFixed(hp.AlphaHigh),
		AlphaSigmoidSteepness: decToFixed(hp.AlphaSigmoidSteepness),
	}
}

func nonNegBlock(b int64) uint64 {
	if b < 0 {
		return 0
	}
	return uint64(b)
}

// yumaInput assembles the epoch's inputs from x/subnet's view; the weight
// and bond rows already are the library's types and are passed as they are.
func yumaInput(in subnettypes.EpochInputs, height, lastEpoch int64) yuma.Input {
	n := len(in.Hotkeys)
	y := yuma.Input{
		Block:          nonNegBlock(height),
		Stake:          make([]uint64, n),
		PrevPermit:     in.Permits,
		Weights:        in.Weights,
		Bonds:          in.Bonds,
		RegisteredAt:   make([]uint64, n),
		LastUpdate:     make([]uint64, n),
		LastEpochBlock: nonNegBlock(lastEpoch),
		Params:         yumaParams(in.Subnet.Hyperparams),
	}
	for i := 0; i < n; i++ {
		y.Stake[i] = subnettypes.SaturatingUint64(in.Stake[i])
		y.RegisteredAt[i] = nonNegBlock(in.RegisteredAt[i])
		y.LastUpdate[i] = nonNegBlock(in.LastUpdate[i])
	}
	return y
}

// subnetResults is what the epoch writes back to x/subnet: Yuma's per-UID
// outputs, the new bonds (as the library made them), and each UID's
// emission (its miner and validator parts).
func subnetResults(out yuma.Output, s Split) subnettypes.EpochResults {
	n := len(out.Permit)
	res := subnettypes.EpochResults{
		Permits: out.Permit, Emission: make([]uint64, n),
		Consensus: out.Consensus, Incentive: out.Incentive, Dividends: out.Dividends, ValidatorTrust: out.ValidatorTrust,
		Bonds: out.Bonds,
	}
	for i := 0; i < n; i++ {
		res.Emission[i] = s.Miner[i] + s.Validator[i]
	}
	return res
}
