package client

import (
	"fmt"

	"google.golang.org/grpc/encoding"
	_ "google.golang.org/grpc/encoding/proto" // registers the "proto" codec delegated to
	"google.golang.org/grpc/mem"
)

// EncodedRequest is an InferRequest already encoded (MarshalBody): sent as
// is through RawCodec, so the bytes the caller hashed and signed are exactly
// the bytes on the wire, and the body is encoded once.
type EncodedRequest []byte

// RawCodec is grpc's "proto" codec, except that it sends an EncodedRequest's
// bytes unchanged. It keeps the content subtype "proto": the wire is plain
// gRPC + protobuf. Use it with grpc.ForceCodecV2.
type RawCodec struct{}

func protoCodec() encoding.CodecV2 { return encoding.GetCodecV2("proto") }

// Marshal implements encoding.CodecV2.
func (RawCodec) Marshal(v any) (mem.BufferSlice, error) {
	if b, ok := v.(EncodedRequest); ok {
		return mem.BufferSlice{mem.SliceBuffer(b)}, nil
	}
	return protoCodec().Marshal(v)
}

// Unmarshal implements encoding.CodecV2.
func (RawCodec) Unmarshal(data mem.BufferSlice, v any) error {
	if _, ok := v.(EncodedRequest); ok {
		return fmt.Errorf("client: RawCodec cannot decode into EncodedRequest")
	}
	return protoCodec().Unmarshal(data, v)
}

// Name implements encoding.CodecV2.
func (RawCodec) Name() string { return "proto" }
