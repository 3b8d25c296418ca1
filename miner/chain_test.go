package miner

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/rs/zerolog"

	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// fakeChain stands in for client.Chain (the real one is exercised against a node by e2e).
type fakeChain struct {
	subnet     subnettypes.Subnet
	neurons    []subnettypes.Neuron
	cost       sdkmath.Int
	registered int
	served     []string
	addr       map[string]string // keyring name → address
	fail       error             // Metagraph fails with it when set
	// rateLimited makes the next ServeAxon calls fail with serving_rate_limit.
	rateLimited int
}

func (f *fakeChain) Metagraph(context.Context, uint16) (*subnettypes.QueryMetagraphResponse, error) {
	if f.fail != nil {
		return nil, f.fail
	}
	return &subnettypes.QueryMetagraphResponse{Subnet: f.subnet, Neurons: f.neurons, Block: 7}, nil
}
func (f *fakeChain) Subnet(context.Context, uint16) (*subnettypes.Subnet, error) {
	return &f.subnet, nil
}
func (f *fakeChain) NeuronByHotkey(_ context.Context, _ uint16, hk string) (*subnettypes.Neuron, bool, error) {
	for i := range f.neurons {
		if f.neurons[i].Hotkey == hk {
			return &f.neurons[i], true, nil
		}
	}
	return nil, false, nil
}
func (f *fakeChain) RegistrationCost(context.Context, uint16) (sdkmath.Int, error) {
	return f.cost, nil
}
func (f *fakeChain) RegisterNeuron(_ context.Context, _, hotkey string, netuid uint16, _ sdkmath.Int) (*subnettypes.MsgRegisterNeuronResponse, error) {
	f.registered++
	uid := uint32(len(f.neurons))
	f.neurons = append(f.neurons, subnettypes.Neuron{Netuid: uint32(netuid), Uid: uid, Hotkey: f.addr[hotkey]})
	return &subnettypes.MsgRegisterNeuronResponse{Uid: uid, Burned: f.cost.String()}, nil
}
func (f *fakeChain) ServeAxon(_ context.Context, hotkey string, _ uint16, endpoint, _, hash, _ string) error {
	if f.rateLimited > 0 {
		f.rateLimited--
		return fmt.Errorf("simulating: failed to execute message: axon of uid 0 on netuid 3 served at block 6: next allowed at block 8: %w", subnettypes.ErrServingRateLimit)
	}
	f.served = append(f.served, endpoint+" "+hash)
	for i := range f.neurons {
		if f.neurons[i].Hotkey == f.addr[hotkey] {
			f.neurons[i].Axon = &subnettypes.AxonInfo{Endpoint: endpoint, ModelHash: hash, Version: Version}
		}
	}
	return nil
}

func TestJoin(t *testing.T) {
	_, m := fixture(t)
	hash, _ := m.Hash()
	spec, taskHash := builtinTask(t, m.Header.Dataset)
	fc := &fakeChain{addr: map[string]string{"miner1": "assay1hot"}, cost: sdkmath.NewInt(500), subnet: subnettypes.Subnet{Netuid: 3,
		TaskSpec: spec, TaskHash: taskHash}}
	a := Announce{Netuid: 3, Hotkey: "miner1", HotkeyAdr: "assay1hot", Coldkey: "cold", MaxCost: sdkmath.NewInt(400),
		Endpoint: "127.0.0.1:8091", ModelHash: hash}

	if _, err := Join(context.Background(), fc, m, a, zerolog.Nop()); err == nil || !strings.Contains(err.Error(), "above --max-cost") {
		t.Fatalf("max-cost guard: %v", err)
	}
	a.MaxCost = sdkmath.NewInt(500)
	uid, err := Join(context.Background(), fc, m, a, zerolog.Nop())
	if err != nil || uid != 0 || fc.registered != 1 || len(fc.served) != 1 {
		t.Fatalf("uid %d err %v registered %d served %v", uid, err, fc.registered, fc.served)
	}
	// Restart with the same model: nothing to pay, nothing to publish.
	if _, err := Join(context.Background(), fc, m, a, zerolog.Nop()); err != nil || fc.registered != 1 || len(fc.served) != 1 {
		t.Fatalf("rejoin: err %v registered %d served %v", err, fc.registered, fc.served)
	}
	// A new endpoint right after the last publish: Join waits out the
	// serving rate limit instead of failing.
	AxonRetryInterval = time.Millisecond
	fc.rateLimited = 2
	a.Endpoint = "127.0.0.1:9999"
	if _, err := Join(context.Background(), fc, m, a, zerolog.Nop()); err != nil || len(fc.served) != 2 || fc.rateLimited != 0 {
		t.Fatalf("rate-limited republish: err %v served %v", err, fc.served)
	}
	fc.rateLimited = 1 << 30
	a.Endpoint = "127.0.0.1:9998"
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := Join(ctx, fc, m, a, zerolog.Nop()); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("waiting stops with the context: %v", err)
	}
	fc.rateLimited = 0
	fc.subnet.TaskSpec, fc.subnet.TaskHash = builtinTask(t, "mnist")
	if _, err := Join(context.Background(), fc, m, a, zerolog.Nop()); err == nil || !strings.Contains(err.Error(), "want task") {
		t.Fatalf("model for another task: %v", err)
	}
}

func TestMetagraphPermits(t *testing.T) {
	fc := &fakeChain{neurons: []subnettypes.Neuron{
		{Uid: 0, Hotkey: "assay1a"}, // registered, no stake, no permit
		{Uid: 1, Hotkey: "assay1b", Stake: sdkmath.NewInt(20), ValidatorPermit: true},
		{Uid: 2, Hotkey: "assay1c", Stake: sdkmath.NewInt(5_000), ValidatorPermit: false}, // staked, but not in the top max_validators
		{Uid: 3, Hotkey: "assay1d", Stake: sdkmath.NewInt(5), ValidatorPermit: true},
		{Uid: 4, Hotkey: "assay1e", Stake: sdkmath.NewIntFromBigInt(new(big.Int).Lsh(big.NewInt(1), 70)), ValidatorPermit: true},
	}}
	p := &MetagraphPermits{Source: fc, Netuid: 3}
	if _, err := p.Permit(context.Background(), "assay1b"); err == nil || errors.Is(err, ErrNoPermit) {
		t.Fatalf("permit before the metagraph loaded: %v (want an error that is not ErrNoPermit: Unavailable, not PermissionDenied)", err)
	}
	if err := p.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	check := func(hotkey string, want Permit, wantErr string) {
		t.Helper()
		got, err := p.Permit(context.Background(), hotkey)
		if wantErr != "" {
			if !errors.Is(err, ErrNoPermit) || !strings.Contains(err.Error(), wantErr) {
				t.Fatalf("%s: got %+v, %v; want ErrNoPermit containing %q", hotkey, got, err, wantErr)
			}
			return
		}
		if err != nil || got != want {
			t.Fatalf("%s: got %+v, %v; want %+v", hotkey, got, err, want)
		}
	}
	check("assay1a", Permit{}, "no validator_permit")
	check("assay1b", Permit{UID: 1, Stake: 20}, "")
	check("assay1c", Permit{}, "no validator_permit")
	check("assay1d", Permit{UID: 3, Stake: 5}, "")
	check("assay1e", Permit{UID: 4, Stake: math.MaxUint64}, "")
	check("assay1z", Permit{}, "not registered")

	// --min-stake is an extra floor on top of the chain's permit.
	p.MinStake = 10
	check("assay1d", Permit{}, "below this miner's --min-stake 10")
	check("assay1b", Permit{UID: 1, Stake: 20}, "")

	// A refresh picks up a permit change; a failed one keeps the last metagraph.
	fc.neurons[1].ValidatorPermit = false
	if err := p.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	check("assay1b", Permit{}, "no validator_permit")
	fc.fail = errors.New("node down")
	if err := p.Refresh(context.Background()); err == nil {
		t.Fatal("refresh with the node down succeeded")
	}
	check("assay1e", Permit{UID: 4, Stake: math.MaxUint64}, "")
}
