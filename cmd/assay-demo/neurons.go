package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// startNeurons starts the honest miners' processes, then the in-process
// swap cheat; a miner that waits for another's axon (copy, after good: the
// chain's first-publisher record of the good model's hash must name the
// good miner, DESIGN §12) starts once that axon is on chain, and each
// subnet's validators as soon as all its miners' axons are (a subnet
// waiting for its copy does not hold up the other's first commit).
func (d *demo) startNeurons(ctx context.Context) error {
	var swaps []*minerSpec
	swapSubnet := map[*minerSpec]*subnetSpec{}
	for _, s := range d.subnets {
		for i := range s.miners {
			switch m := &s.miners[i]; {
			case m.after != "":
				if s.miner(m.after) == nil {
					return fmt.Errorf("%s: miner %s waits for %q, which is not on %s", s.dataset, m.name, m.after, s.dataset)
				}
			case m.answers != nil:
				swaps = append(swaps, m) // publishing waits for a block: the processes boot meanwhile
				swapSubnet[m] = s
			default:
				if err := d.startMiner(ctx, s, m); err != nil {
					return err
				}
			}
		}
	}
	for _, m := range swaps {
		if err := d.startMiner(ctx, swapSubnet[m], m); err != nil {
			return err
		}
	}
	later := map[*minerSpec]bool{} // started
	pending := map[uint16]bool{}   // netuids whose validators have not started
	for _, s := range d.subnets {
		pending[s.netuid] = true
	}
	return waitFor(ctx, d.ps, "the miners' axons", 250*time.Millisecond, func() (bool, string, error) {
		var missing []string
		for _, s := range d.subnets {
			if !pending[s.netuid] {
				continue
			}
			mg, err := d.chain.Metagraph(ctx, s.netuid)
			if err != nil {
				return false, err.Error(), nil
			}
			onChain := func(m *minerSpec) bool {
				return int(m.uid) < len(mg.Neurons) && mg.Neurons[m.uid].Axon != nil && mg.Neurons[m.uid].Axon.ModelHash == m.hash
			}
			all := true
			for i := range s.miners {
				m := &s.miners[i]
				if onChain(m) {
					continue
				}
				all = false
				missing = append(missing, m.key)
				if m.after != "" && !later[m] && onChain(s.miner(m.after)) {
					if err := d.startMiner(ctx, s, m); err != nil {
						return false, "", err
					}
					later[m] = true
				}
			}
			if all {
				progress("netuid %d: every miner's axon is on chain with its model hash", s.netuid)
				if err := d.startValidators(s); err != nil {
					return false, "", err
				}
				delete(pending, s.netuid)
			}
		}
		return len(pending) == 0, "no axon yet for " + strings.Join(missing, ", "), nil
	})
}

// startMiner starts one miner: `assay-miner serve` on its model file, or
// the in-process swap cheat.
func (d *demo) startMiner(ctx context.Context, s *subnetSpec, m *minerSpec) error {
	what := fmt.Sprintf("%s/%s", s.dataset, m.name)
	switch {
	case m.answers != nil:
		addr, err := d.startSwapMiner(ctx, s, m)
		if err != nil {
			return err
		}
		progress("miner %s (%s, uid %d) serves on %s: publishes %s's hash, answers with %s (in this process)",
			m.key, what, m.uid, addr, filepath.Base(m.model), filepath.Base(m.answersModel))
		return nil
	case m.after != "":
		what += fmt.Sprintf(": %s, published after %s's", filepath.Base(m.model), m.after)
	}
	listen, err := freePort()
	if err != nil {
		return err
	}
	progress("miner %s (%s, uid %d) serves on %s", m.key, what, m.uid, listen)
	_, err = d.ps.start(fmt.Sprintf("miner-%s-%s", s.dataset, m.name), d.o.bin("assay-miner"), "serve",
		"--model", m.model, "--netuid", strconv.Itoa(int(s.netuid)), "--hotkey", m.key, "--coldkey", payer,
		"--home", d.home, "--keyring-backend", "test", "--grpc", grpcAddr, "--listen", listen, "--metrics=",
		"--log-format", "json")
	return err
}

func (d *demo) statePath(netuid uint16, key string) string {
	return filepath.Join(d.home, "validator", fmt.Sprintf("%d-%s.json", netuid, key))
}

// startValidators runs `assay-validator run` for each validator on subnet s.
func (d *demo) startValidators(s *subnetSpec) error {
	for i, v := range validators {
		pairs := "100"
		if s.spec.Fairness == nil {
			pairs = "-1" // no protected attribute: no twins
		}
		pr, err := d.ps.start(fmt.Sprintf("validator-%s-%s", s.dataset, v.key), d.o.bin("assay-validator"), "run",
			"--netuid", strconv.Itoa(int(s.netuid)), "--from", v.hotkey(s), "--home", d.home, "--keyring-backend", "test",
			"--grpc", grpcAddr, "--state", d.statePath(s.netuid, v.key), "--data-dir", d.o.dataDir, "--metrics=",
			"--sync-interval", "500ms", "--round-interval", "2s", "--batch", "150", "--pairs", pairs,
			"--alpha", "0.3", "--seed", strconv.Itoa(i+1), "--target-latency", "1s", "--log-format", "json")
		if err != nil {
			return err
		}
		d.vprocs = append(d.vprocs, pr)
	}
	progress("netuid %d: %d validators query the miners every 2 s, commit weights once per tempo and reveal them in the next", s.netuid, len(validators))
	return nil
}
