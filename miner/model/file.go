package model

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"gorgonia.org/tensor"
)

// The model file, version 2 (all integers little-endian):
//
//	magic     8 bytes  "ASSAYMDL"
//	version   uint16   FormatVersion
//	hdr_len   uint32   length of the header
//	header    hdr_len bytes of JSON (Header)
//	n         uint32   number of tensors, = len(Architecture.Shapes())
//	n times:  ndim uint8, ndim × uint32 dims, then prod(dims) float64 values
//
// The header must be exactly the canonical JSON encoding of its Header, and
// tensors come in Architecture.Shapes order; nothing may follow the last one.
// So a model has exactly one valid file, and the model hash (SHA-256 over
// exactly these bytes) identifies the model.
const (
	Magic         = "ASSAYMDL"
	FormatVersion = 2
	// formatV1 is the version before the header recorded the task hash.
	formatV1 = 1
	// maxHeaderBytes bounds the JSON header (an MNIST header is ~100 KB).
	maxHeaderBytes = 16 << 20
)

// ErrFormat marks a file that is not a valid model file of this version.
var ErrFormat = errors.New("model: bad model file")

// Bytes is the canonical encoding of m; equal models give equal bytes.
func (m *Model) Bytes() ([]byte, error) {
	hdr, err := json.Marshal(&m.Header)
	if err != nil {
		return nil, fmt.Errorf("model: encoding header: %w", err)
	}
	var b bytes.Buffer
	b.WriteString(Magic)
	le := binary.LittleEndian
	b.Write(le.AppendUint16(nil, FormatVersion))
	b.Write(le.AppendUint32(nil, uint32(len(hdr))))
	b.Write(hdr)
	b.Write(le.AppendUint32(nil, uint32(len(m.Weights))))
	for i, w := range m.Weights {
		data, ok := w.Data().([]float64)
		if !ok {
			return nil, fmt.Errorf("model: tensor %s is not float64", ParamName(i))
		}
		shape := w.Shape()
		b.WriteByte(byte(len(shape)))
		for _, d := range shape {
			b.Write(le.AppendUint32(nil, uint32(d)))
		}
		buf := make([]byte, 8*len(data))
		for j, v := range data {
			le.PutUint64(buf[8*j:], math.Float64bits(v))
		}
		b.Write(buf)
	}
	return b.Bytes(), nil
}

// Hash is the hex SHA-256 of the model's file bytes: the model_hash a miner
// publishes with its axon.
func (m *Model) Hash() (string, error) {
	b, err := m.Bytes()
	if err != nil {
		return "", err
	}
	return HashBytes(b), nil
}

// HashBytes is the hex SHA-256 of b.
func HashBytes(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Save writes m to path atomically (temp file + rename) and returns its hash.
func (m *Model) Save(path string) (string, error) {
	b, err := m.Bytes()
	if err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".model-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return "", err
	}
	// CreateTemp makes the file 0600; a model file is public (its hash is on
	// chain), so give it the usual 0644.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", err
	}
	return HashBytes(b), nil
}

// Load reads a model file and returns the model and its hash.
func Load(path string) (*Model, string, error) {
	m, b, err := LoadFile(path)
	if err != nil {
		return nil, "", err
	}
	return m, HashBytes(b), nil
}

// LoadFile reads a model file and returns the model and the file's exact
// bytes: what a miner streams to validators (GetModel), whose hash is the
// model hash.
func LoadFile(path string) (*Model, []byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	m, err := Decode(b)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, b, nil
}

// LoadFor is Load that also refuses a model for another task.
func LoadFor(path, taskType, taskHash string) (*Model, string, error) {
	m, h, err := Load(path)
	if err != nil {
		return nil, "", err
	}
	if err := m.CheckTask(taskType, taskHash); err != nil {
		return nil, "", fmt.Errorf("%s: %w", path, err)
	}
	return m, h, nil
}

// Decode parses model file bytes. Truncated or padded files, other format
// versions and inconsistent headers are refused with an error wrapping
// ErrFormat.
func Decode(b []byte) (*Model, error) {
	r := &reader{b: b}
	if magic := r.next(len(Magic)); r.err != nil || string(magic) != Magic {
		return nil, fmt.Errorf("%w: not an Assay model file (magic %q)", ErrFormat, magic)
	}
	v := r.u16()
	if r.err == nil && v == formatV1 {
		return nil, fmt.Errorf("%w: format version 1 predates task hashes (DESIGN §11), this build reads version %d; retrain the model with `assay-miner train --task-file F` (scripts/models.sh does so)", ErrFormat, FormatVersion)
	}
	if r.err == nil && v != FormatVersion {
		return nil, fmt.Errorf("%w: format version %d, this build reads version %d", ErrFormat, v, FormatVersion)
	}
	n := r.u32()
	if r.err == nil && n > maxHeaderBytes {
		return nil, fmt.Errorf("%w: header of %d bytes exceeds %d", ErrFormat, n, maxHeaderBytes)
	}
	hdr := r.next(int(n))
	if r.err != nil {
		return nil, fmt.Errorf("%w: truncated header: %v", ErrFormat, r.err)
	}
	var h Header
	dec := json.NewDecoder(bytes.NewReader(hdr))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrFormat, err)
	}
	// One model, one file: a header that decodes but is not byte-identical
	// to its canonical encoding (other whitespace, key case or order) is
	// refused, so equal models always have equal hashes.
	if canon, err := json.Marshal(&h); err != nil || !bytes.Equal(canon, hdr) {
		return nil, fmt.Errorf("%w: header is not in canonical form", ErrFormat)
	}
	if err := h.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	shapes := h.Architecture.Shapes()
	if k := r.u32(); r.err == nil && int(k) != len(shapes) {
		return nil, fmt.Errorf("%w: %d tensors, architecture %s needs %d", ErrFormat, k, h.Architecture, len(shapes))
	}
	weights := make([]*tensor.Dense, len(shapes))
	for i, want := range shapes {
		if nd := r.u8(); r.err == nil && int(nd) != len(want) {
			return nil, fmt.Errorf("%w: tensor %s has %d dims, want %d", ErrFormat, ParamName(i), nd, len(want))
		}
		size := 1
		for j, d := range want {
			if got := r.u32(); r.err == nil && int(got) != d {
				return nil, fmt.Errorf("%w: tensor %s dim %d is %d, want %d", ErrFormat, ParamName(i), j, got, d)
			}
			size *= d
		}
		raw := r.next(8 * size)
		if r.err != nil {
			return nil, fmt.Errorf("%w: truncated in tensor %s: %v", ErrFormat, ParamName(i), r.err)
		}
		data := make([]float64, size)
		for j := range data {
			v := math.Float64frombits(binary.LittleEndian.Uint64(raw[8*j:]))
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%w: tensor %s value %d is not finite", ErrFormat, ParamName(i), j)
			}
			data[j] = v
		}
		weights[i] = tensor.New(tensor.WithShape(want...), tensor.WithBacking(data))
	}
	if r.err != nil {
		return nil, fmt.Errorf("%w: truncated: %v", ErrFormat, r.err)
	}
	if rest := len(r.b) - r.off; rest != 0 {
		return nil, fmt.Errorf("%w: %d unexpected bytes after the last tensor", ErrFormat, rest)
	}
	return New(h, weights)
}

// reader walks a byte slice, remembering the first short read.
type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) next(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || len(r.b)-r.off < n {
		r.err = fmt.Errorf("need %d bytes at offset %d, file has %d: %w", n, r.off, len(r.b), io.ErrUnexpectedEOF)
		return nil
	}
	s := r.b[r.off : r.off+n]
	r.off += n
	return s
}

func (r *reader) u8() uint8 {
	if s := r.next(1); s != nil {
		return s[0]
	}
	return 0
}

func (r *reader) u16() uint16 {
	if s := r.next(2); s != nil {
		return binary.LittleEndian.Uint16(s)
	}
	return 0
}

func (r *reader) u32() uint32 {
	if s := r.next(4); s != nil {
		return binary.LittleEndian.Uint32(s)
	}
	return 0
}
