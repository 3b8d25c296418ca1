// Package epoch is the one place that says when a subnet's epochs fall and
// when a weights commit may be revealed (DESIGN §3, §4). The chain's epoch
// schedule, x/subnet's reveal check, the validator's commit timing and the
// tests all import it, so the rule cannot drift between them.
//
// Subnet n's epochs are tempo+1 blocks long and start at the heights h where
// (h + n) mod (tempo + 1) == 0: subnets with equal tempo are staggered by
// their netuid. The epoch index of h is E(h) = ⌊(h + n) / (tempo + 1)⌋, so
// every block of one epoch shares its index and the first block of epoch e
// is e·(tempo+1) − n.
//
// Pure integer arithmetic, no SDK imports: it runs in the state machine and
// off chain alike.
package epoch

// Length is the number of blocks in one epoch of a subnet with this tempo.
func Length(tempo uint64) int64 { return int64(tempo + 1) }

// Index is the epoch that block height of netuid belongs to.
func Index(height int64, netuid uint16, tempo uint64) int64 {
	return (height + int64(netuid)) / Length(tempo)
}

// Start is the first block of epoch e of netuid.
func Start(e int64, netuid uint16, tempo uint64) int64 {
	return e*Length(tempo) - int64(netuid)
}

// IsStart reports whether netuid runs its epoch at height (DESIGN §4's
// schedule). Heights before genesis never do.
func IsStart(height int64, netuid uint16, tempo uint64) bool {
	if height < 0 {
		return false
	}
	return (height+int64(netuid))%Length(tempo) == 0
}

// Next is the first epoch block of netuid strictly after height.
func Next(height int64, netuid uint16, tempo uint64) int64 {
	l := Length(tempo)
	return height + l - (height+int64(netuid))%l
}

// RevealWindow is the inclusive block range in which a commit made at block
// committed may be revealed: the whole epoch Index(committed) + revealPeriod.
func RevealWindow(committed int64, netuid uint16, tempo, revealPeriod uint64) (from, until int64) {
	from = Start(Index(committed, netuid, tempo)+int64(revealPeriod), netuid, tempo)
	return from, from + Length(tempo) - 1
}
