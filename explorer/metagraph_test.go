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
	m := buildMetagraph(mg, pool)
	if m.Neurons[0].Role != RoleValidator || m.Neurons[1].Role != RoleMiner {
		t.Fatalf("roles %s, %s", m.Neurons[0].Role, m.Neurons[1].Role)
	}
	if m.Neurons[1].Axon != "10.0.0.1:7000" || m.NextEpochBlock != 53 || m.UIDs != 4 || m.Height != 50 {
		t.Fatalf("row %+v, page %+v", m.Neurons[1], m)
	}
	if n := m.Neurons[2]; n.Stake != "20000" || n.Emission != "2000" || n.Incentive != "0.000200000000000000" || n.ModelHash != mg.Neurons[2].Axon.ModelHash {
		t.Fatalf("row 2 %+v", n)
	}
}

func TestBuildEpoch(t *testing.T) {
	mg := fakeMetagraph(4, 50)
	if e := buildEpoch(50, mg.Subnet, nil); e.Epoch != nil {
		t.Fatalf("no history, epoch %+v", e.Epoch)
	}
	paid := fakeEpoch(mg, 44)
	older := fakeEpoch(mg, 39)
	e := buildEpoch(50, mg.Subnet, []emissiontypes.EpochRecord{paid, older})
	if e.Epoch == nil || e.Epoch.Block != 44 || !e.Epoch.Paid || e.Epoch.MinersTotal != "410000" {
		t.Fatalf("epoch %+v", e.Epoch)
	}
	if r := e.Epoch.Results[0]; r.ValidatorTake != "73800" || r.ValidatorStaked != "336200" || r.Total != "410000" {
		t.Fatalf("validator payout %+v", r)
	}
	if r := e.Epoch.Results[2]; r.MinerReward != "20" || r.Total != "20" {
		t.Fatalf("miner payout %+v", r)
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
	base := buildMetagraph(mg, &emissiontypes.QuerySubnetResponse{})

	for _, c := range []struct {
		key   string
		desc  bool
		first uint32
	}{
		{"stake", true, 3}, {"stake", false, 4}, {"incentive", true, 1}, {"dividends", true, 0},
		{"emission", false, 4}, {"registered", true, 4}, {"uid", true, 4}, {"permit", true, 0},
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
