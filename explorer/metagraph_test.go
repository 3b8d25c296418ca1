package explorer

import (
	"slices"
	"testing"

	"cosmossdk.io/math"

	emissiontypes "github.com/assay-network/assay/x/emission/types"
)

func TestBuildMetagraph(t *testing.T) {
	mg := fakeMetagraph(4, 50)
	pool := &emissiontypes.QuerySubnetResponse{NextEpochBlock: 53, Share: math.LegacyOneDec(), TotalStake: math.NewInt(1)}
	unpaid := emissiontypes.EpochRecord{Block: 49, Paid: false}
	paid := fakeEpoch(mg, 44)
	// UID 3 was re-registered since the epoch: its result is someone else's.
	paid.Results[3].Hotkey = addr(555)
	m := buildMetagraph(mg, pool, []emissiontypes.EpochRecord{unpaid, paid})

	if m.LastEpoch == nil || m.LastEpoch.Block != 44 {
		t.Fatalf("last epoch %+v, want the paid one at 44", m.LastEpoch)
	}
	if m.Neurons[0].Role != RoleValidator || m.Neurons[1].Role != RoleMiner {
		t.Fatalf("roles %s, %s", m.Neurons[0].Role, m.Neurons[1].Role)
	}
	if m.Neurons[0].ValidatorTake != "73800" || m.Neurons[0].ValidatorStaked != "336200" || m.Neurons[2].MinerReward != "20" {
		t.Fatalf("payouts %+v / %+v", m.Neurons[0], m.Neurons[2])
	}
	if m.Neurons[3].MinerReward != "0" {
		t.Fatalf("a re-registered UID shows the old hotkey's reward %s", m.Neurons[3].MinerReward)
	}
	if m.Neurons[1].Axon != "10.0.0.1:7000" || m.NextEpochBlock != 53 || m.UIDs != 4 {
		t.Fatalf("row %+v, page %+v", m.Neurons[1], m)
	}
}

func uids(m Metagraph) []uint32 {
	out := make([]uint32, len(m.Neurons))
	for i, n := range m.Neurons {
		out[i] = n.UID
	}
	return out
}

func TestSortEveryColumn(t *testing.T) {
	mg := fakeMetagraph(5, 50)
	mg.Neurons[3].Stake = math.NewInt(2_000_000_000) // the largest stake
	base := buildMetagraph(mg, &emissiontypes.QuerySubnetResponse{}, []emissiontypes.EpochRecord{fakeEpoch(mg, 44)})

	for _, c := range []struct {
		key   string
		desc  bool
		first uint32
	}{
		{"stake", true, 3}, {"stake", false, 4}, {"incentive", true, 1}, {"dividends", true, 0},
		{"miner_reward", true, 4}, {"registered", true, 4}, {"uid", true, 4}, {"permit", true, 0},
	} {
		col, desc, err := parseSort(c.key, map[bool]string{true: "desc", false: "asc"}[c.desc])
		if err != nil {
			t.Fatal(err)
		}
		got := sortedMetagraph(base, col, desc)
		if got.Neurons[0].UID != c.first {
			t.Errorf("sort %s desc=%v: first UID %d, want %d (order %v)", c.key, c.desc, got.Neurons[0].UID, c.first, uids(got))
		}
	}
	// every column sorts both ways into a permutation, and the base keeps UID order
	for _, col := range columns {
		for _, desc := range []bool{false, true} {
			got := uids(sortedMetagraph(base, col, desc))
			sorted := slices.Clone(got)
			slices.Sort(sorted)
			if !slices.Equal(sorted, []uint32{0, 1, 2, 3, 4}) {
				t.Errorf("sort %s: %v is not a permutation", col.key, got)
			}
		}
	}
	if !slices.Equal(uids(base), []uint32{0, 1, 2, 3, 4}) {
		t.Fatalf("sorting changed the cached page: %v", uids(base))
	}
	// the current column's link flips the order
	asc := sortedMetagraph(base, columns[4], false)
	if asc.Columns[4].Href != "?order=desc&sort=stake" || asc.Columns[4].Arrow != "▲" || asc.Columns[0].Href != "?order=asc&sort=uid" {
		t.Fatalf("links %+v", asc.Columns[:5])
	}
}
