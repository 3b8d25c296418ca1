package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	grpctypes "github.com/cosmos/cosmos-sdk/types/grpc"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/assay-network/assay/client"
	emissiontypes "github.com/assay-network/assay/x/emission/types"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

type validatorSpec struct {
	key   string
	stake int64 // uassay staked by the payer on the validator's hotkey
}

// validators run on every demo subnet, with different stakes.
var validators = []validatorSpec{{"validator1", 100_000_000}, {"validator2", 60_000_000}}

// hotkey is validator v's hotkey on subnet i: assay-validator serves one
// subnet per process, and two processes signing with one key would race
// for its account sequence, so the second subnet gets its own hotkeys.
func (v validatorSpec) hotkey(s *subnetSpec) string {
	if s.index == 0 {
		return v.key
	}
	return v.key + "-" + s.dataset
}

// allKeys is every key the demo chain needs.
func allKeys(subnets []*subnetSpec) []string {
	keys := append([]string(nil), baseKeys...)
	for _, s := range subnets[1:] {
		for _, v := range validators {
			keys = append(keys, v.hotkey(s))
		}
	}
	return keys
}

const payer = "alice" // coldkey that registers every neuron and stakes on the validators

// demo is one run's live state.
type demo struct {
	o       options
	ps      *procs
	chain   *client.Chain
	kr      keyring.Keyring
	home    string
	subnets []*subnetSpec
	keys    []string
	valUID  map[uint32]map[string]uint32 // netuid → validator key → uid
	vprocs  []*proc
	// firstWeights is, per netuid, the block at which both validators' weights were first on chain.
	firstWeights map[uint32]int64
}

func latestHeight(ctx context.Context, c *client.Chain) (int64, error) {
	// The app's last committed height, not CometBFT's latest block: the
	// block store is one block ahead of the app while a block commits, and
	// the report's queries pinned to that height would be refused as "in
	// the future". The node names the height it answered at in a header.
	var md metadata.MD
	if _, err := subnettypes.NewQueryClient(c.Conn()).Params(ctx, &subnettypes.QueryParamsRequest{}, grpc.Header(&md)); err != nil {
		return 0, err
	}
	hs := md.Get(grpctypes.GRPCBlockHeightHeader)
	if len(hs) != 1 {
		return 0, fmt.Errorf("node answered without a %s header", grpctypes.GRPCBlockHeightHeader)
	}
	return strconv.ParseInt(hs[0], 10, 64)
}

func (d *demo) addr(key string) string {
	a, err := d.chain.KeyAddress(key)
	if err != nil {
		panic(err) // every demo key is in the keyring initHome wrote
	}
	return a
}

// setup registers the subnets (one tx from the owner), then every neuron
// and the validators' stake (one tx from the payer), so UIDs come out in
// a fixed order: the miners, then validator1 and validator2.
func (d *demo) setup(ctx context.Context) error {
	owner := d.addr("owner")
	var msgs []sdk.Msg
	for _, s := range d.subnets {
		canonical, err := s.spec.Canonical()
		if err != nil {
			return err
		}
		msgs = append(msgs, &subnettypes.MsgRegisterSubnet{Owner: owner, Name: s.dataset, TaskSpec: string(canonical)})
	}
	progress("owner registers %d subnet(s) from scripts/tasks/*.json%s", len(msgs), d.temperatureText())
	if _, err := d.chain.Broadcast(ctx, "owner", msgs...); err != nil {
		return fmt.Errorf("registering the subnets: %w", err)
	}
	r, err := subnettypes.NewQueryClient(d.chain.Conn()).Subnets(ctx, &subnettypes.QuerySubnetsRequest{})
	if err != nil {
		return err
	}
	for _, s := range d.subnets {
		for _, sn := range r.Subnets {
			if sn.Name == s.dataset {
				s.netuid = uint16(sn.Netuid)
			}
		}
		if s.netuid == 0 {
			return fmt.Errorf("subnet %s not found after registering it", s.dataset)
		}
	}

	cold := d.addr(payer)
	msgs = msgs[:0]
	d.valUID = map[uint32]map[string]uint32{}
	for _, s := range d.subnets {
		uid := uint32(0)
		for i := range s.miners {
			m, err := d.registerMsg(s.netuid, cold, s.miners[i].key)
			if err != nil {
				return err
			}
			msgs = append(msgs, m)
			s.miners[i].uid = uid
			uid++
		}
		d.valUID[uint32(s.netuid)] = map[string]uint32{}
		for _, v := range validators {
			m, err := d.registerMsg(s.netuid, cold, v.hotkey(s))
			if err != nil {
				return err
			}
			msgs = append(msgs, m)
			d.valUID[uint32(s.netuid)][v.key] = uid
			uid++
		}
		for _, v := range validators {
			msgs = append(msgs, &subnettypes.MsgAddStake{Coldkey: cold, Netuid: uint32(s.netuid), Hotkey: d.addr(v.hotkey(s)), Amount: sdkmath.NewInt(v.stake)})
		}
	}
	progress("%s registers every miner and validator hotkey and stakes %s", payer, stakeText())
	if _, err := d.chain.Broadcast(ctx, payer, msgs...); err != nil {
		return fmt.Errorf("registering the neurons: %w", err)
	}
	// The UIDs were assigned in message order; make sure.
	for _, s := range d.subnets {
		for _, m := range s.miners {
			n, ok, err := d.chain.NeuronByHotkey(ctx, s.netuid, d.addr(m.key))
			if err != nil || !ok || n.Uid != m.uid {
				return fmt.Errorf("netuid %d: %s not registered as uid %d (%v)", s.netuid, m.key, m.uid, err)
			}
		}
	}
	return nil
}

// temperatureText notes a --temperature override in the progress line.
func (d *demo) temperatureText() string {
	if d.o.temperature == "" {
		return ""
	}
	for _, s := range d.subnets {
		if s.dataset == temperatureSubnet {
			return fmt.Sprintf(" (%s with reward.temperature %s: %s)", s.dataset, d.o.temperature, s.taskFile)
		}
	}
	return ""
}

func stakeText() string {
	var parts []string
	for _, v := range validators {
		parts = append(parts, fmt.Sprintf("%d ASSAY on %s", v.stake/1_000_000, v.key))
	}
	return strings.Join(parts, ", ")
}

// registerMsg builds a MsgRegisterNeuron paid by cold, with the hotkey's
// signed authorisation (x/subnet README, "Hotkey proof").
func (d *demo) registerMsg(netuid uint16, cold, hotkey string) (sdk.Msg, error) {
	hot := d.addr(hotkey)
	sig, pk, err := d.kr.Sign(hotkey, subnettypes.RegistrationAuthorization(d.chain.ChainID(), netuid, cold, hot), signing.SignMode_SIGN_MODE_DIRECT)
	if err != nil {
		return nil, err
	}
	return &subnettypes.MsgRegisterNeuron{Coldkey: cold, Netuid: uint32(netuid), Hotkey: hot, HotkeyPubkey: pk.Bytes(),
		HotkeySignature: sig, MaxCost: sdkmath.NewInt(1_000_000_000)}, nil
}

// waitEpochs waits, per subnet, until both validators' weights are on chain
// and then for o.epochs paid epochs after that block.
func (d *demo) waitEpochs(ctx context.Context) error {
	q := subnettypes.NewQueryClient(d.chain.Conn())
	eq := emissiontypes.NewQueryClient(d.chain.Conn())
	d.firstWeights = map[uint32]int64{}
	for _, s := range d.subnets {
		err := waitFor(ctx, d.ps, fmt.Sprintf("both validators' weights on netuid %d (committed, then revealed a tempo later)", s.netuid), 500*time.Millisecond, func() (bool, string, error) {
			h, err := latestHeight(ctx, d.chain)
			if err != nil {
				return false, err.Error(), nil
			}
			var have []string
			for _, v := range validators {
				r, err := q.Weights(ctx, &subnettypes.QueryWeightsRequest{Netuid: uint32(s.netuid), Uid: d.valUID[uint32(s.netuid)][v.key]})
				if err == nil && len(r.Row.Uids) > 0 {
					have = append(have, v.key)
				}
			}
			if len(have) < len(validators) {
				return false, fmt.Sprintf("block %d, weights from %v", h, have), nil
			}
			d.firstWeights[uint32(s.netuid)] = h
			return true, "", nil
		})
		if err != nil {
			return err
		}
		progress("netuid %d: both validators' weights are on chain at block %d", s.netuid, d.firstWeights[uint32(s.netuid)])
	}
	for _, s := range d.subnets {
		seen := -1
		err := waitFor(ctx, d.ps, fmt.Sprintf("%d paid epochs on netuid %d after block %d", d.o.epochs, s.netuid, d.firstWeights[uint32(s.netuid)]), time.Second, func() (bool, string, error) {
			r, err := eq.History(ctx, &emissiontypes.QueryHistoryRequest{Netuid: uint32(s.netuid)})
			if err != nil {
				return false, err.Error(), nil
			}
			n := paidAfter(r.Epochs, d.firstWeights[uint32(s.netuid)])
			if n != seen && n > 0 {
				progress("netuid %d: %d/%d paid epochs with the validators' weights", s.netuid, n, d.o.epochs)
			}
			seen = n
			return n >= d.o.epochs, fmt.Sprintf("%d paid", n), nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func paidAfter(epochs []emissiontypes.EpochRecord, block int64) int {
	n := 0
	for _, e := range epochs {
		if e.Paid && e.Block > block {
			n++
		}
	}
	return n
}
