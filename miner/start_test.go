package miner

import (
	"context"
	"net"
	"strings"
	"testing"

	sdkmath "cosmossdk.io/math"
	"github.com/rs/zerolog"

	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// TestStartBindsBeforePublishing: a start whose axon or metrics port is
// taken fails before it registers or publishes anything, so the miner
// already serving on that port keeps its axon; a start on free ports
// publishes once and hands back the bound listeners.
func TestStartBindsBeforePublishing(t *testing.T) {
	_, m := fixture(t)
	hash, _ := m.Hash()
	spec, taskHash := builtinTask(t, m.Header.Dataset)
	fc := &fakeChain{addr: map[string]string{"miner1": "assay1hot"}, cost: sdkmath.NewInt(5), subnet: subnettypes.Subnet{Netuid: 3,
		TaskSpec: spec, TaskHash: taskHash}}
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	a := Announce{Netuid: 3, Hotkey: "miner1", HotkeyAdr: "assay1hot", Coldkey: "cold", MaxCost: sdkmath.NewInt(5),
		Endpoint: "203.0.113.7:8091", ModelHash: hash}

	for _, cfg := range []Config{
		{ListenAddr: taken.Addr().String()},
		{ListenAddr: "127.0.0.1:0", MetricsAddr: taken.Addr().String()},
	} {
		_, l, err := Start(context.Background(), fc, m, cfg, a, zerolog.Nop())
		if err == nil || !strings.Contains(err.Error(), "listen "+taken.Addr().String()) || l != nil {
			t.Fatalf("%+v: start on a taken port: listeners %v, err %v", cfg, l, err)
		}
		if fc.registered != 0 || len(fc.served) != 0 {
			t.Fatalf("%+v: a start that could not bind touched the chain: registered %d, served %v", cfg, fc.registered, fc.served)
		}
	}

	uid, l, err := Start(context.Background(), fc, m, Config{ListenAddr: "127.0.0.1:0", MetricsAddr: "127.0.0.1:0"}, a, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if uid != 0 || fc.registered != 1 || len(fc.served) != 1 || fc.served[0] != a.Endpoint+" "+hash {
		t.Fatalf("uid %d registered %d served %v", uid, fc.registered, fc.served)
	}
	if l.Axon == nil || l.Metrics == nil {
		t.Fatalf("listeners not handed back: %+v", l)
	}

	// A Join failure releases the ports it bound.
	fc.subnet.TaskSpec, fc.subnet.TaskHash = builtinTask(t, "mnist")
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := free.Addr().String()
	free.Close()
	if _, _, err := Start(context.Background(), fc, m, Config{ListenAddr: addr}, a, zerolog.Nop()); err == nil {
		t.Fatal("start for another task succeeded")
	}
	again, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("the port of a failed start is still held: %v", err)
	}
	again.Close()
}
