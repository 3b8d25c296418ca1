package miner

import (
	"context"
	"crypto/sha256"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/mem"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/assay-network/assay/client"
	synapsev1 "github.com/assay-network/assay/synapse/v1"
)

// maxModelRequestBytes bounds a GetModelRequest body: it carries one hex
// hash (~70 bytes), so anything much larger is not a GetModelRequest and is
// refused unread.
const maxModelRequestBytes = 1 << 10

// modelRequest is a GetModel request as it arrived: its size and the
// sha256 of its exact bytes (what the caller signed), the bytes kept
// (copied: they are tiny) to be decoded once the signature verifies.
type modelRequest struct {
	size int
	hash [32]byte
	body []byte // nil when oversized (never read)
}

// receive fills r from a received message (serverCodec.Unmarshal).
func (r *modelRequest) receive(data mem.BufferSlice) {
	r.size = data.Len()
	if r.size > maxModelRequestBytes {
		return
	}
	r.body = data.Materialize()
	r.hash = sha256.Sum256(r.body)
}

// getModelHandler is the gRPC handler of GetModel: the request is received
// through serverCodec into a modelRequest, so that its hash is of the bytes
// on the wire, as for Infer.
func getModelHandler(srv any, stream grpc.ServerStream) error {
	r := new(modelRequest)
	if err := stream.RecvMsg(r); err != nil {
		return err
	}
	s := srv.(*Server)
	rej := s.streamModel(stream.Context(), r, func(c *synapsev1.ModelChunk) error { return stream.SendMsg(c) })
	s.count(rej)
	if rej != nil {
		return rej.err
	}
	return nil
}

// GetModel serves req's canonical encoding; the gRPC server does not call
// it (getModelHandler hashes the received bytes). It lets a Server be used
// as a synapsev1.AxonServer in process.
func (s *Server) GetModel(req *synapsev1.GetModelRequest, stream grpc.ServerStreamingServer[synapsev1.ModelChunk]) error {
	body, err := client.MarshalModelRequest(req)
	if err != nil {
		return status.Errorf(codes.InvalidArgument, "body: %v", err)
	}
	rej := s.streamModel(stream.Context(), &modelRequest{size: len(body), hash: sha256.Sum256(body), body: body}, stream.Send)
	s.count(rej)
	if rej != nil {
		return rej.err
	}
	return nil
}

// streamModel authenticates a GetModel request exactly as Infer is (the tap
// has already refused what the metadata alone could tell), checks that it
// names the served model, and sends the loaded model file in order, in
// chunks of at most client.MaxModelChunk.
func (s *Server) streamModel(ctx context.Context, r *modelRequest, send func(*synapsev1.ModelChunk) error) *rejection {
	if r.size > maxModelRequestBytes {
		return reject("oversized", codes.ResourceExhausted, "GetModel request body is %d bytes, limit %d", r.size, maxModelRequestBytes)
	}
	if _, rej := s.authenticate(ctx, r.hash); rej != nil {
		return rej
	}
	var req synapsev1.GetModelRequest
	if err := proto.Unmarshal(r.body, &req); err != nil {
		return reject("malformed", codes.InvalidArgument, "body: not a GetModelRequest: %v", err)
	}
	if req.ModelHash != s.deps.ModelHash {
		return reject("unknown_model", codes.NotFound, "model_hash: %q is not served here; this miner serves %s", req.ModelHash, s.deps.ModelHash)
	}
	file := s.deps.ModelFile
	total := uint64(len(file))
	for off := 0; off < len(file); off += client.MaxModelChunk {
		end := min(off+client.MaxModelChunk, len(file))
		if err := send(&synapsev1.ModelChunk{Data: file[off:end], Offset: uint64(off), TotalSize: total}); err != nil {
			if ctx.Err() != nil {
				return &rejection{reason: "cancelled", err: status.FromContextError(ctx.Err()).Err()}
			}
			return &rejection{reason: "send_failed", err: err}
		}
	}
	return nil
}
