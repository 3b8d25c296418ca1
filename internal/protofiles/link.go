// Package protofiles repairs the descriptors gogoproto registers for one
// proto package.
//
// gogoproto builds a file's descriptor when the file's init runs
// (proto.RegisterFile), resolving its imports against the files registered
// so far and leaving placeholders (messages with no fields) for the rest.
// Within a Go package, inits run in file-name order, so x/subnet's
// genesis.pb.go and query.pb.go are built before state.pb.go: every
// Subnet, Neuron or Params they reference is a placeholder. Anything that
// reads messages through descriptors then sees them empty: autocli's
// `assayd q subnet subnet N` printed {"subnet": {}}, and amino JSON would
// sign a nested message as {}.
//
// Link rebuilds the package's files in import order, strictly (an import
// that does not resolve is an error), and registers them in
// protoregistry.GlobalFiles, which proto.HybridResolver consults first.
package protofiles

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"slices"

	gogoproto "github.com/cosmos/gogoproto/proto"
	protov2 "google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
)

// Link registers every gogoproto file of the proto package pkg in
// protoregistry.GlobalFiles with its imports resolved. Files already there
// are left alone, so it may run more than once.
func Link(pkg string) error {
	files := map[string]*descriptorpb.FileDescriptorProto{}
	for path, gz := range gogoproto.AllFileDescriptors() {
		fd, err := unzip(gz)
		if err != nil {
			return fmt.Errorf("protofiles: %s: %w", path, err)
		}
		if fd.GetPackage() == pkg {
			files[path] = fd
		}
	}
	if len(files) == 0 {
		return fmt.Errorf("protofiles: no gogoproto files of package %s", pkg)
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	done := map[string]bool{}
	var link func(path string, stack []string) error
	link = func(path string, stack []string) error {
		if done[path] {
			return nil
		}
		if slices.Contains(stack, path) {
			return fmt.Errorf("protofiles: import cycle through %s", path)
		}
		fd := files[path]
		for _, dep := range fd.GetDependency() {
			if files[dep] != nil {
				if err := link(dep, append(stack, path)); err != nil {
					return err
				}
			}
		}
		done[path] = true
		if _, err := protoregistry.GlobalFiles.FindFileByPath(path); err == nil {
			return nil
		}
		f, err := protodesc.NewFile(fd, gogoproto.HybridResolver)
		if err != nil {
			return fmt.Errorf("protofiles: %s: %w", path, err)
		}
		return protoregistry.GlobalFiles.RegisterFile(f)
	}
	for _, p := range paths {
		if err := link(p, nil); err != nil {
			return err
		}
	}
	return nil
}

func unzip(gz []byte) (*descriptorpb.FileDescriptorProto, error) {
	r, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	fd := &descriptorpb.FileDescriptorProto{}
	return fd, protov2.Unmarshal(b, fd)
}

// Placeholders lists the message fields of pkg's messages, as
// proto.HybridResolver resolves them, whose type is a placeholder.
func Placeholders(pkg string) []string {
	var out []string
	gogoproto.HybridResolver.RangeFiles(func(f protoreflect.FileDescriptor) bool {
		if string(f.Package()) != pkg {
			return true
		}
		msgs := f.Messages()
		for i := range msgs.Len() {
			fields := msgs.Get(i).Fields()
			for j := range fields.Len() {
				if m := fields.Get(j).Message(); m != nil && m.IsPlaceholder() {
					out = append(out, string(fields.Get(j).FullName()))
				}
			}
		}
		return true
	})
	slices.Sort(out)
	return out
}
