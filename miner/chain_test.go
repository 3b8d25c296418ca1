package miner

import (
	"context"
	"errors"
	"strings"
	"testing"

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
}

func (f *fakeChain) Metagraph(context.Context, uint32) (*subnettypes.QueryMetagraphResponse, error) {
	return &subnettypes.QueryMetagraphResponse{Subnet: f.subnet, Neurons: f.neurons, Block: 7}, nil
}
func (f *fakeChain) Subnet(context.Context, uint32) (*subnettypes.Subnet, error) {
	return &f.subnet, nil
}
func (f *fakeChain) NeuronByHotkey(_ context.Context, _ uint32, hk string) (*subnettypes.Neuron, bool, error) {
	for i := range f.neurons {
		if f.neurons[i].Hotkey == hk {
			return &f.neurons[i], true, nil
		}
	}
	return nil, false, nil
}
func (f *fakeChain) RegistrationCost(context.Context, uint32) (sdkmath.Int, error) {
	return f.cost, nil
}
func (f *fakeChain) RegisterNeuron(_ context.Context, _, hotkey string, netuid uint32, _ sdkmath.Int) (*subnettypes.MsgRegisterNeuronResponse, error) {
	f.registered++
	uid := uint32(len(f.neurons))
	f.neurons = append(f.neurons, subnettypes.Neuron{Netuid: netuid, Uid: uid, Hotkey: f.addr[hotkey]})
	return &subnettypes.MsgRegisterNeuronResponse{Uid: uid, Burned: f.cost.String()}, nil
}
func (f *fakeChain) ServeAxon(_ context.Context, hotkey string, _ uint32, endpoint, _, hash, _ string) error {
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
	fc := &fakeChain{addr: map[string]string{"miner1": "assay1hot"}, cost: sdkmath.NewInt(500), subnet: subnettypes.Subnet{Netuid: 3,
		Task: subnettypes.TaskSpec{TaskType: m.Header.Task, Dataset: m.Header.Dataset}}}
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
	fc.subnet.Task.Dataset = "mnist"
	fc.subnet.Task.TaskType = "image-classification"
	if _, err := Join(context.Background(), fc, m, a, zerolog.Nop()); err == nil || !strings.Contains(err.Error(), "want task") {
		t.Fatalf("model for another task: %v", err)
	}
}

func TestMetagraphPermits(t *testing.T) {
	fc := &fakeChain{neurons: []subnettypes.Neuron{{Uid: 0, Hotkey: "assay1a"}, {Uid: 1, Hotkey: "assay1b"}}}
	p := &MetagraphPermits{Source: fc, Netuid: 3, MinStake: 10,
		StakeOf: func(n *subnettypes.Neuron) uint64 { return uint64(n.Uid) * 20 }}
	if _, err := p.Permit(context.Background(), "assay1b"); err == nil {
		t.Fatal("permit before the metagraph loaded")
	}
	if err := p.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, err := p.Permit(context.Background(), "assay1b"); err != nil || got != (Permit{UID: 1, Stake: 20}) {
		t.Fatalf("b: %+v %v", got, err)
	}
	if _, err := p.Permit(context.Background(), "assay1a"); !errors.Is(err, ErrNoPermit) {
		t.Fatalf("a (stake 0 < 10): %v", err)
	}
	if _, err := p.Permit(context.Background(), "assay1z"); !errors.Is(err, ErrNoPermit) {
		t.Fatalf("unregistered: %v", err)
	}
}
