// Package upgrade runs chain operations end to end on a real one-node
// chain: a governance software upgrade under cosmovisor's layout
// (docs/upgrades.md), and export / zero-height import.
package upgrade

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/assay-network/assay/internal/portlock"

	upgradetypes "github.com/cosmos/cosmos-sdk/x/upgrade/types"

	"github.com/assay-network/assay/app/upgrades/historylength"
	emissiontypes "github.com/assay-network/assay/x/emission/types"
)

const (
	plan     = historylength.Name // registered only in the -tags upgrade_test binary
	budget   = 4 * time.Minute    // the chain part, from taking the port lock
	planLead = 20                 // blocks from the proposal to the upgrade height
)

// TestSoftwareUpgradeByGovernance: a chain with a subnet, neurons, stake,
// an unbonding, pending emission and epoch history runs under cosmovisor
// (or its stand-in where the Go module proxy refuses cosmovisor). A
// software-upgrade proposal passes; the old binary halts at the plan's
// height; the new one applies the history-length handler and the chain goes
// on. Everything the old binary committed reads the same from the new one,
// the parameter is migrated, and the supply invariant holds before, at and
// after the upgrade.
func TestSoftwareUpgradeByGovernance(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two assayd binaries and runs a chain through an upgrade; skipped with -short")
	}
	root := repoRoot(t)
	oldBin := assaydBinary(t, root, "")
	newBin := assaydBinary(t, root, "upgrade_test")
	cosmovisor, why := cosmovisorBinary(t, context.Background(), root)
	portlock.Lock(t, portlock.Wait)
	began := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()

	home := t.TempDir()
	n := initNode(t, ctx, oldBin, home, portOffset(t))
	var sup supervisor
	if cosmovisor != "" {
		installBinaries(t, ctx, cosmovisor, home, oldBin, plan, newBin)
		sup = startCosmovisor(t, cosmovisor, home)
		t.Logf("supervisor: %s", cosmovisor)
	} else {
		layOut(t, home, oldBin, plan, newBin)
		sup = startStandIn(t, home)
		t.Logf("supervisor: the test's cosmovisor stand-in, since scripts/cosmovisor.sh could not install cosmovisor: %s", lastLine(why))
	}
	n.waitHeight(t, 2, 60*time.Second)
	w := dial(t, ctx, n)
	w.populate(t, ctx, root)

	// An epoch on the subnet, so history and rewards exist before the upgrade.
	waitFor(t, ctx, "the subnet's first epoch", 60*time.Second, func() (bool, string) {
		return len(w.history(t, ctx)) > 0, "no epoch yet"
	})

	h := n.waitHeight(t, 1, time.Second)
	height := h + planLead
	n.tx(t, "alice", "tx", "upgrade", "software-upgrade", plan, "--upgrade-height", strconv.FormatInt(height, 10),
		"--title", "history-length", "--summary", "keep 64 epochs of history", "--deposit", "10000000uassay", "--no-validate")
	id := lastProposalID(t, n)
	n.tx(t, "alice", "tx", "gov", "vote", id, "yes")
	waitFor(t, ctx, "proposal "+id+" to pass", votingPeriod+30*time.Second, func() (bool, string) {
		st := proposalStatus(t, n, id)
		if st == "PROPOSAL_STATUS_REJECTED" || st == "PROPOSAL_STATUS_FAILED" {
			t.Fatalf("proposal %s: %s", id, st)
		}
		return st == "PROPOSAL_STATUS_PASSED", st
	})
	if p := n.cli(t, "q", "upgrade", "plan", "--output", "json"); !json.Valid([]byte(p)) {
		t.Fatalf("q upgrade plan: %s", p)
	}

	// The last block of the old binary; its state is what must survive.
	last := height - 1
	n.waitHeight(t, last, time.Duration(planLead+10)*2*time.Second)
	before := w.snapshot(t, ctx, last)
	if s := w.supply(t, ctx, last); !s.Holds {
		t.Fatalf("supply invariant broken before the upgrade (height %d): %s", last, s.Broken)
	}
	var oldParams emissiontypes.Params
	mustUnmarshalParams(t, w, before["emission params"], &oldParams)

	// The halt: x/upgrade in the old binary writes upgrade-info.json and
	// stops at `height`; the supervisor swaps the binary and restarts.
	var halted time.Time
	waitFor(t, ctx, "upgrade-info.json", 30*time.Second, func() (bool, string) {
		name, at, err := upgradeInfo(home)
		if err != nil {
			return false, err.Error()
		}
		if name != "" {
			if name != plan || at != height {
				t.Fatalf("upgrade-info.json names %q at %d, want %q at %d", name, at, plan, height)
			}
			halted = time.Now()
			return true, ""
		}
		return false, "not written"
	})
	// (Whether block `height` came from the new binary is checked below: the
	// plan is applied at it, which only the new binary can do.)
	n.waitHeight(t, height+1, 90*time.Second)
	resumed := time.Since(halted)
	w.waitGRPC(t, ctx)
	if done, err := sup.exited(); done {
		t.Fatalf("supervisor exited: %v", err)
	}
	if cur := currentLink(home); cur != "upgrades/"+plan {
		t.Fatalf("cosmovisor/current -> %s, want upgrades/%s", cur, plan)
	}

	// Applied at its height, once.
	applied := n.cli(t, "q", "upgrade", "applied", plan, "--output", "json")
	var ap struct {
		Height string `json:"height"`
	}
	if err := json.Unmarshal([]byte(applied), &ap); err != nil || ap.Height != strconv.FormatInt(height, 10) {
		t.Fatalf("q upgrade applied %s: %s (%v), want height %d", plan, applied, err, height)
	}
	r, err := upgradetypes.NewQueryClient(w.chain.Conn()).CurrentPlan(ctx, &upgradetypes.QueryCurrentPlanRequest{})
	if err != nil || r.Plan != nil {
		t.Fatalf("a plan is still scheduled after the upgrade: %v %v", r, err)
	}

	// The old binary's last state, read through the new binary: identical.
	after := w.snapshot(t, ctx, last)
	for name, v := range before {
		if after[name] != v {
			t.Errorf("%s at height %d: the old and new binary differ %s", name, last, diff(v, after[name]))
		}
	}
	// The handler ran: history_length migrated, every other param kept.
	var newParams emissiontypes.Params
	mustUnmarshalParams(t, w, w.snapshot(t, ctx, height)["emission params"], &newParams)
	want := historylength.Migrate(oldParams)
	if newParams.String() != want.String() || newParams.HistoryLength == oldParams.HistoryLength {
		t.Fatalf("emission params after the upgrade: %v, want %v (before: %v)", newParams, want, oldParams)
	}

	// And the chain goes on: another epoch is paid after the upgrade and
	// the supply invariant holds at the upgrade height and after it.
	var epochs []emissiontypes.EpochRecord
	waitFor(t, ctx, "an epoch after the upgrade", 60*time.Second, func() (bool, string) {
		epochs = w.history(t, ctx)
		return len(epochs) > 0 && epochs[0].Block > height, fmt.Sprintf("newest epoch at %d", epochs[0].Block)
	})
	for _, at := range []int64{height, 0} {
		if s := w.supply(t, ctx, at); !s.Holds {
			t.Fatalf("supply invariant broken after the upgrade (height %d): %s", at, s.Broken)
		}
	}
	stall := n.blockTime(t, height).Sub(n.blockTime(t, last))
	t.Logf("upgrade %q at height %d: halt to resumed block %d in %s (block %d to %d: %s of block time); whole test %s",
		plan, height, height+1, resumed.Round(100*time.Millisecond), last, height, stall.Round(100*time.Millisecond),
		time.Since(began).Round(time.Second))
}

func mustUnmarshalParams(t *testing.T, w *world, js string, p *emissiontypes.Params) {
	t.Helper()
	var r emissiontypes.QueryParamsResponse
	if err := w.cdc.UnmarshalJSON([]byte(js), &r); err != nil {
		t.Fatalf("emission params %s: %v", js, err)
	}
	*p = r.Params
}

func lastProposalID(t *testing.T, n *node) string {
	t.Helper()
	var r struct {
		Proposals []struct {
			ID string `json:"id"`
		} `json:"proposals"`
	}
	out := n.cli(t, "q", "gov", "proposals", "--output", "json")
	if err := json.Unmarshal([]byte(out), &r); err != nil || len(r.Proposals) == 0 {
		t.Fatalf("q gov proposals: %s (%v)", out, err)
	}
	return r.Proposals[len(r.Proposals)-1].ID
}

func proposalStatus(t *testing.T, n *node, id string) string {
	t.Helper()
	var r struct {
		Proposal struct {
			Status string `json:"status"`
		} `json:"proposal"`
	}
	out := n.cli(t, "q", "gov", "proposal", id, "--output", "json")
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("q gov proposal %s: %s (%v)", id, out, err)
	}
	return r.Proposal.Status
}
