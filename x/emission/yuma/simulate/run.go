package simulate

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/assay-network/assay/x/emission/yuma"
	"github.com/assay-network/assay/x/subnet/epoch"
)

// EpochResult is one epoch's output, vectors indexed by UID.
type EpochResult struct {
	Block           uint64
	Consensus       []yuma.Fixed
	Incentive       []yuma.Fixed
	Dividends       []yuma.Fixed
	ValidatorTrust  []yuma.Fixed
	ActiveStake     []yuma.Fixed
	ValidatorShares []yuma.Fixed
	Bonds           [][]yuma.Entry
	Permit          []bool
}

// Result is the output of Run.
type Result struct {
	UIDs   int
	Epochs []EpochResult
}

// Run plays the scenario's epochs through yuma.Epoch, feeding each epoch's
// permits and bonds into the next.
func Run(s *Scenario) (*Result, error) {
	n := len(s.Stakes)
	stakes := s.Stakes
	permits := s.Permits
	if permits == nil {
		// As if the subnet had already run an epoch with these stakes.
		permits = initialPermits(stakes, s.Params)
	}
	weights := make([][]yuma.Weight, n)
	lastUpdate := make([]uint64, n)
	registered := make([]uint64, n)
	var bonds [][]yuma.Entry
	var lastEpoch uint64
	res := &Result{UIDs: n}
	for e, ep := range s.Epochs {
		// the chain's epoch blocks for netuid 0, so tempo and activity_cutoff
		// mean here what they mean for a subnet
		block := uint64(epoch.Start(int64(e+1), 0, s.Tempo))
		if ep.Stakes != nil {
			stakes = ep.Stakes
		}
		if ep.SetWeights {
			weights = make([][]yuma.Weight, n)
			for i, row := range ep.Weights {
				if row != nil {
					weights[i] = row
					lastUpdate[i] = block
				}
			}
		}
		if len(ep.ResetBonds) > 0 {
			bonds = dropBondColumns(bonds, ep.ResetBonds)
		}
		out, err := yuma.Epoch(yuma.Input{
			Block:          block,
			Stake:          stakes,
			PrevPermit:     permits,
			Weights:        weights,
			Bonds:          bonds,
			RegisteredAt:   registered,
			LastUpdate:     lastUpdate,
			LastEpochBlock: lastEpoch,
			Params:         s.Params,
		})
		if err != nil {
			return nil, fmt.Errorf("epochs[%d]: %w", e, err)
		}
		res.Epochs = append(res.Epochs, EpochResult{
			Block:           block,
			Consensus:       out.Consensus,
			Incentive:       out.Incentive,
			Dividends:       out.Dividends,
			ValidatorTrust:  out.ValidatorTrust,
			ActiveStake:     out.ActiveStake,
			ValidatorShares: out.ValidatorShares,
			Bonds:           out.Bonds,
			Permit:          out.Permit,
		})
		permits, bonds, lastEpoch = out.Permit, out.Bonds, block
	}
	return res, nil
}

// dropBondColumns returns bonds without the entries held on the UIDs in
// reset (sorted). Rows are copied: the previous epoch's result shares them.
func dropBondColumns(bonds [][]yuma.Entry, reset []uint16) [][]yuma.Entry {
	out := make([][]yuma.Entry, len(bonds))
	for i, row := range bonds {
		out[i] = slices.DeleteFunc(slices.Clone(row), func(e yuma.Entry) bool {
			_, found := slices.BinarySearch(reset, e.UID)
			return found
		})
	}
	return out
}

// initialPermits runs a weightless epoch to get the permits the stakes
// earn (top max_validators by non-zero stake).
func initialPermits(stakes []uint64, p yuma.Params) []bool {
	n := len(stakes)
	out, err := yuma.Epoch(yuma.Input{
		Stake:        stakes,
		RegisteredAt: make([]uint64, n),
		LastUpdate:   make([]uint64, n),
		Params:       p,
	})
	if err != nil {
		return make([]bool, n)
	}
	return out.Permit
}

// Write prints the result as JSON: {"epochs": [{...}, ...]} with one line
// per vector and per bond row (bonds dense, n×n), numbers as decimals in
// [0, 1] (the shortest decimal that parses back to the same fixed-point
// value, at most 10 fractional digits).
func (r *Result) Write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("{\n  \"epochs\": [")
	for e, ep := range r.Epochs {
		if e > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n    {\n")
		fmt.Fprintf(bw, "      \"block\": %d,\n", ep.Block)
		vectors := []struct {
			name string
			v    []yuma.Fixed
		}{
			{"consensus", ep.Consensus},
			{"incentive", ep.Incentive},
			{"dividends", ep.Dividends},
			{"validator_trust", ep.ValidatorTrust},
			{"active_stake", ep.ActiveStake},
			{"validator_shares", ep.ValidatorShares},
		}
		for _, v := range vectors {
			fmt.Fprintf(bw, "      %q: ", v.name)
			writeVector(bw, v.v)
			bw.WriteString(",\n")
		}
		bw.WriteString("      \"bonds\": [")
		dense := make([]yuma.Fixed, r.UIDs)
		for i, row := range ep.Bonds {
			clear(dense)
			for _, b := range row {
				dense[b.UID] = b.Value
			}
			if i > 0 {
				bw.WriteString(",")
			}
			bw.WriteString("\n        ")
			writeVector(bw, dense)
		}
		bw.WriteString("\n      ],\n      \"validator_permit\": [")
		for i, p := range ep.Permit {
			if i > 0 {
				bw.WriteString(", ")
			}
			bw.WriteString(strconv.FormatBool(p))
		}
		bw.WriteString("]\n    }")
	}
	bw.WriteString("\n  ]\n}\n")
	return bw.Flush()
}

func writeVector(w *bufio.Writer, v []yuma.Fixed) {
	w.WriteByte('[')
	for i, x := range v {
		if i > 0 {
			w.WriteString(", ")
		}
		w.WriteString(x.String())
	}
	w.WriteByte(']')
}
