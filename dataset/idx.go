package dataset

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// IDX is an unsigned-byte IDX array (the MNIST file format): Dims gives the
// shape, Data the values in row-major order.
type IDX struct {
	Dims []int
	Data []byte
}

// maxIDXBytes bounds the payload an IDX header may announce (MNIST's train
// images are 47 MB), so a corrupt header cannot trigger a huge allocation.
const maxIDXBytes = 1 << 28

// ReadIDX parses an IDX file of unsigned bytes (type code 0x08), such as
// MNIST's images (3 dimensions) and labels (1 dimension). name is used in
// error messages only.
func ReadIDX(r io.Reader, name string) (*IDX, error) {
	var magic [4]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil {
		return nil, fmt.Errorf("%s: reading IDX magic: %w", name, err)
	}
	if magic[0] != 0 || magic[1] != 0 {
		return nil, fmt.Errorf("%s: not an IDX file (magic %x)", name, magic)
	}
	if magic[2] != 0x08 {
		return nil, fmt.Errorf("%s: IDX element type 0x%02x unsupported, want 0x08 (unsigned byte)", name, magic[2])
	}
	nd := int(magic[3])
	if nd == 0 || nd > 4 {
		return nil, fmt.Errorf("%s: IDX with %d dimensions unsupported", name, nd)
	}
	out := &IDX{Dims: make([]int, nd)}
	total := 1
	for i := range out.Dims {
		var d uint32
		if err := binary.Read(r, binary.BigEndian, &d); err != nil {
			return nil, fmt.Errorf("%s: reading dimension %d: %w", name, i, err)
		}
		if d == 0 || int64(total)*int64(d) > maxIDXBytes {
			return nil, fmt.Errorf("%s: dimension %d = %d out of range", name, i, d)
		}
		out.Dims[i] = int(d)
		total *= int(d)
	}
	out.Data = make([]byte, total)
	if n, err := io.ReadFull(r, out.Data); err != nil {
		return nil, fmt.Errorf("%s: truncated: %d of %d data bytes: %w", name, n, total, err)
	}
	var extra [1]byte
	if n, _ := r.Read(extra[:]); n > 0 {
		return nil, fmt.Errorf("%s: trailing bytes after %d data bytes", name, total)
	}
	return out, nil
}

// ReadIDXFile reads an IDX file, gunzipping it when the name ends in .gz.
func ReadIDXFile(path string) (*IDX, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = bufio.NewReader(f)
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	}
	idx, err := ReadIDX(r, path)
	if err != nil {
		return nil, err
	}
	// Drain to let gzip verify its checksum: a corrupt file must not load.
	if _, err := io.Copy(io.Discard, r); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return idx, nil
}
