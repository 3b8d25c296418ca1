package validator

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/assay-network/assay/task"
	"github.com/assay-network/assay/task/check"
	"github.com/assay-network/assay/validator/challenge"
	"github.com/assay-network/assay/validator/scoring"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// setupTask builds the subnet's task from its spec on chain (DESIGN §11):
// the data fetched into the content-addressed cache and checked by hash,
// the §11 split, the protected column's groups and twins, the metrics.
func (v *Validator) setupTask(ctx context.Context, sn *subnettypes.Subnet) error {
	spec, err := sn.Task()
	if err != nil {
		return fmt.Errorf("validator: netuid %d task: %w", v.cfg.Netuid, err)
	}
	d := v.deps.Dataset
	if d == nil {
		if d, _, err = check.Load(ctx, spec, check.Options{DataDir: v.cfg.DataDir}); err != nil {
			return fmt.Errorf("validator: netuid %d task %s: %w", v.cfg.Netuid, spec.Name, err)
		}
	}
	// A dataset given in Deps (tests) may come from a variant of the spec
	// (another deadline, say), so it is matched by name and type.
	if d.ID != spec.Name || d.Task != spec.TaskType {
		return fmt.Errorf("validator: netuid %d evaluates %s/%s, the dataset given is %s/%s", v.cfg.Netuid, spec.TaskType, spec.Name, d.Task, d.ID)
	}
	var metric, protected string
	var bw float64
	pc := d.ProtectedColumn
	if f := spec.Fairness; f != nil {
		if bw, err = strconv.ParseFloat(f.BiasWeight, 64); err != nil {
			return fmt.Errorf("validator: netuid %d: fairness.bias_weight %q: %w", v.cfg.Netuid, f.BiasWeight, err)
		}
		metric = f.BiasMetric
	}
	if bw == 0 {
		metric, pc = "", nil
	}
	if pc != nil {
		protected = pc.Name
	}
	s, err := challenge.NewSampler(d, pc, v.cfg.Seed)
	if err != nil {
		return fmt.Errorf("validator: netuid %d: %w", v.cfg.Netuid, err)
	}
	maxLat := time.Duration(spec.MaxLatencyMS) * time.Millisecond
	if maxLat <= 0 {
		maxLat = 2 * time.Second
	}
	target := v.cfg.TargetLatency
	if target <= 0 {
		target = maxLat / 4
	}
	if v.cfg.QueryTimeout <= 0 || v.cfg.QueryTimeout > maxLat {
		v.cfg.QueryTimeout = maxLat
	}
	classes := len(d.Schema.Classes)
	// An unknown metric name is refused here, not on the first round.
	if _, err := scoring.Quality(spec.Metric, classes, nil, nil, nil); err != nil {
		return fmt.Errorf("validator: netuid %d: %w", v.cfg.Netuid, err)
	}
	// The baseline is fixed by the validation split, so it is computed once.
	_, labels := d.Rows(d.Validation)
	baseline, err := scoring.Baseline(spec.Reward.Baseline, spec.Metric, classes, labels)
	if err != nil {
		return fmt.Errorf("validator: netuid %d: reward.baseline: %w", v.cfg.Netuid, err)
	}
	temp, err := strconv.ParseFloat(spec.Reward.Temperature, 64)
	if err == nil && !(temp > 0) {
		err = scoring.ErrTemperature
	}
	if err != nil {
		return fmt.Errorf("validator: netuid %d: reward.temperature %q: %w", v.cfg.Netuid, spec.Reward.Temperature, err)
	}
	eps := spec.Reward.CopyEpsilon
	if eps == "" {
		eps = task.DefaultCopyEpsilon
	}
	copyEps, err := strconv.ParseFloat(eps, 64)
	if err == nil && !(copyEps >= 0) {
		err = errors.New("want a number ≥ 0")
	}
	if err != nil {
		return fmt.Errorf("validator: netuid %d: reward.copy_epsilon %q: %w", v.cfg.Netuid, eps, err)
	}
	v.sampler = s
	v.temperature = temp
	v.task, v.copyEpsilon = d, copyEps
	roundBaseline, majority := spec.Reward.Baseline == task.BaselineMajority, 0
	if roundBaseline {
		if majority, err = scoring.MajorityClass(labels, classes); err != nil {
			return fmt.Errorf("validator: netuid %d: reward.baseline: %w", v.cfg.Netuid, err)
		}
	}
	v.spec = scoring.Spec{Classes: classes, Metric: spec.Metric, Favorable: challenge.Favorable(&d.Schema), BiasMetric: metric,
		BiasWeight: bw, Baseline: baseline, RoundBaseline: roundBaseline, MajorityClass: majority, Target: target, MaxLatency: maxLat}
	if _, err := scoring.BiasOf(metric, scoring.Result{}); err != nil {
		return err
	}
	v.log.Info().Str("task", d.ID).Str("task_hash", d.TaskHash).Str("metric", spec.Metric).Str("bias_metric", metric).Float64("bias_weight", bw).
		Str("baseline", spec.Reward.Baseline).Float64("baseline_quality", baseline).Float64("temperature", temp).Float64("copy_epsilon", copyEps).
		Str("protected", protected).Dur("max_latency", maxLat).Dur("target_latency", target).Msg("task loaded")
	return nil
}
