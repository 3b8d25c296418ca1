package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/assay-network/assay/task"
)

// explain says, for each miner that earned less than the subnet's best,
// why: the reason the validators scored it 0 (DESIGN §12), else lower
// quality, or similar quality but more bias, with the numbers.
func explain(s SubnetSummary) []string {
	var miners []NeuronSummary
	for _, n := range s.Neurons {
		if n.Role == "miner" {
			miners = append(miners, n)
		}
	}
	if len(miners) < 2 {
		return nil
	}
	sort.SliceStable(miners, func(i, j int) bool { return miners[i].earned.GT(miners[j].earned) })
	best := miners[0]
	for _, m := range miners {
		if m.Reason == "" {
			best = m // the best-paid of those scored normally
			break
		}
	}
	var out []string
	for _, m := range miners {
		if m.UID == best.UID {
			continue
		}
		if m.Reason != "" {
			out = append(out, fmt.Sprintf("%s: scored 0, reason %s → score (EMA) %.2f → weight %.3f → incentive %.3f → earned %s ASSAY",
				m.Model, reasonText(s, m), m.Score, m.Weight, m.Incentive, assay(m.earned)))
			continue
		}
		var cause string
		biasGap := m.Bias - best.Bias
		switch {
		case s.BiasWeight > 0 && biasGap > 0.05 && best.Quality-m.Quality < 0.05:
			cause = fmt.Sprintf("accuracy %.2f like %s's %.2f, but %s (%s: %s)", m.Quality, best.Model, best.Quality,
				biasText(s, m.Bias), best.Model, biasShort(s, best.Bias))
		case s.BiasWeight > 0 && biasGap > 0.05:
			cause = fmt.Sprintf("accuracy %.2f vs %s's %.2f, and %s (%s: %s)", m.Quality, best.Model, best.Quality,
				biasText(s, m.Bias), best.Model, biasShort(s, best.Bias))
		default:
			cause = fmt.Sprintf("accuracy %.2f vs %s's %.2f", m.Quality, best.Model, best.Quality)
		}
		rel := 0.0
		if best.Weight > 0 {
			rel = m.Weight / best.Weight
		}
		out = append(out, fmt.Sprintf("%s: %s → score %.2f vs %.2f → weight %.2f of %s's → incentive %.3f vs %.3f → earned %s vs %s ASSAY",
			m.Model, cause, m.Score, best.Score, rel, best.Model, m.Incentive, best.Incentive, assay(m.earned), assay(best.earned)))
	}
	return out
}

// reasonText is a §12 reason with what it means for this miner.
func reasonText(s SubnetSummary, m NeuronSummary) string {
	r := m.Reason
	switch {
	case r == "trivial":
		return fmt.Sprintf("%q (accuracy %.2f is not above the task's %s baseline: no skill)", r, m.Quality, s.Baseline)
	case r == "mismatch":
		return fmt.Sprintf("%q (replaying the model whose hash it published gives other answers than it sent)", r)
	case r == "unverifiable":
		return fmt.Sprintf("%q (its published model could not be fetched, or its bytes do not hash to the model_hash)", r)
	case r == "timeout":
		return fmt.Sprintf("%q (no answer within the task's max latency)", r)
	case r == "error":
		return fmt.Sprintf("%q (its answers were refused: unsigned, malformed or incomplete)", r)
	case strings.HasPrefix(r, "copy of uid "):
		orig := strings.TrimPrefix(r, "copy of uid ")
		for _, n := range s.Neurons {
			if strconv.FormatUint(uint64(n.UID), 10) == orig && n.Model != "" {
				return fmt.Sprintf("%q (serves the model %s, uid %s, published first)", r, n.Model, orig)
			}
		}
		return fmt.Sprintf("%q (serves a model uid %s published first)", r, orig)
	}
	return fmt.Sprintf("%q", r)
}

func biasText(s SubnetSummary, b float64) string {
	switch s.BiasMetric {
	case task.BiasCounterfactualFlip:
		return fmt.Sprintf("flips %.0f%% of decisions when only %s changes", 100*b, s.ProtectedAttribute)
	case task.BiasDemographicParity:
		return fmt.Sprintf("has a demographic-parity gap of %.2f across %s", b, s.ProtectedAttribute)
	case task.BiasEqualizedOdds:
		return fmt.Sprintf("has an equalized-odds gap of %.2f across %s", b, s.ProtectedAttribute)
	}
	return fmt.Sprintf("bias %.2f", b)
}

func biasShort(s SubnetSummary, b float64) string {
	if s.BiasMetric == task.BiasCounterfactualFlip {
		return fmt.Sprintf("%.0f%%", 100*b)
	}
	return fmt.Sprintf("%.2f", b)
}
