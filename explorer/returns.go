package explorer

import (
	"fmt"

	"cosmossdk.io/math"

	"github.com/assay-network/assay/x/subnet/epoch"
)

// ReturnEstimate is the annualised return of the address's stake,
// estimated from its delegation rewards over the last few paid epochs.
type ReturnEstimate struct {
	// Epochs is how many paid epochs (per position's subnet, at most
	// returnEpochs) the estimate reads.
	Epochs int `json:"epochs"`
	// Rewards is the delegation reward over those epochs, uassay.
	Rewards string `json:"rewards"`
	// Stake is the positions' value now, uassay.
	Stake string `json:"stake"`
	// BlockSeconds is the recent average block time used.
	BlockSeconds float64 `json:"block_seconds"`
	// Annualised is the simple annual rate as a fraction (e.g. 0.12);
	// empty when it cannot be estimated (no stake, no paid epoch, or no
	// block time yet), and Reason says why.
	Annualised string `json:"annualised"`
	Reason     string `json:"reason,omitempty"`
	Method     string `json:"method"`
}

// returnEpochs is N, the paid epochs per subnet the estimate reads.
const returnEpochs = 10

// secondsPerYear is a Julian year.
const secondsPerYear = 365.25 * 24 * 3600

const returnMethod = "For each stake position: the delegation rewards of the last %d paid epochs of its subnet " +
	"(what each epoch added to the hotkey's pool × your shares ÷ the pool's shares, with today's shares), " +
	"per block over those epochs (epochs × the epoch length in blocks), times the blocks in a year at the recent average block time. " +
	"The sum over positions, divided by the positions' value now, is a simple (not compounded) annual rate. " +
	"Miner rewards, validator takes and owner cuts are income, not return on stake, and are left out. " +
	"Past epochs do not promise future ones."

// estimateReturn applies returnMethod to the inputs.
func estimateReturn(in accountInputs) ReturnEstimate {
	est := ReturnEstimate{Rewards: "0", Stake: in.stake.Total.String(), BlockSeconds: in.blockSeconds,
		Method: fmt.Sprintf(returnMethod, returnEpochs)}
	rewards := math.ZeroInt()
	var perYear float64 // uassay a year at the recent rate, all positions
	for _, p := range in.stake.Positions {
		netuid := uint16(p.Netuid)
		sub := in.subnets[netuid]
		paid := 0
		sum := math.ZeroInt()
		for _, rec := range in.histories[netuid] { // newest first
			if paid == returnEpochs {
				break
			}
			if !rec.Paid {
				continue
			}
			paid++
			sum = sum.Add(positionReward(p, in.pools[poolKey{netuid, p.Hotkey}], rec))
		}
		est.Epochs = max(est.Epochs, paid)
		rewards = rewards.Add(sum)
		if paid == 0 || in.blockSeconds <= 0 {
			continue
		}
		blocks := float64(paid) * float64(epoch.Length(sub.Hyperparams.Tempo))
		perYear += assayFloat(sum) * 1e6 / blocks * (secondsPerYear / in.blockSeconds)
	}
	est.Rewards = rewards.String()
	switch {
	case !in.stake.Total.IsPositive():
		est.Reason = "no stake"
	case est.Epochs == 0:
		est.Reason = "no paid epoch on the subnets staked on yet"
	case in.blockSeconds <= 0:
		est.Reason = "block time not known yet"
	default:
		est.Annualised = fmt.Sprintf("%.6f", perYear/(assayFloat(in.stake.Total)*1e6))
	}
	return est
}
