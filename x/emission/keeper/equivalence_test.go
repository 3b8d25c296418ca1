package keeper_test

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"strings"
	"testing"

	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/emission/types"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// TestEquivalenceDump runs a seeded random block sequence (registrations with
// pruning, stake moves, takes, weights, served model hashes with bonds_reset,
// dissolves) with deterministic keys, and writes every assay.* event, the
// final balances and both modules' exported genesis to $ASSAY_EQUIV_OUT. Two
// builds of the state machine are equivalent on this run when their dumps are
// byte-identical (cmp); a change meant to alter only speed or the store
// layout is checked that way. Skipped unless the variable is set.
func TestEquivalenceDump(t *testing.T) {
	out := os.Getenv("ASSAY_EQUIV_OUT")
	if out == "" {
		t.Skip("set ASSAY_EQUIV_OUT to write the dump")
	}
	blocks := 1500
	f := newFixture(t)
	rng := rand.New(rand.NewSource(12))
	seed := 0
	nextAccount := func() account {
		seed++
		p := secp256k1.GenPrivKeyFromSecret([]byte(fmt.Sprintf("equivalence-%d", seed)))
		return accountOf(p)
	}
	funded := func(amount int64) account {
		a := nextAccount()
		c := sdk.NewCoins(sdk.NewInt64Coin(types.Denom, amount))
		require.NoError(t, f.bank.MintCoins(f.ctx, faucet, c))
		require.NoError(t, f.bank.SendCoinsFromModuleToAccount(f.ctx, faucet, a.addr, c))
		return a
	}
	owners := []account{funded(1 << 50), funded(1 << 50)}
	colds := []account{funded(1 << 50), funded(1 << 50), funded(1 << 50), funded(1 << 50)}
	var hots []account
	for i := 0; i < 24; i++ {
		hots = append(hots, nextAccount())
	}
	var live []uint32
	pick := func(n int) int { return rng.Intn(n) }
	var dump strings.Builder
	events := func(ctx sdk.Context) {
		for _, e := range ctx.EventManager().Events() {
			if !strings.HasPrefix(e.Type, "assay.") {
				continue
			}
			b, err := json.Marshal(e)
			require.NoError(t, err)
			fmt.Fprintf(&dump, "%d %s\n", ctx.BlockHeight(), b)
		}
	}
	for b := 0; b < blocks; b++ {
		f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
		for a := 0; a < 4; a++ {
			c, h := colds[pick(len(colds))], hots[pick(len(hots))]
			netuid := uint32(0)
			if len(live) > 0 {
				netuid = live[pick(len(live))]
			}
			switch action := pick(100); {
			case action < 4 && len(live) < 4:
				hp := quickHP(uint64(3 + pick(6)))
				hp.MaxUids = uint32(6 + pick(8))
				hp.MaxValidators = uint32(2 + pick(4))
				hp.BondsReset = pick(2) == 0
				hp.LiquidAlpha = pick(2) == 0
				o := owners[pick(len(owners))]
				f.tx(func(ctx sdk.Context) error {
					res, err := f.subMsg.RegisterSubnet(ctx, &subnettypes.MsgRegisterSubnet{Owner: o.String(), Name: "s", TaskSpec: task(), Hyperparams: &hp})
					if err == nil {
						live = append(live, res.Netuid)
					}
					return err
				})
			case action < 22 && len(live) > 0:
				sig, _ := h.priv.Sign(subnettypes.RegistrationAuthorization(chainID, uint16(netuid), c.String(), h.String()))
				f.tx(func(ctx sdk.Context) error {
					_, err := f.subMsg.RegisterNeuron(ctx, &subnettypes.MsgRegisterNeuron{Coldkey: c.String(), Netuid: netuid, Hotkey: h.String(),
						HotkeyPubkey: h.priv.PubKey().Bytes(), HotkeySignature: sig, MaxCost: math.NewInt(1 << 40)})
					return err
				})
			case action < 40 && len(live) > 0:
				amt := math.NewInt(int64(1 + pick(50_000_000)))
				f.tx(func(ctx sdk.Context) error {
					_, err := f.subMsg.AddStake(ctx, &subnettypes.MsgAddStake{Coldkey: c.String(), Netuid: netuid, Hotkey: h.String(), Amount: amt})
					return err
				})
			case action < 48 && len(live) > 0:
				amt := math.NewInt(int64(1 + pick(30_000_000)))
				f.tx(func(ctx sdk.Context) error {
					_, err := f.subMsg.RemoveStake(ctx, &subnettypes.MsgRemoveStake{Coldkey: c.String(), Netuid: netuid, Hotkey: h.String(), Amount: amt})
					return err
				})
			case action < 51:
				take := math.LegacyNewDecWithPrec(int64(pick(18)), 2)
				f.tx(func(ctx sdk.Context) error {
					_, err := f.subMsg.SetTake(ctx, &subnettypes.MsgSetTake{Coldkey: c.String(), Hotkey: h.String(), Take: take})
					return err
				})
			case action < 57 && len(live) > 0:
				hash := fmt.Sprintf("%064x", pick(3))
				f.tx(func(ctx sdk.Context) error {
					_, err := f.subMsg.ServeAxon(ctx, &subnettypes.MsgServeAxon{Hotkey: h.String(), Netuid: netuid,
						Endpoint: "10.0.0.1:9000", Protocol: "grpc", ModelHash: hash})
					return err
				})
			case action < 97 && len(live) > 0:
				var uids, ws []uint32
				for u := 0; u < 6; u++ {
					if pick(2) == 0 {
						uids, ws = append(uids, uint32(u)), append(ws, uint32(1+pick(65535)))
					}
				}
				f.tx(func(ctx sdk.Context) error {
					_, err := f.subMsg.SetWeights(ctx, &subnettypes.MsgSetWeights{Hotkey: h.String(), Netuid: netuid, Uids: uids, Weights: ws})
					return err
				})
			case len(live) > 0 && pick(15) == 0:
				i := pick(len(live))
				if f.tx(func(ctx sdk.Context) error {
					s, err := f.sk.GetSubnet(ctx, uint16(live[i]))
					if err != nil {
						return err
					}
					_, err = f.subMsg.DissolveSubnet(ctx, &subnettypes.MsgDissolveSubnet{Owner: s.Owner, Netuid: live[i]})
					return err
				}) {
					live = append(live[:i], live[i+1:]...)
				}
			}
		}
		events(f.ctx)
		f.block()
		events(f.ctx)
		f.invariant()
	}
	balances := f.bank.GetAccountsBalances(f.ctx)
	b, err := json.Marshal(balances)
	require.NoError(t, err)
	fmt.Fprintf(&dump, "balances %s\n", b)
	sgs, err := f.sk.ExportGenesis(f.ctx)
	require.NoError(t, err)
	b, err = codec.ProtoMarshalJSON(sgs, nil)
	require.NoError(t, err)
	fmt.Fprintf(&dump, "subnet genesis %s\n", b)
	egs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	b, err = codec.ProtoMarshalJSON(egs, nil)
	require.NoError(t, err)
	fmt.Fprintf(&dump, "emission genesis %s\n", b)
	require.NoError(t, os.WriteFile(out, []byte(dump.String()), 0o644))
	t.Logf("%d blocks, %d live subnets, dump %d bytes", blocks, len(live), dump.Len())
}

func accountOf(p *secp256k1.PrivKey) account {
	return account{priv: p, addr: sdk.AccAddress(p.PubKey().Address())}
}
