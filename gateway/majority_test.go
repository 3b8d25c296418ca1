package gateway

import (
	"testing"

	"github.com/stretchr/testify/require"

	synapsev1 "github.com/assay-network/assay/synapse/v1"
)

func ans(uid uint32, probs ...float64) answer {
	return answer{miner: Miner{UID: uid}, resp: &synapsev1.InferResponse{Probabilities: probs}}
}

func TestCombine(t *testing.T) {
	classes := []string{"a", "b", "c"}
	// Two rows; best-ranked first.
	answers := []answer{
		ans(7, 0.6, 0.3, 0.1 /**/, 0.2, 0.3, 0.5),
		ans(3, 0.1, 0.8, 0.1 /**/, 0.1, 0.1, 0.8),
		ans(9, 0.2, 0.7, 0.1 /**/, 0.7, 0.2, 0.1),
	}
	maj := combine(answers, 2, classes, true)
	require.Equal(t, "b", maj[0].Label, "two of three say b")
	require.Equal(t, []uint32{3, 9}, maj[0].Agreed)
	require.Equal(t, 2, maj[0].Votes)
	require.Equal(t, 3, maj[0].Asked)
	require.Equal(t, 1, maj[0].Receipt, "probabilities from the best-ranked that agreed")
	require.Equal(t, map[string]float64{"a": 0.1, "b": 0.8, "c": 0.1}, maj[0].Probabilities)
	require.Equal(t, "c", maj[1].Label)
	require.Equal(t, []uint32{7, 3}, maj[1].Agreed)

	// Without a majority vote (k < 3), the best-ranked answer stands.
	top := combine(answers, 2, classes, false)
	require.Equal(t, "a", top[0].Label)
	require.Equal(t, []uint32{7}, top[0].Agreed)
	require.Equal(t, 0, top[0].Receipt)

	// Three-way tie: the best-ranked answer's label.
	tie := combine([]answer{ans(1, 0, 0, 1), ans(2, 1, 0, 0), ans(3, 0, 1, 0)}, 1, classes, true)
	require.Equal(t, "c", tie[0].Label)
	require.Equal(t, []uint32{1}, tie[0].Agreed)
}
