package yuma

import (
	"cmp"
	"slices"
)

// activeMask returns LastUpdate + cutoff ≥ block per UID (saturating add).
func activeMask(lastUpdate []uint64, cutoff, block uint64) []bool {
	out := make([]bool, len(lastUpdate))
	for i, lu := range lastUpdate {
		end := lu + cutoff
		if end < lu {
			end = ^uint64(0)
		}
		out[i] = end >= block
	}
	return out
}

// TopStakePermits is DESIGN §5 step 1's permit rule, the only copy of it:
// a permit to the k UIDs with the largest stake among those with stake > 0
// and stake ≥ minStake; on equal stake the higher UID ranks first. stake is
// indexed by UID. x/subnet calls it whenever stake changes and the epoch
// calls it for the new permits, so the two can never disagree.
func TopStakePermits(stake []uint64, minStake uint64, k int) []bool {
	permit := make([]bool, len(stake))
	cand := make([]int, 0, len(stake))
	for i, s := range stake {
		if s != 0 && s >= minStake {
			cand = append(cand, i)
		}
	}
	if len(cand) > k {
		// Total order (stake desc, UID desc): the result does not depend on
		// the sorting algorithm.
		slices.SortFunc(cand, func(a, b int) int {
			if c := cmp.Compare(stake[b], stake[a]); c != 0 {
				return c
			}
			return cmp.Compare(b, a)
		})
		cand = cand[:k]
	}
	for _, i := range cand {
		permit[i] = true
	}
	return permit
}

// activeStake is S masked to active UIDs holding a previous permit,
// renormalised.
func activeStake(s []Fixed, active, prevPermit []bool) []Fixed {
	out := make([]Fixed, len(s))
	for i, v := range s {
		if active[i] && prevPermit != nil && prevPermit[i] {
			out[i] = v
		}
	}
	normalize(out)
	return out
}
