package miner

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/miner/model"
	synapsev1 "github.com/assay-network/assay/synapse/v1"
)

func TestRoundTrip(t *testing.T) {
	h := startServer(t, Config{}, nil)
	_, m := fixture(t)
	req := request(t, 0, 20)
	resp, err := client.NewDendrite(h.validator, nil).Infer(context.Background(), h.axon, req, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	p, err := model.NewPredictor(m, model.PredictorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := client.RequestRows(req)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := m.Encode(raw)
	if err != nil {
		t.Fatal(err)
	}
	want, err := p.Predict(context.Background(), enc)
	if err != nil {
		t.Fatal(err)
	}
	assertSameAnswers(t, want, resp)

	// Anyone holding (req, resp) can prove what the miner answered, and a
	// changed output or another request no longer verifies.
	if err := client.VerifyResponse(req, resp, h.miner.Address(), h.axon.ModelHash); err != nil {
		t.Fatal(err)
	}
	resp.Probabilities[0] += 1e-12
	if err := client.VerifyResponse(req, resp, h.miner.Address(), ""); err == nil {
		t.Error("tampered output verified")
	}
	resp.Probabilities[0] -= 1e-12
	if err := client.VerifyResponse(request(t, 1, 20), resp, h.miner.Address(), ""); err == nil {
		t.Error("response verified against another request")
	}
	if err := client.VerifyResponse(req, resp, h.validator.Address(), ""); err == nil {
		t.Error("response verified as another miner's")
	}
	if err := client.VerifyResponse(req, resp, h.miner.Address(), strings.Repeat("0", 64)); err == nil {
		t.Error("response verified against another model hash")
	}

	info, err := synapsev1.NewAxonClient(h.conn).Info(context.Background(), &synapsev1.InfoRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if info.ModelHash != h.axon.ModelHash || info.Task != m.Header.Task || info.Netuid != testNetuid || int(info.FeatureCount) != len(m.Header.Schema.Features) {
		t.Errorf("Info = %+v", info)
	}
	if got := value(t, h.srv.m.requests.WithLabelValues(codes.OK.String())); got != 1 {
		t.Errorf("requests{OK} = %v, want 1", got)
	}
}

func assertSameAnswers(t testing.TB, want [][]float64, resp *synapsev1.InferResponse) {
	t.Helper()
	got, err := client.ResponseRows(resp)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for i := range want {
		if model.Argmax(got[i]) != model.Argmax(want[i]) {
			t.Errorf("row %d: argmax %d, want %d", i, model.Argmax(got[i]), model.Argmax(want[i]))
		}
		for c := range want[i] {
			if math.Abs(got[i][c]-want[i][c]) > 1e-9 {
				t.Errorf("row %d class %d: %v, want %v", i, c, got[i][c], want[i][c])
			}
		}
	}
}

// call sends req with md as-is (no dendrite), for requests a dendrite would never make.
func call(h *harness, req *synapsev1.InferRequest, md metadata.MD) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := synapsev1.NewAxonClient(h.conn).Infer(metadata.NewOutgoingContext(ctx, md), req)
	return err
}

func TestRejections(t *testing.T) {
	h := startServer(t, Config{MaxBodyBytes: 64 << 10}, nil)
	now := time.Now().UnixNano()
	nonce := func() int64 { now++; return now }
	signed := func(req *synapsev1.InferRequest) metadata.MD {
		md, _, err := client.SignRequest(h.validator, req, h.miner.Address(), nonce())
		if err != nil {
			t.Fatal(err)
		}
		return md
	}
	stranger := newKey()

	// A body whose proto size exceeds 64 KiB but stays under gRPC's own cap.
	big := &synapsev1.InferRequest{Netuid: testNetuid, Rows: 256, Cols: 40, Values: make([]float64, 256*40)}

	replayReq := request(t, 0, 2)
	replayMD := signed(replayReq)
	if err := call(h, replayReq, replayMD); err != nil {
		t.Fatalf("first use of a nonce: %v", err)
	}

	cases := []struct {
		name   string
		req    *synapsev1.InferRequest
		md     func(*synapsev1.InferRequest) metadata.MD
		code   codes.Code
		reason string
		msg    string
	}{
		{"unsigned", request(t, 0, 2), func(*synapsev1.InferRequest) metadata.MD { return nil }, codes.Unauthenticated, "unsigned", "unsigned request"},
		{"forged: stranger's signature under the validator's hotkey", request(t, 0, 2), func(r *synapsev1.InferRequest) metadata.MD {
			md, _, _ := client.SignRequest(stranger, r, h.miner.Address(), nonce())
			md.Set(client.MDHotkey, h.validator.Address())
			return md
		}, codes.Unauthenticated, "bad_signature", "not " + h.validator.Address()},
		{"forged: body changed after signing", request(t, 0, 2), func(r *synapsev1.InferRequest) metadata.MD {
			md := signed(request(t, 5, 2))
			return md
		}, codes.Unauthenticated, "bad_signature", "does not verify"},
		{"forged: signed for another miner", request(t, 0, 2), func(r *synapsev1.InferRequest) metadata.MD {
			md, _, _ := client.SignRequest(h.validator, r, stranger.Address(), nonce())
			return md
		}, codes.Unauthenticated, "bad_signature", "does not verify"},
		{"replayed", replayReq, func(*synapsev1.InferRequest) metadata.MD { return replayMD }, codes.Unauthenticated, "replayed_nonce", "replayed"},
		{"stale", request(t, 0, 2), func(r *synapsev1.InferRequest) metadata.MD {
			md, _, _ := client.SignRequest(h.validator, r, h.miner.Address(), time.Now().Add(-time.Minute).UnixNano())
			return md
		}, codes.Unauthenticated, "stale_nonce", "stale nonce"},
		{"from the future", request(t, 0, 2), func(r *synapsev1.InferRequest) metadata.MD {
			md, _, _ := client.SignRequest(h.validator, r, h.miner.Address(), time.Now().Add(time.Minute).UnixNano())
			return md
		}, codes.Unauthenticated, "stale_nonce", "stale nonce"},
		{"non-permitted", request(t, 0, 2), func(r *synapsev1.InferRequest) metadata.MD {
			md, _, _ := client.SignRequest(stranger, r, h.miner.Address(), nonce())
			return md
		}, codes.PermissionDenied, "no_permit", stranger.Address()},
		{"oversized", big, signed, codes.ResourceExhausted, "oversized", "limit 65536"},
		{"malformed: feature count", func() *synapsev1.InferRequest {
			r := request(t, 0, 3)
			r.Cols--
			r.Values = r.Values[:3*r.Cols]
			return r
		}(), signed, codes.InvalidArgument, "malformed", "cols: " + strconv.Itoa(len(request(t, 0, 1).Values)-1)},
		{"malformed: values not rows × cols", func() *synapsev1.InferRequest {
			r := request(t, 0, 3)
			r.Values = r.Values[1:]
			return r
		}(), signed, codes.InvalidArgument, "malformed", "values: " + strconv.Itoa(len(request(t, 0, 3).Values)-1) + " values, want rows × cols"},
		{"malformed: unknown category", func() *synapsev1.InferRequest {
			r := request(t, 0, 3)
			r.Values[int(r.Cols)+categorical(t)] = 99
			return r
		}(), signed, codes.InvalidArgument, "malformed", "values: row 1: dataset: feature " + strconv.Itoa(categorical(t))},
		// NaN is a missing value (DESIGN §11: encoded as a zero block);
		// an infinity is not a value at all.
		{"malformed: Inf", func() *synapsev1.InferRequest {
			r := request(t, 0, 3)
			r.Values[0] = math.Inf(1)
			return r
		}(), signed, codes.InvalidArgument, "malformed", "not finite"},
		{"malformed: netuid", func() *synapsev1.InferRequest {
			r := request(t, 0, 1)
			r.Netuid = 9
			return r
		}(), signed, codes.InvalidArgument, "malformed", "netuid"},
		{"malformed: empty", &synapsev1.InferRequest{Netuid: testNetuid}, signed, codes.InvalidArgument, "malformed", "rows: 0"},
		{"malformed: too many rows", request(t, 0, 257), signed, codes.InvalidArgument, "malformed", "at most 256"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := value(t, h.srv.m.rejections.WithLabelValues(tc.reason))
			err := call(h, tc.req, tc.md(tc.req))
			st, _ := status.FromError(err)
			if st.Code() != tc.code || !strings.Contains(st.Message(), tc.msg) {
				t.Fatalf("got %v %q, want %v containing %q", st.Code(), st.Message(), tc.code, tc.msg)
			}
			if got := value(t, h.srv.m.rejections.WithLabelValues(tc.reason)) - before; got != 1 {
				t.Errorf("rejections{%s} went up by %v, want 1", tc.reason, got)
			}
		})
	}
	if got := value(t, h.srv.m.requests.WithLabelValues(codes.InvalidArgument.String())); got != 7 {
		t.Errorf("requests{InvalidArgument} = %v, want 7", got)
	}
}

// categorical is the index of the first categorical feature of the fixture.
func categorical(t testing.TB) int {
	_, m := fixture(t)
	for i, f := range m.Header.Schema.Features {
		if len(f.Categories) > 0 {
			return i
		}
	}
	t.Fatal("fixture has no categorical feature")
	return 0
}

// TestConcurrentMatchesSequential: batching merges requests from many
// callers into shared forward passes; every caller must still get the
// answers to its own rows.
func TestConcurrentMatchesSequential(t *testing.T) {
	h := startServer(t, Config{BatchWindow: time.Millisecond}, nil)
	d := client.NewDendrite(h.validator, nil)
	sizes := []int{1, 3, 8, 17, 32, 5}
	var reqs []*synapsev1.InferRequest
	for i := range 24 {
		reqs = append(reqs, request(t, i*7, sizes[i%len(sizes)]))
	}
	seq := make([]*synapsev1.InferResponse, len(reqs))
	for i, r := range reqs {
		resp, err := d.Infer(context.Background(), h.axon, r, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		seq[i] = resp
	}
	conc := make([]*synapsev1.InferResponse, len(reqs))
	var wg sync.WaitGroup
	errs := make(chan error, len(reqs))
	for i, r := range reqs {
		wg.Go(func() {
			resp, err := d.Infer(context.Background(), h.axon, r, 10*time.Second)
			if err != nil {
				errs <- err
				return
			}
			conc[i] = resp
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for i := range reqs {
		want, err := client.ResponseRows(seq[i])
		if err != nil {
			t.Fatal(err)
		}
		assertSameAnswers(t, want, conc[i])
	}
	if n := value(t, h.srv.m.batchSize); n < 1 || n > 2*float64(len(reqs)) {
		t.Errorf("%v forward passes for %d requests", n, 2*len(reqs))
	}
}

// callRaw sends body bytes as they are, signed over those bytes.
func callRaw(h *harness, body []byte, nonce int64) (*synapsev1.InferResponse, error) {
	md, _, err := client.SignEncoded(h.validator, body, h.miner.Address(), nonce)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(metadata.NewOutgoingContext(context.Background(), md), 5*time.Second)
	defer cancel()
	resp := new(synapsev1.InferResponse)
	err = h.conn.Invoke(ctx, synapsev1.Axon_Infer_FullMethodName, client.EncodedRequest(body), resp, grpc.ForceCodecV2(client.RawCodec{}))
	return resp, err
}

// The request hash is sha256 of the bytes received, not of a re-encoding:
// a valid but non-canonical encoding (values not packed) signed over its
// own bytes is served and answered with that hash, and bytes that are not
// an InferRequest are refused as malformed.
func TestHashesReceivedBytes(t *testing.T) {
	h := startServer(t, Config{}, nil)
	req := request(t, 0, 4)
	var body []byte
	body = protowire.AppendTag(body, 1, protowire.VarintType)
	body = protowire.AppendVarint(body, uint64(req.Netuid))
	body = protowire.AppendTag(body, 3, protowire.VarintType)
	body = protowire.AppendVarint(body, uint64(req.Rows))
	body = protowire.AppendTag(body, 4, protowire.VarintType)
	body = protowire.AppendVarint(body, uint64(req.Cols))
	for _, v := range req.Values {
		body = protowire.AppendTag(body, 5, protowire.Fixed64Type)
		body = protowire.AppendFixed64(body, math.Float64bits(v))
	}
	canonical, _ := client.MarshalBody(req)
	if bytes.Equal(body, canonical) {
		t.Fatal("test body is canonical")
	}
	resp, err := callRaw(h, body, time.Now().UnixNano())
	if err != nil {
		t.Fatal(err)
	}
	if got := sha256.Sum256(body); !bytes.Equal(resp.RequestHash, got[:]) {
		t.Fatal("request_hash is not sha256 of the received bytes")
	}
	if resp.Rows != 4 {
		t.Fatalf("%d rows answered", resp.Rows)
	}

	_, err = callRaw(h, []byte{0x0a, 0xff, 0x01}, time.Now().UnixNano())
	if st, _ := status.FromError(err); st.Code() != codes.InvalidArgument || !strings.Contains(st.Message(), "not an InferRequest") {
		t.Fatalf("garbage body: %v", err)
	}
	if got := value(t, h.srv.m.rejections.WithLabelValues("malformed")); got != 1 {
		t.Errorf("rejections{malformed} = %v, want 1", got)
	}
}

// decodeInferRequest decodes like proto.Unmarshal: canonical, unpacked,
// split packed runs, repeated scalars, unknown fields; and fails where it fails.
func TestDecodeInferRequestMatchesProto(t *testing.T) {
	canonical, _ := client.MarshalBody(request(t, 0, 3))
	var odd []byte
	odd = protowire.AppendTag(odd, 4, protowire.VarintType)
	odd = protowire.AppendVarint(odd, 7)
	odd = protowire.AppendTag(odd, 5, protowire.Fixed64Type)
	odd = protowire.AppendFixed64(odd, math.Float64bits(1.5))
	odd = protowire.AppendTag(odd, 9, protowire.BytesType) // unknown field
	odd = protowire.AppendBytes(odd, []byte("x"))
	odd = protowire.AppendTag(odd, 5, protowire.BytesType)
	odd = protowire.AppendBytes(odd, binary.LittleEndian.AppendUint64(nil, math.Float64bits(-2)))
	odd = protowire.AppendTag(odd, 4, protowire.VarintType) // last one wins
	odd = protowire.AppendVarint(odd, 1<<32+2)
	odd = protowire.AppendTag(odd, 1, protowire.Fixed32Type) // known number, other wire type: unknown
	odd = protowire.AppendFixed32(odd, 5)
	for _, body := range [][]byte{canonical, odd, nil} {
		var want, got synapsev1.InferRequest
		if err := proto.Unmarshal(body, &want); err != nil {
			t.Fatal(err)
		}
		if err := decodeInferRequest(body, &got); err != nil {
			t.Fatal(err)
		}
		if got.Netuid != want.Netuid || got.Rows != want.Rows || got.Cols != want.Cols || !slices.Equal(got.Values, want.Values) {
			t.Fatalf("decoded %v, proto.Unmarshal %v", &got, &want)
		}
	}
	for _, bad := range [][]byte{{0x0a, 0xff, 0x01}, {0x2a, 0x03, 1, 2, 3}, {0x29, 1, 2}, {0x08}} {
		var want, got synapsev1.InferRequest
		if proto.Unmarshal(bad, &want) == nil || decodeInferRequest(bad, &got) == nil {
			t.Errorf("%x: proto.Unmarshal and decodeInferRequest must both fail", bad)
		}
	}
}
