package validator

import (
	"context"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"gorgonia.org/tensor"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/miner"
	"github.com/assay-network/assay/miner/model"
	synapsev1 "github.com/assay-network/assay/synapse/v1"
)

// Cheating miners for the replay and copy tests, built from the miner and
// synapse packages in test code: the miner binary has no flag for lying.

// modelFile is m's file and its hash.
func modelFile(t testing.TB, m *model.Model) ([]byte, string) {
	t.Helper()
	b, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b, model.HashBytes(b)
}

// variant is m under another file (its training seed changed): another
// hash, the very same answers.
func variant(m *model.Model, seed uint64) *model.Model {
	c := *m
	c.Header.Training.Seed = seed
	return &c
}

// perturbed is m with seeded noise of the given scale on every weight:
// nearly the same predictions, other probabilities.
func perturbed(t testing.TB, m *model.Model, scale float64, seed uint64) *model.Model {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 1))
	ws := make([]*tensor.Dense, len(m.Weights))
	for i, w := range m.Weights {
		data := append([]float64(nil), w.Data().([]float64)...)
		for j := range data {
			data[j] += scale * r.NormFloat64()
		}
		ws[i] = tensor.New(tensor.WithShape(w.Shape()...), tensor.WithBacking(data))
	}
	h := m.Header
	h.Training.Seed = seed
	c, err := model.New(h, ws)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// servingMiner runs a real miner.Server on loopback that streams file on
// GetModel and publishes its hash, but answers Infer with predict (over
// encoded rows): a swap when predict is not file's model.
func servingMiner(t testing.TB, m *model.Model, file []byte, predict miner.PredictFunc) (addr string, key *client.PrivKeySigner, hash string) {
	t.Helper()
	srv, key, err := newServingMiner(m, file, predict)
	if err != nil {
		t.Fatal(err)
	}
	return startMiner(t, srv), key, model.HashBytes(file)
}

func newServingMiner(m *model.Model, file []byte, predict miner.PredictFunc) (*miner.Server, *client.PrivKeySigner, error) {
	key := newKey()
	srv, err := miner.New(miner.Config{Netuid: testNetuid, BatchWindow: time.Millisecond, Workers: 1},
		miner.Deps{Model: m, ModelFile: file, Signer: key, Permits: anyPermit{}, Predict: predict, Log: zerolog.Nop()})
	return srv, key, err
}

// predictor is a forward pass of m.
func predictor(t testing.TB, m *model.Model) *model.Predictor {
	t.Helper()
	p, err := model.NewPredictor(m, model.PredictorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// lyingAxon answers Infer honestly with model m (signed, under hash) but
// serves GetModel with getModel: a miner whose published file is broken.
type lyingAxon struct {
	synapsev1.UnimplementedAxonServer
	key      client.Signer
	hash     string
	m        *model.Model
	p        *model.Predictor
	getModel func(grpc.ServerStreamingServer[synapsev1.ModelChunk]) error
	fetches  chan struct{} // one value per GetModel call (buffered)
}

func (l *lyingAxon) Infer(ctx context.Context, req *synapsev1.InferRequest) (*synapsev1.InferResponse, error) {
	raw, err := client.RequestRows(req)
	if err != nil {
		return nil, err
	}
	enc, err := l.m.Encode(raw)
	if err != nil {
		return nil, err
	}
	out, err := l.p.Predict(ctx, enc)
	if err != nil {
		return nil, err
	}
	resp := &synapsev1.InferResponse{ModelHash: l.hash, Rows: uint32(len(out)), Classes: uint32(len(out[0]))}
	for _, r := range out {
		resp.Probabilities = append(resp.Probabilities, r...)
	}
	rh, err := client.BodyHash(req)
	if err != nil {
		return nil, err
	}
	md, _ := metadata.FromIncomingContext(ctx)
	nonce, err := strconv.ParseInt(md.Get(client.MDNonce)[0], 10, 64)
	if err != nil {
		return nil, err
	}
	return resp, client.SignResponse(l.key, client.RequestID{BodyHash: rh, Nonce: nonce, Caller: md.Get(client.MDHotkey)[0]}, resp)
}

func (l *lyingAxon) GetModel(_ *synapsev1.GetModelRequest, s grpc.ServerStreamingServer[synapsev1.ModelChunk]) error {
	select {
	case l.fetches <- struct{}{}:
	default:
	}
	return l.getModel(s)
}

// streamOf sends file as the miner does, in chunks of at most 1 MiB,
// announcing total (0: its length).
func streamOf(file []byte, total uint64) func(grpc.ServerStreamingServer[synapsev1.ModelChunk]) error {
	return func(s grpc.ServerStreamingServer[synapsev1.ModelChunk]) error {
		if total == 0 {
			total = uint64(len(file))
		}
		for off := 0; off < len(file); off += client.MaxModelChunk {
			end := min(off+client.MaxModelChunk, len(file))
			if err := s.Send(&synapsev1.ModelChunk{Data: file[off:end], Offset: uint64(off), TotalSize: total}); err != nil {
				return err
			}
		}
		return nil
	}
}
