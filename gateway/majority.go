package gateway

// Prediction is the answer for one row.
type Prediction struct {
	Label         string             `json:"label"`
	Probabilities map[string]float64 `json:"probabilities"`
	// Receipt indexes InferResponse.Receipts: the answer these
	// probabilities are from (the best-ranked miner that agreed).
	Receipt int `json:"receipt"`
	// Agreed are the UIDs whose answer has this label; Votes of Asked
	// answers agreed (with k ≥ 3 the label is the majority's).
	Agreed []uint32 `json:"agreed"`
	Votes  int      `json:"votes"`
	Asked  int      `json:"answers"`
}

// argmax is the predicted class of one row of probabilities (the first
// on a tie, as scoring.CheckOutputs does).
func argmax(p []float64) int {
	best := 0
	for i, v := range p {
		if v > p[best] {
			best = i
		}
	}
	return best
}

// combine turns the answers (best-ranked first, already checked to have
// rows × classes probabilities) into one prediction per row. With fewer
// than three answers the best-ranked one is taken; with three or more each
// row's label is the one most answers gave, ties going to the label of the
// best-ranked answer among the tied.
func combine(answers []answer, rows int, classes []string, majority bool) []Prediction {
	out := make([]Prediction, rows)
	nc := len(classes)
	for r := range rows {
		labels := make([]int, len(answers))
		votes := make([]int, nc)
		for i, a := range answers {
			labels[i] = argmax(a.resp.Probabilities[r*nc : (r+1)*nc])
			votes[labels[i]]++
		}
		pick := labels[0]
		if majority {
			for _, l := range labels { // best-ranked first: ties stay with the earlier
				if votes[l] > votes[pick] {
					pick = l
				}
			}
		}
		p := Prediction{Label: classes[pick], Receipt: -1, Votes: votes[pick], Asked: len(answers)}
		for i, a := range answers {
			if labels[i] != pick {
				continue
			}
			p.Agreed = append(p.Agreed, a.miner.UID)
			if p.Receipt < 0 {
				p.Receipt = i
				p.Probabilities = make(map[string]float64, nc)
				for c, name := range classes {
					p.Probabilities[name] = a.resp.Probabilities[r*nc+c]
				}
			}
		}
		out[r] = p
	}
	return out
}
