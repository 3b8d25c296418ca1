package keeper_test

import (
	"math/rand"
	"os"
	"strconv"
	"testing"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/emission/types"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// TestConservationUnderRandomActivity is the app's one conservation check,
// run after every block of a long random run over both modules and the
// bank: registrations with pruning, stake and unstake through an unbonding
// period, take changes, set weights and commit/reveal, tempo and
// hyperparameter updates, dissolves and netuid reuse. A message that fails
// for a reason its action does not expect fails the test, and every action
// kind must really have happened.
//
// The seed comes from ASSAY_SEED; without it the run takes seeds 1, 2 and 3
// (what CI runs). The seed is logged so a failure can be replayed.
func TestConservationUnderRandomActivity(t *testing.T) {
	seeds := []int64{1, 2, 3}
	if s := os.Getenv("ASSAY_SEED"); s != "" {
		seed, err := strconv.ParseInt(s, 10, 64)
		require.NoError(t, err, "ASSAY_SEED")
		seeds = []int64{seed}
	}
	blocks := 1500
	if testing.Short() {
		blocks = 300
	}
	for _, seed := range seeds {
		t.Run("seed="+strconv.FormatInt(seed, 10), func(t *testing.T) {
			t.Logf("ASSAY_SEED=%d replays this run", seed)
			r := newRandomRun(t, seed)
			for range blocks {
				r.actions(3)
				r.block()
				r.conserved()
			}
			t.Logf("%d blocks: %v", blocks, r.counts)
			for _, kind := range []string{"subnet", "neuron", "prune", "stake", "unstake", "unbonding released", "take",
				"weights", "commit", "reveal", "hyperparams", "dissolve", "netuid reused", "epoch"} {
				require.Positive(t, r.counts[kind], "no %q happened in %d blocks", kind, blocks)
			}
		})
	}
}

// randomRun is one seeded run: the fixture, its actors and what happened.
type randomRun struct {
	*fixture
	rng       *rand.Rand
	owners    []account
	colds     []account
	hots      []account
	live      []uint32
	everUsed  map[uint32]bool // lookups only
	pending   []pendingCommit
	counts    map[string]int // lookups and logging only
	genesis   math.Int       // bank supply before the first block
	regBurned math.Int       // registration costs burned by x/subnet
}

type pendingCommit struct {
	netuid      uint32
	hot         account
	uids, ws    []uint32
	salt        []byte
	from, until int64
}

func newRandomRun(t *testing.T, seed int64) *randomRun {
	f := newFixture(t)
	p, err := f.sk.GetParams(f.ctx)
	require.NoError(t, err)
	p.UnbondingPeriod = 5
	require.NoError(t, f.sk.Params.Set(f.ctx, p))
	r := &randomRun{fixture: f, rng: rand.New(rand.NewSource(seed)), everUsed: map[uint32]bool{},
		counts: map[string]int{}, regBurned: math.ZeroInt()}
	r.owners = []account{f.funded(1 << 50), f.funded(1 << 50)}
	r.colds = []account{f.funded(1 << 50), f.funded(1 << 50), f.funded(1 << 50)}
	for range 12 {
		r.hots = append(r.hots, newAccount())
	}
	r.genesis = f.bank.GetSupply(f.ctx, types.Denom).Amount
	return r
}

func (r *randomRun) pick(n int) int { return r.rng.Intn(n) }

// block runs one block as the app orders it: x/emission's BeginBlock
// mints, x/subnet's EndBlock releases unbondings, x/emission's EndBlock
// runs the due epochs.
func (r *randomRun) block() {
	r.t.Helper()
	r.ctx = r.ctx.WithBlockHeight(r.ctx.BlockHeight() + 1).WithEventManager(sdk.NewEventManager())
	require.NoError(r.t, r.k.BeginBlock(r.ctx))
	require.NoError(r.t, r.sk.EndBlock(r.ctx))
	require.NoError(r.t, r.k.EndBlock(r.ctx))
	for _, ev := range r.ctx.EventManager().Events() {
		switch ev.Type {
		case "assay.subnet.v1.EventUnbondingReleased":
			r.counts["unbonding released"]++
		case "assay.emission.v1.EventEpoch":
			r.counts["epoch"]++
		}
	}
}

// conserved checks, after a block, that no uassay was made or lost:
//   - bank supply = genesis + issued − burned (dissolved pending pools and
//     registration costs);
//   - the supply is exactly the accounts' and module accounts' balances;
//   - x/subnet's module account holds its subnets' locks, stake pools,
//     remainder and unbonding entries, and its stake views agree;
//   - x/emission's ledger holds (issued = rewards + pending + carry +
//     burned) and its module account holds pending + carry.
func (r *randomRun) conserved() {
	r.t.Helper()
	ctx := r.ctx
	supply := r.bank.GetSupply(ctx, types.Denom).Amount
	issued, err := r.k.Issued.Get(ctx)
	require.NoError(r.t, err)
	burned, err := r.k.Burned.Get(ctx)
	require.NoError(r.t, err)
	want := r.genesis.Add(issued).Sub(burned).Sub(r.regBurned)
	require.Equal(r.t, want.String(), supply.String(), "block %d: bank supply = genesis %s + issued %s − burned %s − registration burns %s",
		ctx.BlockHeight(), r.genesis, issued, burned, r.regBurned)

	held := math.ZeroInt()
	r.bank.IterateAllBalances(ctx, func(_ sdk.AccAddress, c sdk.Coin) bool {
		held = held.Add(c.Amount)
		return false
	})
	require.Equal(r.t, supply.String(), held.String(), "block %d: every uassay is in some account", ctx.BlockHeight())

	locks := math.ZeroInt()
	require.NoError(r.t, r.sk.Subnets.Walk(ctx, nil, func(_ uint16, s subnettypes.Subnet) (bool, error) {
		locks = locks.Add(s.Locked)
		return false, nil
	}))
	stake, err := r.sk.TotalStake(ctx) // pools + remainder + unbonding
	require.NoError(r.t, err)
	subnetHeld := r.bank.GetBalance(ctx, authtypes.NewModuleAddress(subnettypes.ModuleName), types.Denom).Amount
	require.Equal(r.t, subnetHeld.String(), locks.Add(stake).String(), "block %d: x/subnet holds locks + stake + unbonding", ctx.BlockHeight())
	require.NoError(r.t, r.sk.CheckStakeViews(ctx), "block %d", ctx.BlockHeight())

	rep, err := r.k.SupplyInvariant(ctx)
	require.NoError(r.t, err)
	require.NoError(r.t, rep.Check())
}
