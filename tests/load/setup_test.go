package load

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/cmd/assayd/cmd/testnet"
	"github.com/assay-network/assay/internal/testtime"
	"github.com/assay-network/assay/task"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// Two subnets for the weight txs: plainNet takes SetWeights, revealNet
// CommitWeights. Neither rate-limits weights, so every weight tx the load
// sends can land; the validators val0..3 hold permits on both.
const (
	plainNet  uint16 = 1
	revealNet uint16 = 2
)

func openKeyring(t *testing.T, home string) keyring.Keyring {
	t.Helper()
	cdc, _ := client.Codec()
	kr, err := keyring.New(sdk.KeyringServiceName(), keyring.BackendTest, home, nil, cdc)
	if err != nil {
		t.Fatalf("keyring in %s: %v", home, err)
	}
	return kr
}

// setupSubnets registers the two subnets, the validators on both, stakes
// them past min_validator_stake and waits for the epoch that grants their
// permits.
func setupSubnets(t *testing.T, ctx context.Context, chain *client.Chain, kr keyring.Keyring) {
	t.Helper()
	spec := germanCredit(t)
	owner := keyAddr(t, kr, "owner")
	base := testnet.SubnetParams().DefaultHyperparams
	base.WeightsRateLimit = 0
	base.MinValidatorStake = math.NewInt(1_000_000)
	plain, reveal := base, base
	plain.CommitReveal, reveal.CommitReveal = false, true
	mustSend(t, ctx, chain, "owner",
		&subnettypes.MsgRegisterSubnet{Owner: owner, Name: "load-plain", TaskSpec: spec, Hyperparams: &plain},
		&subnettypes.MsgRegisterSubnet{Owner: owner, Name: "load-reveal", TaskSpec: spec, Hyperparams: &reveal})
	for _, n := range []uint16{plainNet, revealNet} {
		s, err := chain.Subnet(ctx, n)
		if err != nil {
			t.Fatalf("subnet %d after registering: %v", n, err)
		}
		if s.Hyperparams.CommitReveal != (n == revealNet) {
			t.Fatalf("subnet %d: commit_reveal %v", n, s.Hyperparams.CommitReveal)
		}
	}

	var regs, stakes []sdk.Msg
	for _, n := range []uint16{plainNet, revealNet} {
		for i := 0; i < validators; i++ {
			hot := keyAddr(t, kr, validatorName(i))
			auth := subnettypes.RegistrationAuthorization(chainID, n, owner, hot)
			sig, pk, err := kr.Sign(validatorName(i), auth, signing.SignMode_SIGN_MODE_DIRECT)
			if err != nil {
				t.Fatal(err)
			}
			regs = append(regs, &subnettypes.MsgRegisterNeuron{Coldkey: owner, Netuid: uint32(n), Hotkey: hot,
				HotkeyPubkey: pk.Bytes(), HotkeySignature: sig, MaxCost: math.NewInt(1_000_000_000)})
			stakes = append(stakes, &subnettypes.MsgAddStake{Coldkey: owner, Netuid: uint32(n), Hotkey: hot, Amount: math.NewInt(10_000_000)})
		}
	}
	mustSend(t, ctx, chain, "owner", regs...)
	mustSend(t, ctx, chain, "owner", stakes...)

	// Permits are granted at each subnet's epoch (tempo 10).
	deadline := time.Now().Add(testtime.Scale(60 * time.Second))
	for _, n := range []uint16{plainNet, revealNet} {
		for {
			mg, err := chain.Metagraph(ctx, n)
			if err != nil {
				t.Fatalf("metagraph %d: %v", n, err)
			}
			permits := 0
			for _, nr := range mg.Neurons {
				if nr.ValidatorPermit {
					permits++
				}
			}
			if permits == validators {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("subnet %d: %d of %d validators have a permit after 60 s", n, permits, validators)
			}
			time.Sleep(time.Second)
		}
	}
}

func mustSend(t *testing.T, ctx context.Context, chain *client.Chain, key string, msgs ...sdk.Msg) {
	t.Helper()
	if _, err := chain.Broadcast(ctx, key, msgs...); err != nil {
		t.Fatalf("%s sending %d msgs (%s …): %v", key, len(msgs), sdk.MsgTypeURL(msgs[0]), err)
	}
}

func keyAddr(t *testing.T, kr keyring.Keyring, name string) string {
	t.Helper()
	rec, err := kr.Key(name)
	if err != nil {
		t.Fatalf("key %s: %v", name, err)
	}
	a, err := rec.GetAddress()
	if err != nil {
		t.Fatal(err)
	}
	return a.String()
}

// germanCredit is the built-in german-credit task in canonical form.
func germanCredit(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "scripts", "tasks", "german-credit.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := task.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	return string(c)
}
