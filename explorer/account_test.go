package explorer

import (
	"net/http"
	"strconv"
	"testing"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	emissiontypes "github.com/assay-network/assay/x/emission/types"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// accountFixture: the address holds 300 of the 1,000 shares of hotkey
// addr(0)'s pool on subnet 1 (tempo 9: 10 blocks an epoch) and mines with
// UID 2's coldkey; two paid epochs and one unpaid.
func accountFixture() accountInputs {
	me := addr(1002) // UID 2's coldkey in fakeMetagraph
	mg := fakeMetagraph(3, 100)
	e1, e2 := fakeEpoch(mg, 80), fakeEpoch(mg, 90)
	e2.Results[0].ValidatorStaked = math.NewInt(1_000_000)
	sub := mg.Subnet
	sub.Hyperparams.Tempo = 9
	return accountInputs{
		height: 100, address: me,
		balances: sdk.NewCoins(sdk.NewInt64Coin("uassay", 5_000_000)),
		stake: &subnettypes.QueryStakeByAddressResponse{Total: math.NewInt(30_000_000), Positions: []subnettypes.StakePosition{
			{Netuid: 1, Hotkey: addr(0), Coldkey: me, Shares: math.NewInt(300), Amount: math.NewInt(30_000_000)}}},
		rewards: &emissiontypes.QueryRewardsResponse{Total: math.NewInt(40), Rewards: []emissiontypes.AddressRewards{
			{Address: me, Netuid: 1, Totals: emissiontypes.RewardTotals{OwnerCut: math.ZeroInt(), Miner: math.NewInt(40), ValidatorTake: math.ZeroInt(), StakePool: math.ZeroInt()}}}},
		pools:        map[poolKey]subnettypes.StakePool{{1, addr(0)}: {TotalStake: math.NewInt(100_000_000), TotalShares: math.NewInt(1_000)}},
		subnets:      map[uint16]subnettypes.Subnet{1: sub},
		histories:    map[uint16][]emissiontypes.EpochRecord{1: {e2, e1, {Netuid: 1, Block: 70}}},
		blockSeconds: 2,
	}
}

func TestBuildAccount(t *testing.T) {
	a := buildAccount(accountFixture())
	if len(a.Positions) != 1 || a.Positions[0].Value != "30000000" || a.Positions[0].PoolShares != "1000" {
		t.Fatalf("positions %+v", a.Positions)
	}
	if len(a.Epochs) != 2 {
		t.Fatalf("epochs %+v, want the two paid", a.Epochs)
	}
	// epoch 90: miner 20 (UID 2) + 300/1000 of 1,000,000 staked = 300,020
	if e := a.Epochs[0]; e.Block != 90 || e.Miner != "20" || e.Delegation != "300000" || e.Total != "300020" {
		t.Fatalf("epoch 90: %+v", e)
	}
	// epoch 80: 300/1000 of 336,200 = 100,860
	if e := a.Epochs[1]; e.Block != 80 || e.Delegation != "100860" || e.Total != "100880" {
		t.Fatalf("epoch 80: %+v", e)
	}
	if a.EpochsTotal != "400900" {
		t.Fatalf("epochs total %s", a.EpochsTotal)
	}
	// 400,860 over 2 epochs × 10 blocks, 15,778,800 blocks a year at 2 s,
	// on 30,000,000 staked: 400860/20 · 15778800 / 30000000 = 10.541...
	r := a.Return
	want := 400860.0 / 20 * (365.25 * 24 * 3600 / 2) / 30_000_000
	got, err := strconv.ParseFloat(r.Annualised, 64)
	if err != nil || r.Epochs != 2 || r.Rewards != "400860" || got < want-1e-5 || got > want+1e-5 {
		t.Fatalf("return %+v, want annualised %.6f", r, want)
	}
}

func TestReturnNotEstimated(t *testing.T) {
	in := accountFixture()
	in.blockSeconds = 0
	if r := buildAccount(in).Return; r.Annualised != "" || r.Reason != "block time not known yet" {
		t.Fatalf("%+v", r)
	}
	in = accountFixture()
	in.stake = &subnettypes.QueryStakeByAddressResponse{Total: math.ZeroInt()}
	if r := buildAccount(in).Return; r.Annualised != "" || r.Reason != "no stake" {
		t.Fatalf("%+v", r)
	}
}

func TestParseAddress(t *testing.T) {
	if _, err := parseAddress(addr(1)); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "assay1", "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu", addr(1) + "x"} {
		_, err := parseAddress(bad)
		pe, ok := err.(*pageError)
		if !ok || pe.Status != http.StatusBadRequest {
			t.Errorf("%q: %v, want a 400", bad, err)
		}
	}
}
