package app_test

import (
	"strings"
	"testing"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/app"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// mapOrder is a Go map whose iteration order the runtime randomises on
// every range: the classic way a state machine loses determinism.
var mapOrder = func() map[uint64]bool {
	m := map[uint64]bool{}
	for i := range uint64(16) {
		m[i] = true
	}
	return m
}()

func firstInMapOrder() uint64 {
	for k := range mapOrder {
		return k
	}
	return 0
}

// TestDeterminismCatchesDivergence shows the twin comparison is not blind:
// each case installs, in both apps alike, code that depends on Go's map
// iteration order, and the replay must report a divergence of the kind
// named within a few blocks. (Map order repeats by chance with odds of
// about 1 in 16 per block, so 30 blocks make a miss impossible in practice.)
func TestDeterminismCatchesDivergence(t *testing.T) {
	cases := []struct {
		name  string
		setup func(*app.App)
		want  string
	}{{
		// EndBlock writes in map order: state, so the app hash, differs.
		name: "state written in map order",
		setup: func(a *app.App) {
			a.SetEndBlocker(func(ctx sdk.Context) (sdk.EndBlock, error) {
				store := ctx.KVStore(a.GetKey(subnettypes.StoreKey))
				i := byte(0)
				for k := range mapOrder {
					store.Set([]byte{0xff, i}, []byte{byte(k)})
					i++
				}
				return a.EndBlocker(ctx)
			})
		},
		want: "app hash",
	}, {
		// The ante handler charges gas in map order: no state changes
		// (fees are zero), so only the gas comparison can see it.
		name: "gas charged in map order",
		setup: func(a *app.App) {
			ante := a.AnteHandler()
			a.SetAnteHandler(func(ctx sdk.Context, tx sdk.Tx, simulate bool) (sdk.Context, error) {
				// after the SDK's chain: its first decorator installs
				// the tx's own gas meter
				ctx, err := ante(ctx, tx, simulate)
				if err == nil {
					ctx.GasMeter().ConsumeGas(storetypes.Gas(firstInMapOrder()), "map order")
				}
				return ctx, err
			})
		},
		want: "gas used",
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := newTwinGenesis(t, 1, 2, 4)
			tw := newTwin(t, g, c.setup)
			w := newWorld(t, 1, tw.apps[0], g)
			for range 30 {
				next := tw.height + 1
				_, err := tw.step(w.encode(next, w.block(next, 6)))
				if err == nil {
					continue
				}
				if !strings.Contains(err.Error(), c.want) {
					t.Fatalf("divergence reported as %q; want one naming %q", err, c.want)
				}
				t.Logf("caught: %v", err)
				return
			}
			t.Fatalf("30 blocks of map-order-dependent code and the twins never diverged")
		})
	}
}
