package crash

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"sync"
	"testing"
	"time"

	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"

	"github.com/assay-network/assay/client"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// landed is a tx the node confirmed: found by hash in a block (with its
// code; a tx refused in the block is committed all the same).
type landed struct {
	hash   string
	height int64
	kind   string
	code   uint32
}

// load drives signed txs at the node from several keys at once, one
// goroutine per key so account sequences never race, and books every tx
// whose inclusion the node confirmed. Errors while the node is down are
// expected: the worker waits and signs a fresh tx.
type load struct {
	kr      keyring.Keyring
	grpc    string
	netuid  uint16
	mu      sync.Mutex
	landed  []landed
	errors  int
	perKind map[string]int
}

func (l *load) book(kind string, res *sdk.TxResponse, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var te *client.TxError
	switch {
	case err == nil:
		l.landed = append(l.landed, landed{hash: res.TxHash, height: res.Height, kind: kind})
		l.perKind[kind]++
	case errors.As(err, &te) && res != nil && res.Height > 0:
		l.landed = append(l.landed, landed{hash: res.TxHash, height: res.Height, kind: kind, code: te.Code})
	default:
		l.errors++
	}
}

func (l *load) snapshot() (out []landed, perKind map[string]int, errs int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	perKind = map[string]int{}
	for k, v := range l.perKind {
		perKind[k] = v
	}
	return append(out, l.landed...), perKind, l.errors
}

// msgFunc builds the next tx of a worker: the signing key's name and the
// message, or ok=false when it has nothing to send.
type msgFunc func(c *client.Chain, i int) (key string, msg sdk.Msg, ok bool)

// run starts one worker per entry of workers until ctx ends; wait blocks
// until they have all stopped.
func (l *load) run(ctx context.Context, t *testing.T, workers map[string]msgFunc) (wait func()) {
	var wg sync.WaitGroup
	for kind, next := range workers {
		c, err := client.Dial(ctx, l.grpc, l.kr, client.ChainOptions{TxTimeout: 15 * time.Second, PollInterval: 200 * time.Millisecond})
		if err != nil {
			t.Fatalf("load %s: %v", kind, err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			for i := 0; ctx.Err() == nil; i++ {
				key, msg, ok := next(c, i)
				if !ok {
					return
				}
				res, err := c.Broadcast(ctx, key, msg)
				l.book(kind, res, err)
				if err != nil {
					select {
					case <-ctx.Done():
					case <-time.After(300 * time.Millisecond):
					}
				}
			}
		}()
	}
	return wg.Wait
}

// registerNeuron is the message client.Chain.RegisterNeuron would send,
// built here so the test keeps the tx's hash.
func registerNeuron(c *client.Chain, kr keyring.Keyring, coldkey, hotkey string, netuid uint16) (sdk.Msg, error) {
	cold, err := c.KeyAddress(coldkey)
	if err != nil {
		return nil, err
	}
	hot, err := c.KeyAddress(hotkey)
	if err != nil {
		return nil, err
	}
	sig, pk, err := kr.Sign(hotkey, subnettypes.RegistrationAuthorization(c.ChainID(), netuid, cold, hot), signing.SignMode_SIGN_MODE_DIRECT)
	if err != nil {
		return nil, err
	}
	return &subnettypes.MsgRegisterNeuron{Coldkey: cold, Netuid: uint32(netuid), Hotkey: hot,
		HotkeyPubkey: pk.Bytes(), HotkeySignature: sig, MaxCost: math.NewInt(1_000_000_000)}, nil
}

// workers are the load: a coldkey registering fresh hotkeys, the two
// validator hotkeys setting weights every block they may, and two stakers
// adding and removing stake on them.
func (l *load) workers(t *testing.T, seed int64, hotkeys []string) map[string]msgFunc {
	addr := func(c *client.Chain, key string) string {
		a, err := c.KeyAddress(key)
		if err != nil {
			t.Errorf("key %s: %v", key, err)
		}
		return a
	}
	weights := func(hot string, s int64) msgFunc {
		r := rand.New(rand.NewSource(s))
		return func(c *client.Chain, _ int) (string, sdk.Msg, bool) {
			return hot, &subnettypes.MsgSetWeights{Hotkey: addr(c, hot), Netuid: uint32(l.netuid),
				Uids: []uint32{0, 1}, Weights: []uint32{1 + uint32(r.Intn(65535)), 1 + uint32(r.Intn(65535))}}, true
		}
	}
	stake := func(cold string, s int64) msgFunc {
		r := rand.New(rand.NewSource(s))
		return func(c *client.Chain, i int) (string, sdk.Msg, bool) {
			hot := addr(c, []string{"v1", "v2"}[r.Intn(2)])
			amount := math.NewInt(1_000_000 + r.Int63n(5_000_000))
			if i%3 == 2 {
				return cold, &subnettypes.MsgRemoveStake{Coldkey: addr(c, cold), Netuid: uint32(l.netuid), Hotkey: hot, Amount: math.NewInt(100_000)}, true
			}
			return cold, &subnettypes.MsgAddStake{Coldkey: addr(c, cold), Netuid: uint32(l.netuid), Hotkey: hot, Amount: amount}, true
		}
	}
	return map[string]msgFunc{
		"register": func(c *client.Chain, i int) (string, sdk.Msg, bool) {
			if i >= len(hotkeys) {
				return "", nil, false
			}
			m, err := registerNeuron(c, l.kr, "regcold", hotkeys[i], l.netuid)
			if err != nil {
				t.Errorf("registration of %s: %v", hotkeys[i], err)
				return "", nil, false
			}
			return "regcold", m, true
		},
		"weights-v1": weights("v1", seed+1),
		"weights-v2": weights("v2", seed+2),
		"stake-s1":   stake("s1", seed+3),
		"stake-s2":   stake("s2", seed+4),
	}
}

func kindsSummary(perKind map[string]int) string {
	return fmt.Sprintf("register %d, weights %d, stake %d", perKind["register"],
		perKind["weights-v1"]+perKind["weights-v2"], perKind["stake-s1"]+perKind["stake-s2"])
}
