// Command assay-demo is `make demo`: it starts a one-node Assay chain in a
// temp home, registers the german-credit subnet (and the MNIST subnet),
// runs the good, poor, biased and trivial reference miners, a copy of the
// good one and a swap cheat (swap.go), and two validators, as real
// assay-miner / assay-validator processes (the swap miner in process) for
// a few tempos, then prints who earned what and why. While it runs it
// serves assay-explorer against its node (--explorer, default
// 127.0.0.1:8080) and prints the URL; once german-credit's validators run
// it serves assay-gateway for that subnet (--gateway, default
// 127.0.0.1:8700, anonymous), prints a curl an app builder can run against
// it, and runs that request itself (gateway.go). With --json the summary is one JSON
// object on stdout; progress and child logs go to stderr. Every child and
// the temp home are removed on exit, failure or Ctrl-C.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/client"
)

type options struct {
	json      bool
	short     bool
	keep      bool
	repo      string
	binDir    string
	dataDir   string
	modelsDir string
	epochs    int
	blockTime time.Duration
	timeout   time.Duration
	lockWait  time.Duration
	// temperature, when set, replaces the german-credit task's reward.temperature.
	temperature string
	// explorer is the HTTP address assay-explorer is served on while the
	// demo runs; empty: none.
	explorer string
	// gateway is the HTTP address assay-gateway serves german-credit on
	// once its validators run; empty: none.
	gateway string
}

var started = time.Now()

// progress is a human progress line on stderr.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "demo [%4.0fs] %s\n", time.Since(started).Seconds(), fmt.Sprintf(format, args...))
}

func main() {
	var o options
	flag.BoolVar(&o.json, "json", false, "print the summary as one JSON object on stdout (progress stays on stderr)")
	flag.BoolVar(&o.short, "short", false, "only the german-credit subnet (the end-to-end test's mode)")
	flag.BoolVar(&o.keep, "keep", false, "keep the temp home (logs, keyring, validator state) instead of deleting it")
	flag.StringVar(&o.repo, "repo", "", "repository root, for scripts/tasks (default: the nearest parent of the working directory holding scripts/tasks)")
	flag.StringVar(&o.binDir, "bin-dir", "", "directory holding assayd, assay-miner and assay-validator (default: this binary's directory)")
	flag.StringVar(&o.dataDir, "data-dir", "", "datasets (default <repo>/data, see `make data`)")
	flag.StringVar(&o.modelsDir, "models-dir", "", "reference models; missing ones are trained here (default <repo>/models, see `make models`)")
	flag.IntVar(&o.epochs, "epochs", 0, "paid epochs to wait for after both validators' first weights are on chain (default 3, --short 2)")
	flag.DurationVar(&o.blockTime, "block-time", time.Second, "CometBFT timeout_commit")
	flag.DurationVar(&o.timeout, "timeout", 6*time.Minute, "give up after this long (not counting the wait for the port lock)")
	flag.DurationVar(&o.lockWait, "lock-wait", 10*time.Minute, "how long to wait for "+lockPath)
	flag.StringVar(&o.temperature, "temperature", "", "run the german-credit subnet with this reward.temperature (a decimal in (0, 1000], as a task file allows) instead of its task file's; its models are trained for that task into <models-dir>/temperature-T")
	flag.StringVar(&o.explorer, "explorer", defaultExplorer, "serve assay-explorer against the demo's node on this address while the demo runs (taken default: any free port; \"\": none)")
	flag.StringVar(&o.gateway, "gateway", defaultGateway, "serve assay-gateway (anonymous) for the german-credit subnet on this address once its validators run, print a curl for it and try it (taken default: any free port; \"\": none)")
	flag.Parse()
	if o.epochs <= 0 {
		o.epochs = 3
		if o.short {
			o.epochs = 2
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	sum, err := run(ctx, o)
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, context.Canceled) {
			progress("interrupted; everything started was stopped and removed")
			os.Exit(130)
		}
		fmt.Fprintf(os.Stderr, "demo: FAILED: %v\n", err)
		os.Exit(1)
	}
	if o.json {
		enc := json.NewEncoder(os.Stdout)
		if err := enc.Encode(sum); err != nil {
			fmt.Fprintf(os.Stderr, "demo: %v\n", err)
			os.Exit(1)
		}
	} else {
		printSummary(os.Stdout, sum)
	}
	progress("done in %s", time.Since(started).Round(time.Second))
}

// paths resolves the repository, binaries, data and models.
func (o *options) paths() error {
	if o.repo == "" {
		wd, err := os.Getwd()
		if err != nil {
			return err
		}
		for d := wd; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "scripts", "tasks", "german-credit.json")); err == nil {
				o.repo = d
				break
			}
			if filepath.Dir(d) == d {
				return fmt.Errorf("no scripts/tasks/german-credit.json above %s: run from the repository or pass --repo", wd)
			}
		}
	}
	if o.binDir == "" {
		exe, err := os.Executable()
		if err != nil {
			return err
		}
		o.binDir = filepath.Dir(exe)
	}
	if o.dataDir == "" {
		o.dataDir = filepath.Join(o.repo, "data")
	}
	if o.modelsDir == "" {
		o.modelsDir = filepath.Join(o.repo, "models")
	}
	for _, b := range []string{"assayd", "assay-miner", "assay-validator"} {
		if _, err := os.Stat(filepath.Join(o.binDir, b)); err != nil {
			return fmt.Errorf("%s not found in %s: run `make build` (or pass --bin-dir)", b, o.binDir)
		}
	}
	return nil
}

func (o *options) bin(name string) string { return filepath.Join(o.binDir, name) }

// run is the whole demo; everything it starts is stopped and removed
// before it returns.
func run(ctx context.Context, o options) (*Summary, error) {
	if err := o.paths(); err != nil {
		return nil, err
	}
	sdk.GetConfig().SetBech32PrefixForAccount(client.Bech32Prefix, client.Bech32Prefix+"pub")
	subnets := demoSubnets(o.short)
	if err := loadTasks(o, subnets); err != nil {
		return nil, err
	}
	if err := checkData(o.dataDir, subnets); err != nil {
		return nil, err
	}
	if err := ensureModels(ctx, o, subnets); err != nil {
		return nil, err
	}

	lock, err := lockPorts(ctx, o.lockWait)
	if err != nil {
		return nil, err
	}
	defer lock.Close()
	if err := checkPortsFree(); err != nil {
		return nil, err
	}
	if o.explorer != "" {
		url, stopExplorer, err := startExplorer(o.explorer)
		if err != nil {
			return nil, err
		}
		defer stopExplorer()
		progress("explorer: %s (serving until the demo ends)", url)
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()

	home, err := os.MkdirTemp("", "assay-demo-")
	if err != nil {
		return nil, err
	}
	ps, err := newProcs(filepath.Join(home, "logs"))
	if err != nil {
		os.RemoveAll(home)
		return nil, err
	}
	ok := false
	defer func() {
		if !ok && ctx.Err() != context.Canceled {
			ps.dumpLogs(os.Stderr, 25) // as they were when it failed, before the shutdown lines
		}
		ps.stopAll()
		if o.keep {
			progress("kept %s (logs in %s/logs)", home, home)
		} else {
			os.RemoveAll(home)
		}
	}()

	progress("starting a one-node chain in %s (tempo 10, %s blocks)", home, o.blockTime)
	keys := allKeys(subnets)
	kr, err := initHome(ctx, o.bin("assayd"), home, keys, o.blockTime)
	if err != nil {
		return nil, err
	}
	if _, err := ps.start("assayd", o.bin("assayd"), "start", "--home", home); err != nil {
		return nil, err
	}
	var chain *client.Chain
	if err := waitFor(ctx, ps, "the node's first block", 300*time.Millisecond, func() (bool, string, error) {
		if chain == nil {
			dctx, c := context.WithTimeout(ctx, 2*time.Second)
			ch, err := client.Dial(dctx, grpcAddr, kr, client.ChainOptions{PollInterval: 200 * time.Millisecond})
			c()
			if err != nil {
				return false, err.Error(), nil
			}
			chain = ch
		}
		h, err := latestHeight(ctx, chain)
		if err != nil {
			return false, err.Error(), nil
		}
		return h >= 1, fmt.Sprintf("height %d", h), nil
	}); err != nil {
		return nil, err
	}
	defer chain.Close()
	d := &demo{o: o, ps: ps, chain: chain, kr: kr, home: home, subnets: subnets, keys: keys}
	if err := d.setup(ctx); err != nil {
		return nil, err
	}
	if err := d.startNeurons(ctx); err != nil {
		return nil, err
	}
	var gw *demoGateway
	if o.gateway != "" {
		if gw, err = d.startGateway(ctx, o.gateway); err != nil {
			return nil, err
		}
		defer gw.stop()
		progress("gateway: %s for netuid %d (anonymous, until the demo ends); try:\n    %s", gw.url, gw.netuid, gw.curl())
	}
	if err := d.waitEpochs(ctx); err != nil {
		return nil, err
	}
	if gw != nil {
		answer, err := gw.try(ctx)
		if err != nil {
			return nil, fmt.Errorf("the printed gateway curl: %w", err)
		}
		progress("gateway: the curl above answers %s", answer)
	}
	sum, err := d.summarize(ctx)
	if err != nil {
		return nil, err
	}
	if !sum.Invariant.Holds {
		return nil, fmt.Errorf("supply invariant broken at block %d: issued %s ≠ rewards %s + pending %s + carry %s + burned %s",
			sum.Invariant.Block, sum.Invariant.Issued, sum.Invariant.Rewards, sum.Invariant.Pending, sum.Invariant.Carry, sum.Invariant.Burned)
	}
	ok = true
	return sum, nil
}

// waitFor polls cond until it holds, a child process exits, or ctx ends;
// the timeout error names what was awaited and the last status seen.
func waitFor(ctx context.Context, ps *procs, what string, every time.Duration, cond func() (bool, string, error)) error {
	last := ""
	for {
		done, st, err := cond()
		if err != nil {
			return fmt.Errorf("waiting for %s: %w", what, err)
		}
		if done {
			return nil
		}
		last = st
		if pr, err := ps.failed(); pr != nil {
			return fmt.Errorf("%s exited (%v) while waiting for %s; log: %s", pr.name, err, what, pr.logPath)
		}
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return fmt.Errorf("timed out after %s waiting for %s (last status: %s)", time.Since(started).Round(time.Second), what, last)
			}
			return ctx.Err()
		case <-time.After(every):
		}
	}
}
