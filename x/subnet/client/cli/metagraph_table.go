package cli

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"

	"cosmossdk.io/math"

	"github.com/assay-network/assay/x/subnet/types"
)

// Role names as the tables print them: a validator is a UID holding a
// validator permit (it may set weights); every other UID is a miner.
const (
	RoleValidator = "validator"
	RoleMiner     = "miner"
)

// RoleOf is the role a neuron plays this epoch.
func RoleOf(n types.Neuron) string {
	if n.ValidatorPermit {
		return RoleValidator
	}
	return RoleMiner
}

// Ranks numbers each neuron within its role, as btcli's rank column does for
// the reader: miners from the highest incentive down, validators from the
// highest dividends down, ties by lower UID; 1 is the best. It returns the
// rank by UID.
func Ranks(neurons []types.Neuron) map[uint32]int {
	score := func(n types.Neuron) math.LegacyDec {
		if n.ValidatorPermit {
			return n.Dividends
		}
		return n.Incentive
	}
	order := slices.Clone(neurons)
	slices.SortStableFunc(order, func(a, b types.Neuron) int {
		if ra, rb := RoleOf(a), RoleOf(b); ra != rb {
			return cmp.Compare(ra, rb)
		}
		if sa, sb := decOrZero(score(a)), decOrZero(score(b)); !sa.Equal(sb) {
			if sa.GT(sb) {
				return -1
			}
			return 1
		}
		return int(a.Uid) - int(b.Uid)
	})
	ranks := make(map[uint32]int, len(order))
	next := map[string]int{}
	for _, n := range order {
		next[RoleOf(n)]++
		ranks[n.Uid] = next[RoleOf(n)]
	}
	return ranks
}

func decOrZero(d math.LegacyDec) math.LegacyDec {
	if d.IsNil() {
		return math.LegacyZeroDec()
	}
	return d
}

// ShortAddress keeps an address recognisable in a table: "assay1qy3…x7k2".
func ShortAddress(addr string) string {
	const head, tail = 9, 4
	if len(addr) <= head+tail+1 {
		return addr
	}
	return addr[:head] + "…" + addr[len(addr)-tail:]
}

// sinceUpdate prints how long ago a UID last set weights, in blocks and
// approximate time.
func sinceUpdate(block, lastUpdate int64, blockTime time.Duration) string {
	if lastUpdate <= 0 {
		return "never"
	}
	return blocksAgo(block-lastUpdate, blockTime)
}

// WriteMetagraphTable prints a metagraph the way `btcli subnet metagraph`
// does: one line per UID with its role, stake and emission in ASSAY and its
// last Yuma outputs as percentages. Rank is per role (see Ranks). Block
// counts show their approximate time at blockTime per block (0: counts only).
func WriteMetagraphTable(w io.Writer, res *types.QueryMetagraphResponse, blockTime time.Duration) error {
	validators := 0
	total := math.ZeroInt()
	for _, n := range res.Neurons {
		if n.ValidatorPermit {
			validators++
		}
		if !n.Stake.IsNil() {
			total = total.Add(n.Stake)
		}
	}
	s := res.Subnet
	if _, err := fmt.Fprintf(w, "Subnet %d %q at block %d: %d neurons (%d validators, %d miners), tempo %s, total stake %s\n\n",
		s.Netuid, s.Name, res.Block, len(res.Neurons), validators, len(res.Neurons)-validators,
		FormatBlocks(int64(s.Hyperparams.Tempo), blockTime), FormatAmount(total)); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "UID\tHOTKEY\tROLE\tSTAKE(ASSAY)\tRANK\tVTRUST\tCONSENSUS\tINCENTIVE\tDIVIDENDS\tEMISSION(ASSAY)\tAXON\tUPDATED\t")
	ranks := Ranks(res.Neurons)
	for _, n := range res.Neurons {
		axon := "-"
		if n.Axon != nil && n.Axon.Endpoint != "" {
			axon = n.Axon.Endpoint
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n",
			n.Uid, ShortAddress(n.Hotkey), RoleOf(n), FormatAssay(n.Stake), ranks[n.Uid],
			FormatPercent(n.ValidatorTrust), FormatPercent(n.Consensus), FormatPercent(n.Incentive), FormatPercent(n.Dividends),
			FormatAssay(n.Emission), axon, sinceUpdate(res.Block, n.LastUpdate, blockTime))
	}
	return tw.Flush()
}

// WriteSubnetsTable prints `q subnet subnets` as a table, amounts in ASSAY,
// the tempo with its approximate time at blockTime per block.
func WriteSubnetsTable(w io.Writer, subnets []types.Subnet, blockTime time.Duration) error {
	if len(subnets) == 0 {
		_, err := fmt.Fprintln(w, "no subnets (register one: assayd tx subnet register-subnet --task-file FILE --from OWNER)")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "NETUID\tNAME\tOWNER\tNEURONS\tMAX\tTEMPO\tLOCKED(ASSAY)\tTASK\tREGISTERED\t")
	for _, s := range subnets {
		task := s.TaskHash
		if len(task) > 12 {
			task = task[:12]
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d\t%s\t%s\t%s\t%d\t\n",
			s.Netuid, s.Name, ShortAddress(s.Owner), s.NeuronCount, s.Hyperparams.MaxUids, blocksIn(int64(s.Hyperparams.Tempo), blockTime),
			FormatAssay(s.Locked), task, s.RegisteredAt)
	}
	return tw.Flush()
}
