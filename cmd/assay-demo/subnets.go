package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/assay-network/assay/internal/atomicfile"
	"github.com/assay-network/assay/miner/model"
	"github.com/assay-network/assay/task"
	"github.com/assay-network/assay/x/subnet/client/cli"
)

// subnetSpec is one demo subnet: its task file and miners.
type subnetSpec struct {
	dataset   string // also the subnet name and the task file's base name
	index     int    // position in the demo's list
	miners    []minerSpec
	taskFile  string    // scripts/tasks/<dataset>.json, or its --temperature variant
	spec      task.Spec // parsed from taskFile
	taskHash  string
	modelsDir string // where its model files are (trained if missing or for another task)
	netuid    uint16 // set once registered
}

// miner is the subnet's miner called name, or nil.
func (s *subnetSpec) miner(name string) *minerSpec {
	for i := range s.miners {
		if s.miners[i].name == name {
			return &s.miners[i]
		}
	}
	return nil
}

// modelRef names a model file: a reference variant and its training seed.
type modelRef struct {
	variant string
	seed    uint64 // 0: the recipe's (model.DefaultSeed)
}

func (r modelRef) file(dataset string) string {
	if r.seed == 0 {
		return dataset + "-" + r.variant + ".amdl"
	}
	return fmt.Sprintf("%s-%s-seed%d.amdl", dataset, r.variant, r.seed)
}

// minerSpec is one demo miner. Honest miners run `assay-miner serve` on
// their model; copy serves good's file under its own hotkey; swap is the
// in-process cheat of swap.go.
type minerSpec struct {
	key     string
	name    string    // the table's model column and the JSON "model": good, poor, biased, trivial, copy, swap
	serves  modelRef  // the file served and published
	answers *modelRef // swap only: the model that really answers
	// after: start once every miner without it is on chain. copy waits
	// for good, so the chain records good as the hash's first publisher.
	after string

	uid          uint32 // set once registered
	model        string // path of serves
	hash         string // its sha256 = the published model hash
	answersModel string // path of answers
}

func demoSubnets(short bool) []*subnetSpec {
	s := []*subnetSpec{{dataset: "german-credit", miners: []minerSpec{
		{key: "miner1", name: "good", serves: modelRef{variant: model.VariantGood}},
		{key: "miner2", name: "poor", serves: modelRef{variant: model.VariantPoor}},
		{key: "miner3", name: "biased", serves: modelRef{variant: model.VariantBiased}},
		{key: "miner5", name: "trivial", serves: modelRef{variant: model.VariantTrivial}},
		{key: "miner6", name: "copy", serves: modelRef{variant: model.VariantGood}, after: "good"},
		// A poor model nobody else serves is published; a good one (another
		// seed than the good miner's, so its answers are no near-copy of
		// them) answers.
		{key: "miner7", name: "swap", serves: modelRef{variant: model.VariantPoor, seed: 2},
			answers: &modelRef{variant: model.VariantGood, seed: 2}},
	}}}
	if !short {
		s = append(s, &subnetSpec{dataset: "mnist", index: 1, miners: []minerSpec{
			{key: "miner4", name: "good", serves: modelRef{variant: model.VariantGood}}}})
	}
	return s
}

// temperatureSubnet is the subnet --temperature changes: the one whose
// several miners share the reward.
const temperatureSubnet = "german-credit"

// loadTasks reads each subnet's task file. With --temperature the
// german-credit task is that file with reward.temperature replaced, written
// with its models under <models-dir>/temperature-T: another temperature is
// another task (hash), and a miner serves only a model trained for its
// subnet's task.
func loadTasks(o options, subnets []*subnetSpec) error {
	for _, s := range subnets {
		s.taskFile = filepath.Join(o.repo, "scripts", "tasks", s.dataset+".json")
		s.modelsDir = o.modelsDir
		spec, err := cli.ReadTaskFile(s.taskFile)
		if err != nil {
			return err
		}
		if o.temperature != "" && s.dataset == temperatureSubnet {
			spec.Reward.Temperature = o.temperature
			b, err := spec.Canonical()
			if err != nil {
				return fmt.Errorf("--temperature %s: %w", o.temperature, err)
			}
			s.modelsDir = filepath.Join(o.modelsDir, "temperature-"+o.temperature)
			if err := os.MkdirAll(s.modelsDir, 0o755); err != nil {
				return err
			}
			s.taskFile = filepath.Join(s.modelsDir, s.dataset+".json")
			if err := atomicfile.Write(s.taskFile, append(b, '\n')); err != nil {
				return err
			}
		}
		if s.taskHash, err = spec.Hash(); err != nil {
			return fmt.Errorf("task file %s: %w", s.taskFile, err)
		}
		s.spec = spec
	}
	return nil
}

func checkData(dir string, subnets []*subnetSpec) error {
	for _, s := range subnets {
		ents, err := os.ReadDir(filepath.Join(dir, s.dataset))
		if err != nil || len(ents) == 0 {
			return fmt.Errorf("dataset %s missing in %s: run `make data`", s.dataset, dir)
		}
	}
	return nil
}

// ensureModels finds (or, like scripts/models.sh, trains) every model the
// miners serve or answer with. A file of an older format or for another
// task (hash) is retrained, not served and refused.
func ensureModels(ctx context.Context, o options, subnets []*subnetSpec) error {
	for _, s := range subnets {
		if err := os.MkdirAll(s.modelsDir, 0o755); err != nil {
			return err
		}
		ready := map[string]bool{}
		need := func(r modelRef) (string, error) {
			path := filepath.Join(s.modelsDir, r.file(s.dataset))
			if ready[path] {
				return path, nil
			}
			_, _, err := model.LoadFor(path, s.spec.TaskType, s.taskHash)
			switch {
			case err == nil:
				ready[path] = true
				return path, nil
			case errors.Is(err, os.ErrNotExist):
				progress("training %s/%s (seed %d) into %s (`make models` does this once)", s.dataset, r.variant, seedOf(r), path)
			default:
				progress("%v: retraining", err)
			}
			if _, err := runTool(ctx, o.bin("assay-miner"), "train", "--log-format", "json", "--log-level", "warn",
				"--task-file", s.taskFile, "--variant", r.variant, "--seed", strconv.FormatUint(r.seed, 10),
				"--data-dir", o.dataDir, "--out", path); err != nil {
				return "", err
			}
			ready[path] = true
			return path, nil
		}
		for i := range s.miners {
			m := &s.miners[i]
			var err error
			if m.model, err = need(m.serves); err != nil {
				return err
			}
			if m.answers != nil {
				if m.answersModel, err = need(*m.answers); err != nil {
					return err
				}
			}
			b, err := os.ReadFile(m.model)
			if err != nil {
				return err
			}
			m.hash = model.HashBytes(b)
		}
	}
	return nil
}

func seedOf(r modelRef) uint64 {
	if r.seed == 0 {
		return model.DefaultSeed
	}
	return r.seed
}
