package miner

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/encoding"
	_ "google.golang.org/grpc/encoding/proto" // registers the "proto" codec delegated to
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/encoding/protowire"

	synapsev1 "github.com/assay-network/assay/synapse/v1"
)

// received is an Infer request as it arrived: the size and sha256 of its
// exact bytes (the request hash the caller signed), and the bytes, kept
// until decode turns them into req once the signature over that hash has
// verified. The body is hashed as received, never re-encoded.
type received struct {
	size int
	hash [32]byte
	body mem.Buffer // nil once decoded, or when oversized (never read)
	req  synapsev1.InferRequest
}

// decode decodes the received bytes into req (an error: they are not an
// InferRequest) and frees them.
func (r *received) decode() error {
	if r.body == nil {
		return nil
	}
	defer r.freeBody()
	return decodeInferRequest(r.body.ReadOnlyData(), &r.req) // copies what it keeps
}

func (r *received) freeBody() {
	if r.body != nil {
		r.body.Free()
		r.body = nil
	}
}

// serverCodec is grpc's "proto" codec, except that an Infer request is
// received into a received: hashed and kept (decoded by the handler once
// the caller is authenticated) if it is within the body limit; an
// oversized body is refused by the handler, with its metric, without being
// read.
type serverCodec struct {
	maxBody int
	pool    mem.BufferPool
}

// recvPool is the server's gRPC buffer pool: power-of-two tiers from 256 B
// to 8 MiB. gRPC's default pool has tiers 256 B, 4, 16, 32 KiB and 1 MiB and
// zeroes a buffer's whole capacity on every Get, so materialising each
// 33–1024 KiB request body cost a 1 MiB memclr (≈ 20 µs per 256-row
// german-credit request).
var recvPool = func() mem.BufferPool {
	var exps []uint8
	for e := uint8(8); e <= 23; e++ {
		exps = append(exps, e)
	}
	p, err := mem.NewBinaryTieredBufferPool(exps...)
	if err != nil {
		panic(err)
	}
	return p
}()

func protoCodec() encoding.CodecV2 { return encoding.GetCodecV2("proto") }

func (serverCodec) Marshal(v any) (mem.BufferSlice, error) { return protoCodec().Marshal(v) }

func (c serverCodec) Unmarshal(data mem.BufferSlice, v any) error {
	if m, ok := v.(*modelRequest); ok {
		m.receive(data)
		return nil
	}
	r, ok := v.(*received)
	if !ok {
		return protoCodec().Unmarshal(data, v)
	}
	r.size = data.Len()
	if r.size > c.maxBody {
		return nil
	}
	r.body = data.MaterializeToBuffer(c.pool) // a reference of its own: outlives data
	r.hash = sha256.Sum256(r.body.ReadOnlyData())
	return nil
}

// decodeInferRequest is proto.Unmarshal for InferRequest (last value wins
// for scalars, packed and unpacked values accumulate, unknown fields and
// known fields of another wire type are skipped), except that the values
// go into a pooled slice: protobuf-go allocates a fresh one per request.
func decodeInferRequest(b []byte, req *synapsev1.InferRequest) error {
	vals := (*valueBufs.Get().(*[]float64))[:0]
	defer func() { req.Values = vals }()
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return protowire.ParseError(n)
		}
		b = b[n:]
		switch {
		case typ == protowire.VarintType && (num == 1 || num == 3 || num == 4):
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return fmt.Errorf("field %d: %w", num, protowire.ParseError(n))
			}
			b = b[n:]
			switch num {
			case 1:
				req.Netuid = uint32(v)
			case 3:
				req.Rows = uint32(v)
			case 4:
				req.Cols = uint32(v)
			}
		case typ == protowire.BytesType && num == 5: // packed
			p, n := protowire.ConsumeBytes(b)
			if n < 0 || len(p)%8 != 0 {
				return fmt.Errorf("values: packed field of %d bytes is not a whole number of doubles", len(p))
			}
			b = b[n:]
			vals = slices.Grow(vals, len(p)/8)
			for ; len(p) > 0; p = p[8:] {
				vals = append(vals, math.Float64frombits(binary.LittleEndian.Uint64(p)))
			}
		case typ == protowire.Fixed64Type && num == 5: // unpacked
			v, n := protowire.ConsumeFixed64(b)
			if n < 0 {
				return fmt.Errorf("values: %w", protowire.ParseError(n))
			}
			b = b[n:]
			vals = append(vals, math.Float64frombits(v))
		default:
			n := protowire.ConsumeFieldValue(num, typ, b)
			if n < 0 {
				return fmt.Errorf("field %d: %w", num, protowire.ParseError(n))
			}
			b = b[n:]
		}
	}
	return nil
}

// valueBufs holds decoded request values; serve puts them back once the
// rows are encoded.
var valueBufs = sync.Pool{New: func() any { return new([]float64) }}

// release frees r's bytes if they were never decoded and gives its decoded
// values back to valueBufs: nothing may read them afterwards.
func (r *received) release() {
	r.freeBody()
	if v := r.req.Values; cap(v) > 0 && cap(v) <= 1<<20 {
		r.req.Values = nil
		valueBufs.Put(&v)
	}
}

func (serverCodec) Name() string { return "proto" }

// axonServiceDesc is synapsev1's Axon service with Infer decoding into a
// received and GetModel into a modelRequest (through serverCodec) so that
// the request hash is of the bytes on the wire.
func axonServiceDesc() *grpc.ServiceDesc {
	d := synapsev1.Axon_ServiceDesc
	d.Methods = slices.Clone(d.Methods)
	for i := range d.Methods {
		if d.Methods[i].MethodName == "Infer" {
			d.Methods[i].Handler = inferHandler
		}
	}
	d.Streams = slices.Clone(d.Streams)
	for i := range d.Streams {
		if d.Streams[i].StreamName == "GetModel" {
			d.Streams[i].Handler = getModelHandler
		}
	}
	return &d
}

func inferHandler(srv any, ctx context.Context, dec func(any) error, interceptor grpc.UnaryServerInterceptor) (any, error) {
	r := new(received)
	if err := dec(r); err != nil {
		return nil, err
	}
	s := srv.(*Server)
	if interceptor == nil {
		return s.serve(ctx, r)
	}
	info := &grpc.UnaryServerInfo{Server: srv, FullMethod: synapsev1.Axon_Infer_FullMethodName}
	return interceptor(ctx, r, info, func(ctx context.Context, req any) (any, error) {
		return s.serve(ctx, req.(*received))
	})
}
