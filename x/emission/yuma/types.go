package yuma

// Weight is one entry of a validator's weight row: the raw uint16 value the
// validator submitted for UID.
type Weight struct {
	UID   uint16
	Value uint16
}

// Entry is one entry of a sparse fixed-point row (bonds).
type Entry struct {
	UID   uint16
	Value Fixed
}

// Input is one subnet's state at an epoch. Every per-UID slice has one entry
// per UID (n = len(Stake)); sparse rows are sorted by UID without duplicates.
type Input struct {
	// Block is the height the epoch runs at.
	Block uint64
	// Stake is each UID's raw stake (token units).
	Stake []uint64
	// PrevPermit is the validator permit each UID got at the previous epoch
	// (nil: none).
	PrevPermit []bool
	// Weights is each UID's revealed weight row, raw uint16 values as
	// submitted (nil: no weights).
	Weights [][]Weight
	// Bonds is the previous epoch's Output.Bonds (nil: no bonds). Values in
	// [0, 1].
	Bonds [][]Entry
	// RegisteredAt is the block each UID was (last) registered at.
	RegisteredAt []uint64
	// LastUpdate is the block each UID last set weights (its registration
	// block if it never did).
	LastUpdate []uint64
	// LastEpochBlock is the block of the previous epoch: bonds to UIDs
	// registered after it are reset to 0.
	LastEpochBlock uint64
	Params         Params
}

// Output is the result of one epoch. Vectors are indexed by UID; every
// normalised vector sums to 1 (within n·2^-32, never above 1) or is all 0.
type Output struct {
	// Stake is S, the normalised stake (after the MinValidatorStake filter).
	Stake []Fixed
	// Active marks UIDs with LastUpdate + ActivityCutoff ≥ Block.
	Active []bool
	// ActiveStake is S_act: S of active UIDs with a previous permit,
	// renormalised.
	ActiveStake []Fixed
	// Consensus is C, the κ-stake-weighted median weight per UID.
	Consensus []Fixed
	// ValidatorTrust is VT_i = Σ_j min(W_ij, C_j).
	ValidatorTrust []Fixed
	// Incentive is I = R/ΣR, the miner-side emission shares.
	Incentive []Fixed
	// Dividends is D, normalised.
	Dividends []Fixed
	// ValidatorShares are the validator-side emission shares (step 9):
	// Dividends, or ActiveStake when ΣIncentive = 0, or Stake when no stake
	// is active either (all zero if there is no stake at all).
	ValidatorShares []Fixed
	// Fallback reports that ValidatorShares is a stake fallback (ΣI = 0).
	Fallback bool
	// Bonds are the new bonds B' in [0, 1]; rows of UIDs without a new
	// permit are empty. Feed them back as the next epoch's Input.Bonds.
	Bonds [][]Entry
	// Permit is the new validator permit of each UID (top MaxValidators by
	// non-zero stake, ties to the higher UID).
	Permit []bool
}
