package validator

import (
	"context"
	"errors"
	"math"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/rs/zerolog"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/dataset"
	"github.com/assay-network/assay/miner"
	"github.com/assay-network/assay/miner/model"
	synapsev1 "github.com/assay-network/assay/synapse/v1"
	"github.com/assay-network/assay/task"
	"github.com/assay-network/assay/x/subnet/epoch"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

const testNetuid = 3

var (
	fixOnce  sync.Once
	fixData  *dataset.Dataset
	fixModel *model.Model
	fixErr   error
)

// fixture trains one small model for the test subnet's task (cpsTask) on
// the committed CPS wages data (hermetic).
func fixture(t testing.TB) (*dataset.Dataset, *model.Model) {
	t.Helper()
	if err := loadFixture(); err != nil {
		t.Fatal(err)
	}
	return fixData, fixModel
}

func loadFixture() error {
	fixOnce.Do(func() {
		spec, _ := cpsTask()
		var s task.Spec
		if s, fixErr = task.Parse([]byte(spec)); fixErr != nil {
			return
		}
		fixData, fixErr = dataset.LoadTask(s, map[string]string{task.RoleData: "../dataset/testdata/cps1985-wages/data.csv"})
		if fixErr != nil {
			return
		}
		fixModel, fixErr = model.Train(context.Background(), fixData, model.TrainConfig{
			Hidden: []int{16}, Epochs: 20, BatchSize: 16, LearnRate: 1e-2, Seed: 1})
	})
	return fixErr
}

func newKey() *client.PrivKeySigner { return client.NewPrivKeySigner(secp256k1.GenPrivKey()) }

// anyPermit admits every caller.
type anyPermit struct{}

func (anyPermit) Permit(context.Context, string) (miner.Permit, error) {
	return miner.Permit{Stake: 1}, nil
}

// serve runs srv on loopback until the test ends and returns its address.
func serve(t testing.TB, register func(*grpc.Server)) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gs := grpc.NewServer()
	register(gs)
	go func() { _ = gs.Serve(lis) }()
	t.Cleanup(gs.Stop)
	return lis.Addr().String()
}

// realMiner serves the fixture model with a fresh hotkey; predict may be
// shared between miners (nil: the server builds its own).
func realMiner(t testing.TB, predict miner.PredictFunc) (addr string, key *client.PrivKeySigner, hash string) {
	t.Helper()
	_, m := fixture(t)
	key = newKey()
	srv, err := miner.New(miner.Config{Netuid: testNetuid, BatchWindow: time.Millisecond, Workers: 1},
		miner.Deps{Model: m, Signer: key, Permits: anyPermit{}, Predict: predict, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	hash, _ = m.Hash()
	return startMiner(t, srv), key, hash
}

// startMiner serves srv on loopback until the test ends.
func startMiner(t testing.TB, srv *miner.Server) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = srv.Serve(ctx, lis, nil); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return lis.Addr().String()
}

// badMiner answers every request with outputs(req) signed by signAs, after delay.
type badMiner struct {
	synapsev1.UnimplementedAxonServer
	signAs  client.Signer
	hash    string
	delay   time.Duration
	outputs func(n int) [][]float64
}

func (b *badMiner) Infer(ctx context.Context, req *synapsev1.InferRequest) (*synapsev1.InferResponse, error) {
	select {
	case <-time.After(b.delay):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	resp := &synapsev1.InferResponse{ModelHash: b.hash}
	out := b.outputs(int(req.Rows))
	resp.Rows = uint32(len(out))
	for _, r := range out {
		resp.Classes = uint32(len(r))
		resp.Probabilities = append(resp.Probabilities, r...)
	}
	rh, err := client.BodyHash(req)
	if err != nil {
		return nil, err
	}
	// The answer is bound to the request's nonce and caller, as a real miner's.
	md, _ := metadata.FromIncomingContext(ctx)
	nonce, err := strconv.ParseInt(md.Get(client.MDNonce)[0], 10, 64)
	if err != nil {
		return nil, err
	}
	id := client.RequestID{BodyHash: rh, Nonce: nonce, Caller: md.Get(client.MDHotkey)[0]}
	return resp, client.SignResponse(b.signAs, id, resp)
}

func rows(n int, row ...float64) [][]float64 {
	out := make([][]float64, n)
	for i := range out {
		out[i] = row
	}
	return out
}

// fakeChain is a scripted chain: a metagraph the test edits and recorded txs.
type fakeChain struct {
	mu          sync.Mutex
	mg          *subnettypes.QueryMetagraphResponse
	down        int // fail this many Metagraph calls first
	metaCalls   int
	set         [][2][]uint32
	commits     []subnettypes.WeightCommit
	reveals     [][2][]uint32
	failCommits int // refuse this many commits (rate limit)
	// pubs are the first publishers of model hashes (`q subnet model`);
	// a hash not in it has no record.
	pubs     map[string]subnettypes.ModelPublisher
	pubDelay time.Duration // each ModelPublisher query takes this long (or until cancelled)
}

func (f *fakeChain) ModelPublisher(ctx context.Context, _ uint16, hash string) (subnettypes.ModelPublisher, bool, error) {
	f.mu.Lock()
	delay := f.pubDelay
	f.mu.Unlock()
	select {
	case <-time.After(delay):
	case <-ctx.Done():
		return subnettypes.ModelPublisher{}, false, ctx.Err()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.pubs[hash]
	return p, ok, nil
}

func (f *fakeChain) Metagraph(context.Context, uint16) (*subnettypes.QueryMetagraphResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.metaCalls++
	if f.down > 0 {
		f.down--
		return nil, errors.New("connection refused")
	}
	cp := *f.mg
	cp.Neurons = append([]subnettypes.Neuron(nil), f.mg.Neurons...)
	return &cp, nil
}

func (f *fakeChain) Commits(context.Context, uint16, string) ([]subnettypes.WeightCommit, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]subnettypes.WeightCommit(nil), f.commits...), nil
}

func (f *fakeChain) SetWeights(_ context.Context, _ uint16, uids, weights []uint32, _ uint64) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.set = append(f.set, [2][]uint32{uids, weights})
	return f.mg.Block + 1, nil
}

func (f *fakeChain) CommitWeights(_ context.Context, _ uint16, hash []byte) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failCommits > 0 {
		f.failCommits--
		return 0, &client.TxError{Codespace: subnettypes.ModuleName, Code: subnettypes.ErrCommitRateLimit.ABCICode(), Log: "weights committed too fast"}
	}
	h := f.mg.Block + 1
	from, until := epoch.RevealWindow(h, uint16(testNetuid), f.mg.Subnet.Hyperparams.Tempo, f.mg.Subnet.Hyperparams.RevealPeriod)
	f.commits = append(f.commits, subnettypes.WeightCommit{Hash: hash, Block: h, RevealFrom: from, RevealUntil: until})
	return h, nil
}

func (f *fakeChain) RevealWeights(_ context.Context, _ uint16, uids, weights []uint32, _ []byte, _ uint64) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.commits) == 0 {
		return 0, &client.TxError{Codespace: subnettypes.ModuleName, Code: subnettypes.ErrRevealMismatch.ABCICode()}
	}
	if f.mg.Block < f.commits[0].RevealFrom {
		return 0, &client.TxError{Codespace: subnettypes.ModuleName, Code: subnettypes.ErrRevealTooEarly.ABCICode()}
	}
	f.commits = f.commits[1:]
	f.reveals = append(f.reveals, [2][]uint32{uids, weights})
	return f.mg.Block + 1, nil
}

func (f *fakeChain) setBlock(h int64) {
	f.mu.Lock()
	f.mg.Block = h
	f.mu.Unlock()
}

// newMetagraph: uid 0 is the validator (permit), the rest serve axons.
func newMetagraph(self string, axons []subnettypes.AxonInfo, hotkeys []string, commitReveal bool) *subnettypes.QueryMetagraphResponse {
	hp := subnettypes.DefaultParams().DefaultHyperparams
	hp.Tempo, hp.CommitReveal, hp.RevealPeriod = 10, commitReveal, 1
	spec, hash := cpsTask()
	mg := &subnettypes.QueryMetagraphResponse{Block: 5, Subnet: subnettypes.Subnet{Netuid: testNetuid, TaskSpec: spec, TaskHash: hash, Hyperparams: hp}}
	mg.Neurons = append(mg.Neurons, subnettypes.Neuron{Netuid: testNetuid, Uid: 0, Hotkey: self, ValidatorPermit: true, RegisteredAt: 1})
	for i := range axons {
		mg.Neurons = append(mg.Neurons, subnettypes.Neuron{Netuid: testNetuid, Uid: uint32(i + 1), Hotkey: hotkeys[i], Axon: &axons[i], RegisteredAt: 2})
	}
	return mg
}

func newValidator(t testing.TB, chain Chain, signer client.Signer, cfg Config) *Validator {
	t.Helper()
	d, _ := fixture(t)
	cfg.Netuid = testNetuid
	if cfg.StatePath == "" {
		cfg.StatePath = t.TempDir() + "/state.json"
	}
	if cfg.Seed == 0 {
		cfg.Seed = 11
	}
	v, err := New(cfg, Deps{Chain: chain, Signer: signer, Dataset: d, Log: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func hasPrefix(s, p string) bool { return strings.HasPrefix(s, p) }

var nan = math.NaN()
