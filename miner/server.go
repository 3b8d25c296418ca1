// Package miner is the miner daemon: the Axon gRPC server that
// authenticates validators, batches their requests into Gorgonia forward
// passes and signs every answer (DESIGN §6, §7). See README.md for the wire
// format.
package miner

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/experimental"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/daemon"
	"github.com/assay-network/assay/dataset"
	"github.com/assay-network/assay/miner/model"
	synapsev1 "github.com/assay-network/assay/synapse/v1"
)

// Version is reported by Info and published with the axon.
var Version = "assay-miner/v0.1.0"

// recvMargin is how far past MaxBodyBytes gRPC still receives a message.
const recvMargin = 64 << 10

// Config is the server's tunables; zero fields take the defaults below.
type Config struct {
	Netuid      uint16
	ListenAddr  string // gRPC, e.g. 127.0.0.1:8091
	MetricsAddr string // HTTP /metrics and /healthz; empty: none

	MaxBatchRows   int           // rows per forward pass and per request (256)
	BatchWindow    time.Duration // how long a pass waits for more rows (2ms)
	QueueCapacity  int           // requests waiting for a pass (256)
	Workers        int           // concurrent forward passes (2)
	MaxBodyBytes   int           // request body limit (4 MiB)
	NonceWindow    time.Duration // how old a nonce may be (30s)
	NonceFuture    time.Duration // how far ahead of the miner's clock a nonce may be (5s)
	NonceCacheSize int           // live nonces remembered per caller (1<<16): more requests per NonceWindow+NonceFuture are refused
	ShutdownGrace  time.Duration // in-flight requests get this long (10s)
}

func (c *Config) setDefaults() {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defD := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.MaxBatchRows, 256)
	def(&c.QueueCapacity, 256)
	def(&c.Workers, 2)
	def(&c.MaxBodyBytes, 4<<20)
	def(&c.NonceCacheSize, 1<<16)
	defD(&c.NonceWindow, 30*time.Second)
	defD(&c.NonceFuture, 5*time.Second)
	defD(&c.ShutdownGrace, 10*time.Second)
	if c.BatchWindow < 0 {
		c.BatchWindow = 0
	} else if c.BatchWindow == 0 {
		c.BatchWindow = 2 * time.Millisecond
	}
}

// Deps are what the server is given rather than builds, so tests pass fakes.
type Deps struct {
	Model     *model.Model
	ModelHash string // hex SHA-256 of ModelFile; empty: computed
	// ModelFile is the exact bytes of the model file loaded, streamed by
	// GetModel; nil: Model's encoding (model.Model.Bytes). Its hash must be
	// ModelHash: a miner serves the file whose hash it publishes.
	ModelFile []byte
	Predict   PredictFunc // nil: a model.Predictor over Model
	Signer    client.Signer
	Permits   PermitChecker
	Clock     func() time.Time      // nil: time.Now
	Registry  prometheus.Registerer // nil: a fresh private registry
	Gatherer  prometheus.Gatherer   // served on /metrics with Registry
	Log       zerolog.Logger
	UID       uint32 // for log fields, if known
}

// Server implements synapsev1.AxonServer.
type Server struct {
	synapsev1.UnimplementedAxonServer
	cfg      Config
	deps     Deps
	m        *metrics
	nonces   *nonceCache
	started  int64           // unix ns at New: older nonces are refused (signed before a restart)
	verifier client.Verifier // remembers permitted callers' keys
	batch    *batcher
	enc      *dataset.CompiledEncoder // the model's encoder, width and columns computed once
	log      zerolog.Logger
	serving  atomic.Bool
}

// New checks the dependencies and builds a server; nothing runs until Serve.
func New(cfg Config, deps Deps) (*Server, error) {
	cfg.setDefaults()
	if deps.Model == nil || deps.Signer == nil || deps.Permits == nil {
		return nil, errors.New("miner: Model, Signer and Permits are required")
	}
	if deps.ModelFile == nil {
		b, err := deps.Model.Bytes()
		if err != nil {
			return nil, err
		}
		deps.ModelFile = b
	}
	switch h := model.HashBytes(deps.ModelFile); {
	case deps.ModelHash == "":
		deps.ModelHash = h
	case deps.ModelHash != h:
		return nil, fmt.Errorf("miner: ModelHash %s is not the hash of the model file served (%s)", deps.ModelHash, h)
	}
	if deps.Clock == nil {
		deps.Clock = time.Now
	}
	if deps.Registry == nil {
		reg := prometheus.NewRegistry()
		deps.Registry, deps.Gatherer = reg, reg
	}
	if deps.Predict == nil {
		p, err := model.NewPredictor(deps.Model, model.PredictorOptions{Workers: cfg.Workers})
		if err != nil {
			return nil, err
		}
		deps.Predict = p.Predict
	}
	m, err := newMetrics(deps.Registry)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, deps: deps, m: m, enc: deps.Model.Header.Encoder.Compile(),
		nonces: newNonceCache(cfg.NonceCacheSize, int64(cfg.NonceWindow)), started: deps.Clock().UnixNano()}
	s.batch = newBatcher(deps.Predict, cfg.MaxBatchRows, cfg.BatchWindow, cfg.QueueCapacity, cfg.Workers, m)
	s.log = deps.Log.With().Uint16("netuid", cfg.Netuid).Uint32("uid", deps.UID).
		Str("hotkey", deps.Signer.Address()).Str("model_hash", deps.ModelHash).Logger()
	return s, nil
}

// Info answers which model is served.
func (s *Server) Info(context.Context, *synapsev1.InfoRequest) (*synapsev1.InfoResponse, error) {
	h := s.deps.Model.Header
	return &synapsev1.InfoResponse{
		ModelHash: s.deps.ModelHash, Task: h.Task, Dataset: h.Dataset, Version: Version,
		Netuid: uint32(s.cfg.Netuid), MinerHotkey: s.deps.Signer.Address(),
		FeatureCount: uint32(len(h.Schema.Features)), Classes: h.Schema.Classes,
		MaxBatch: uint32(s.cfg.MaxBatchRows),
	}, nil
}

// Infer authenticates, validates, queues and answers one request. The
// gRPC server does not call it (its Infer handler hashes the received bytes,
// see codec.go); it serves req's canonical encoding (client.MarshalBody).
func (s *Server) Infer(ctx context.Context, req *synapsev1.InferRequest) (*synapsev1.InferResponse, error) {
	body, err := client.MarshalBody(req)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "body: %v", err)
	}
	r := &received{size: len(body), hash: sha256Sum(body)}
	proto.Merge(&r.req, req)
	return s.serve(ctx, r)
}

// serve answers one received request, recording its outcome.
func (s *Server) serve(ctx context.Context, r *received) (*synapsev1.InferResponse, error) {
	start := time.Now()
	resp, rej := s.infer(ctx, r)
	r.release() // the rows were encoded into their own buffer
	s.count(rej)
	s.m.latency.Observe(time.Since(start).Seconds())
	if rej != nil {
		return nil, rej.err
	}
	return resp, nil
}

// count records one request's outcome (rej nil: answered).
func (s *Server) count(rej *rejection) {
	code := codes.OK
	if rej != nil {
		code = status.Code(rej.err)
		s.m.rejections.WithLabelValues(rej.reason).Inc()
		s.log.Debug().Str("reason", rej.reason).Err(rej.err).Msg("request refused")
	}
	s.m.requests.WithLabelValues(code.String()).Inc()
}

func (s *Server) infer(ctx context.Context, r *received) (*synapsev1.InferResponse, *rejection) {
	if r.size > s.cfg.MaxBodyBytes {
		return nil, reject("oversized", codes.ResourceExhausted, "request body is %d bytes, limit %d", r.size, s.cfg.MaxBodyBytes)
	}
	who, rej := s.authenticate(ctx, r.hash)
	if rej != nil {
		return nil, rej
	}
	if err := r.decode(); err != nil {
		return nil, reject("malformed", codes.InvalidArgument, "body: not an InferRequest: %v", err)
	}
	rows, buf, rej := s.validate(&r.req)
	if rej != nil {
		return nil, rej
	}
	j := &job{ctx: ctx, rows: rows, prio: who.permit.Stake, added: time.Now(), done: make(chan jobResult, 1)}
	if err := s.batch.submit(j); err != nil {
		buf.put()
		return nil, &rejection{reason: "saturated", err: err}
	}
	var res jobResult
	select {
	case res = <-j.done:
		buf.put() // the forward pass has copied the rows (or will never run)
	case <-ctx.Done():
		// The pass may still be reading buf: leave it to the GC.
		return nil, &rejection{reason: "cancelled", err: status.FromContextError(ctx.Err()).Err()}
	}
	if res.err != nil {
		reason := "internal"
		if status.Code(res.err) == codes.ResourceExhausted {
			reason = "saturated"
		}
		return nil, &rejection{reason: reason, err: res.err}
	}
	classes := len(s.deps.Model.Header.Schema.Classes)
	probs := make([]float64, 0, len(res.out)*classes)
	for _, p := range res.out {
		if len(p) != classes {
			return nil, reject("internal", codes.Internal, "forward pass returned %d classes, the model has %d", len(p), classes)
		}
		probs = append(probs, p...)
	}
	resp := &synapsev1.InferResponse{ModelHash: s.deps.ModelHash, Rows: uint32(len(res.out)), Classes: uint32(classes), Probabilities: probs}
	id := client.RequestID{BodyHash: r.hash, Nonce: who.nonce, Caller: who.hotkey}
	if err := client.SignResponse(s.deps.Signer, id, resp); err != nil {
		return nil, &rejection{reason: "internal", err: status.Error(codes.Internal, err.Error())}
	}
	return resp, nil
}

// encodeBuf is a request's encoded-input matrix and its row slices, pooled
// in encodeBufs while the request is in flight.
type encodeBuf struct {
	flat []float64
	rows [][]float64
}

var encodeBufs = sync.Pool{New: func() any { return new(encodeBuf) }}

// put returns b to encodeBufs: nothing may read its rows afterwards.
func (b *encodeBuf) put() {
	if cap(b.flat) <= 1<<22 { // a 256-row MNIST batch is 200k values
		encodeBufs.Put(b)
	}
}

// validate checks the request against the task's schema and encodes it
// with the model's encoder into a pooled buffer (returned with the rows, to
// be put back once the forward pass is done), naming the offending field in
// the InvalidArgument message.
func (s *Server) validate(req *synapsev1.InferRequest) ([][]float64, *encodeBuf, *rejection) {
	if req.Netuid != uint32(s.cfg.Netuid) {
		return nil, nil, reject("malformed", codes.InvalidArgument, "netuid: %d, this miner serves netuid %d", req.Netuid, s.cfg.Netuid)
	}
	if req.Rows == 0 {
		return nil, nil, reject("malformed", codes.InvalidArgument, "rows: 0, a request carries at least one input row")
	}
	if int(req.Rows) > s.cfg.MaxBatchRows {
		return nil, nil, reject("malformed", codes.InvalidArgument, "rows: %d, at most %d per request", req.Rows, s.cfg.MaxBatchRows)
	}
	if want := len(s.deps.Model.Header.Schema.Features); int(req.Cols) != want {
		return nil, nil, reject("malformed", codes.InvalidArgument, "cols: %d values per row, the task's feature schema has %d", req.Cols, want)
	}
	n := int(req.Rows)
	if uint64(req.Rows)*uint64(req.Cols) != uint64(len(req.Values)) {
		_, err := client.RequestRows(req) // the shape error, worded as callers see it
		return nil, nil, reject("malformed", codes.InvalidArgument, "%v", err)
	}
	w := s.enc.Width()
	buf := encodeBufs.Get().(*encodeBuf)
	if cap(buf.flat) < n*w {
		buf.flat = make([]float64, n*w)
	}
	if cap(buf.rows) < n {
		buf.rows = make([][]float64, n)
	}
	flat, rows := buf.flat[:n*w], buf.rows[:n]
	if err := s.enc.EncodeMatrix(req.Values, flat); err != nil {
		buf.put()
		// e.g. "values: row 3: dataset: feature 5 (savings_status): category index 9 not in [0, 5)".
		return nil, nil, reject("malformed", codes.InvalidArgument, "values: %v", err)
	}
	for i := range rows {
		rows[i] = flat[i*w : (i+1)*w : (i+1)*w]
	}
	return rows, buf, nil
}

// Serve runs the gRPC server on lis (and the metrics/health HTTP server on
// metricsLis if not nil) until ctx ends, then drains: new requests are
// refused, in-flight ones get ShutdownGrace to finish.
func (s *Server) Serve(ctx context.Context, lis, metricsLis net.Listener) error {
	gs := grpc.NewServer(
		grpc.InTapHandle(s.tap), // metadata, nonce and permit checked before a body is read
		// A body up to recvMargin over the limit is refused by the handler
		// (counted as oversized); past that gRPC refuses it from the
		// message's length prefix, without reading it.
		grpc.MaxRecvMsgSize(s.cfg.MaxBodyBytes+recvMargin),
		grpc.ForceServerCodecV2(serverCodec{maxBody: s.cfg.MaxBodyBytes, pool: recvPool}),
		experimental.BufferPool(recvPool))
	gs.RegisterService(axonServiceDesc(), s)
	hs := health.NewServer()
	healthpb.RegisterHealthServer(gs, hs)

	g, gctx := errgroup.WithContext(ctx)
	bctx, stopBatcher := context.WithCancel(context.Background())
	batcherDone := make(chan struct{})
	go func() { s.batch.run(bctx); close(batcherDone) }()

	// The HTTP listener outlives ctx until the gRPC server has drained, so
	// /healthz says 503 and /metrics still counts during the drain.
	hctx, stopHTTP := context.WithCancel(context.Background())
	defer stopHTTP()
	if metricsLis != nil {
		g.Go(func() error { return daemon.ServeHTTP(hctx, metricsLis, s.deps.Gatherer, s.Health) })
	}
	g.Go(func() error { return gs.Serve(lis) })
	s.serving.Store(true)
	s.log.Info().Str("listen", lis.Addr().String()).Msg("axon serving")

	<-gctx.Done()
	s.serving.Store(false)
	hs.Shutdown()
	stopped := make(chan struct{})
	go func() { gs.GracefulStop(); close(stopped) }()
	select {
	case <-stopped:
		stopBatcher()
		<-batcherDone
	case <-time.After(s.cfg.ShutdownGrace):
		// A forward pass cannot be interrupted: waiting for one that outlived
		// the grace would let a stuck model hold the shutdown forever.
		gs.Stop()
		stopBatcher()
		s.log.Warn().Dur("grace", s.cfg.ShutdownGrace).Msg("in-flight requests cut off after the shutdown grace")
	}
	stopHTTP()
	s.log.Info().Msg("axon stopped")
	if err := g.Wait(); err != nil && !errors.Is(err, grpc.ErrServerStopped) {
		return err
	}
	return nil
}

// Health is the miner's /healthz: ok with the subnet and model served while
// the axon serves, an error before it starts and while it drains.
func (s *Server) Health() (string, error) {
	if !s.serving.Load() {
		return "", errors.New("not serving")
	}
	return fmt.Sprintf("ok netuid=%d model_hash=%s", s.cfg.Netuid, s.deps.ModelHash), nil
}

// Run listens on the configured addresses and serves until ctx ends.
func (s *Server) Run(ctx context.Context) error {
	lis, err := net.Listen("tcp", s.cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("miner: listen %s: %w", s.cfg.ListenAddr, err)
	}
	var mlis net.Listener
	if s.cfg.MetricsAddr != "" {
		if mlis, err = net.Listen("tcp", s.cfg.MetricsAddr); err != nil {
			lis.Close()
			return fmt.Errorf("miner: listen %s: %w", s.cfg.MetricsAddr, err)
		}
	}
	return s.Serve(ctx, lis, mlis)
}
