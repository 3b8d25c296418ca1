package model

import (
	"fmt"

	"gorgonia.org/tensor"

	"github.com/assay-network/assay/dataset"
)

// Header is everything about a model except its weights: what task and
// dataset it serves, its architecture, the schema it consumes and the encoder
// that turns raw rows into its inputs. It is stored as JSON of ordered struct
// fields (no maps), so equal headers encode to equal bytes.
type Header struct {
	Task    string `json:"task"`
	Dataset string `json:"dataset"`
	// TaskHash is the task hash (DESIGN §11) of the spec the model was
	// trained for: the model serves that task and no other.
	TaskHash     string          `json:"task_hash"`
	Architecture Architecture    `json:"architecture"`
	Schema       dataset.Schema  `json:"schema"`
	Encoder      dataset.Encoder `json:"encoder"`
	Training     TrainingInfo    `json:"training"`
}

// TrainingInfo records how the model was made, for `inspect` and provenance.
type TrainingInfo struct {
	Variant            string  `json:"variant,omitempty"`
	Seed               uint64  `json:"seed"`
	Epochs             int     `json:"epochs"`
	BatchSize          int     `json:"batch_size"`
	LearnRate          float64 `json:"learn_rate"`
	TrainRows          int     `json:"train_rows"`
	ValidationAccuracy float64 `json:"validation_accuracy"`
}

// Validate checks the header is self-consistent.
func (h *Header) Validate() error {
	if h.Task != dataset.TaskTabular && h.Task != dataset.TaskImage {
		return fmt.Errorf("model: unknown task %q", h.Task)
	}
	if h.Dataset == "" {
		return fmt.Errorf("model: header names no dataset")
	}
	if !isHexHash(h.TaskHash) {
		return fmt.Errorf("model: header task_hash %q is not 64 lowercase hex digits", h.TaskHash)
	}
	if err := h.Architecture.Validate(); err != nil {
		return err
	}
	if err := h.Encoder.Validate(); err != nil {
		return fmt.Errorf("model: %w", err)
	}
	if w := h.Encoder.Width(); w != h.Architecture.Inputs {
		return fmt.Errorf("model: encoder width %d != architecture inputs %d", w, h.Architecture.Inputs)
	}
	if len(h.Encoder.Columns) != len(h.Schema.Features) {
		return fmt.Errorf("model: encoder has %d columns, schema %d features", len(h.Encoder.Columns), len(h.Schema.Features))
	}
	if len(h.Schema.Classes) != h.Architecture.Classes {
		return fmt.Errorf("model: schema has %d classes, architecture %d", len(h.Schema.Classes), h.Architecture.Classes)
	}
	return nil
}

// Model is a loaded or freshly trained model. Weights follow
// Architecture.Shapes order and are never written after construction, so
// many Predictors may share them.
type Model struct {
	Header  Header
	Weights []*tensor.Dense
}

// New assembles a model and checks weights against the architecture.
func New(h Header, weights []*tensor.Dense) (*Model, error) {
	if err := h.Validate(); err != nil {
		return nil, err
	}
	shapes := h.Architecture.Shapes()
	if len(weights) != len(shapes) {
		return nil, fmt.Errorf("model: %d weight tensors, architecture %s needs %d", len(weights), h.Architecture, len(shapes))
	}
	for i, w := range weights {
		if !w.Shape().Eq(tensor.Shape(shapes[i])) {
			return nil, fmt.Errorf("model: tensor %s has shape %v, want %v", ParamName(i), w.Shape(), shapes[i])
		}
		if w.Dtype() != tensor.Float64 {
			return nil, fmt.Errorf("model: tensor %s has dtype %v, want float64", ParamName(i), w.Dtype())
		}
	}
	return &Model{Header: h, Weights: weights}, nil
}

// CheckTask refuses a model made for another task, so a miner cannot
// serve, say, an MNIST model on a german-credit subnet by mistake. Tasks
// are told apart by their hash: the same data under another split or
// label is another task.
func (m *Model) CheckTask(taskType, taskHash string) error {
	if m.Header.Task != taskType || m.Header.TaskHash != taskHash {
		return fmt.Errorf("model: file was trained for task %s (%s, %q), want task %s (%s); retrain with `assay-miner train` for this task",
			m.Header.TaskHash, m.Header.Task, m.Header.Dataset, taskHash, taskType)
	}
	return nil
}

func isHexHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Encode turns raw dataset rows into model inputs with the model's encoder.
func (m *Model) Encode(rows [][]float64) ([][]float64, error) {
	w := m.Header.Encoder.Width()
	flat, err := m.Header.Encoder.EncodeBatch(rows)
	if err != nil {
		return nil, err
	}
	out := make([][]float64, len(rows))
	for i := range out {
		out[i] = flat[i*w : (i+1)*w : (i+1)*w]
	}
	return out, nil
}
