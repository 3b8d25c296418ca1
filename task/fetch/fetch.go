// Package fetch keeps a task's data files in a content-addressed cache,
// <data dir>/sha256/<hex> (DESIGN §11): a file is fetched from its mirrors
// on first use, streamed to a temp file in the cache directory while it is
// hashed, checked for size and SHA-256, fsynced and renamed into place. A
// file in the cache has therefore been verified once; nothing else is ever
// written under that name. Wrong bytes never enter the cache.
package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/assay-network/assay/task"
)

// Sentinel errors, wrapped in every *URLError they cause.
var (
	// ErrHash: the bytes a mirror served have another SHA-256.
	ErrHash = errors.New("wrong sha256")
	// ErrSize: a mirror served (or announced) another number of bytes.
	ErrSize = errors.New("wrong size")
	// ErrUnavailable: a mirror could not be read (refused, 404, missing file).
	ErrUnavailable = errors.New("mirror unavailable")
)

// Path is where the cache keeps the file with the given SHA-256.
func Path(dataDir, sha string) string { return filepath.Join(dataDir, "sha256", sha) }

// Fetcher fetches into one cache directory. The zero HTTP client is
// http.DefaultClient; deadlines come from the caller's context.
type Fetcher struct {
	DataDir string
	Client  *http.Client
	// Verify re-hashes a file already in the cache (normally a stat and a
	// size check suffice, since only verified files are renamed in); a
	// file that fails is removed and fetched again.
	Verify bool
}

// Result says where a file is and how it got there.
type Result struct {
	Path string
	// Fetched is false when the file was already in the cache.
	Fetched bool
	// URL is the mirror it came from, Bytes its size (when Fetched).
	URL   string
	Bytes int64
}

// Fetch makes sure file is in dataDir's cache and returns its path.
func Fetch(ctx context.Context, file task.File, dataDir string) (string, error) {
	r, err := (&Fetcher{DataDir: dataDir}).Get(ctx, file)
	return r.Path, err
}

// Get makes sure file is in the cache, trying its URLs in order; when all
// fail the *Error lists every URL's failure.
func (f *Fetcher) Get(ctx context.Context, file task.File) (Result, error) {
	if err := checkFile(file); err != nil {
		return Result{}, err
	}
	dir := filepath.Join(f.DataDir, "sha256")
	final := filepath.Join(dir, file.SHA256)
	// One fetch per file per process; other processes race harmlessly,
	// since each renames a complete, verified file.
	defer lockPath(final)()
	ok, err := f.present(final, file)
	if err != nil || ok {
		return Result{Path: final}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Result{}, fmt.Errorf("fetch: cache directory: %w", err)
	}
	e := &Error{SHA256: file.SHA256, Size: file.SizeBytes}
	for _, u := range file.URLs {
		n, err := f.download(ctx, u, dir, final, file)
		if err == nil {
			return Result{Path: final, Fetched: true, URL: u, Bytes: n}, nil
		}
		e.Failures = append(e.Failures, &URLError{URL: u, Err: err})
		if ctx.Err() != nil {
			break
		}
	}
	return Result{}, e
}

// FetchTask fetches every file of a task and returns their paths by role.
func (f *Fetcher) FetchTask(ctx context.Context, s task.Spec) (map[string]string, error) {
	paths := make(map[string]string, len(s.Dataset.Files))
	for _, file := range s.Dataset.Files {
		r, err := f.Get(ctx, file)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file.Role, err)
		}
		paths[file.Role] = r.Path
	}
	return paths, nil
}

// checkFile guards the cache path: the hash becomes a file name.
func checkFile(file task.File) error {
	if len(file.SHA256) != 64 || strings.Trim(file.SHA256, "0123456789abcdef") != "" {
		return fmt.Errorf("fetch: sha256 %q is not 64 lowercase hex digits", file.SHA256)
	}
	if file.SizeBytes == 0 || file.SizeBytes > task.MaxFileBytes {
		return fmt.Errorf("fetch: size %d out of range", file.SizeBytes)
	}
	if len(file.URLs) == 0 {
		return fmt.Errorf("fetch: sha256 %s: no URLs", file.SHA256)
	}
	return nil
}

// present reports whether the cache holds a good copy; a copy of the wrong
// size (or, with Verify, the wrong hash) is removed.
func (f *Fetcher) present(final string, file task.File) (bool, error) {
	st, err := os.Stat(final)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("fetch: %w", err)
	}
	good := st.Mode().IsRegular() && uint64(st.Size()) == file.SizeBytes
	if good && f.Verify {
		sum, err := hashFile(final)
		if err != nil {
			return false, fmt.Errorf("fetch: verifying %s: %w", final, err)
		}
		good = sum == file.SHA256
	}
	if good {
		return true, nil
	}
	if err := os.Remove(final); err != nil {
		return false, fmt.Errorf("fetch: removing bad cache entry: %w", err)
	}
	return false, nil
}

func hashFile(path string) (string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer fh.Close()
	h := sha256.New()
	if _, err := io.Copy(h, fh); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// download streams one mirror into a temp file in dir, checks it and
// renames it to final; on any failure the temp file is removed.
func (f *Fetcher) download(ctx context.Context, rawURL, dir, final string, file task.File) (n int64, err error) {
	body, err := f.open(ctx, rawURL, file.SizeBytes)
	if err != nil {
		return 0, err
	}
	defer body.Close()
	tmp, err := os.CreateTemp(dir, file.SHA256+".part-*")
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	size := int64(file.SizeBytes)
	h := sha256.New()
	// One byte past the size is enough to know a mirror serves too much.
	n, err = io.Copy(io.MultiWriter(tmp, h), io.LimitReader(ctxReader{ctx, body}, size+1))
	switch {
	case err != nil:
		return n, fmt.Errorf("transfer failed after %d of %d bytes: %w", n, size, err)
	case n > size:
		return n, fmt.Errorf("%w: more than the %d bytes the task names", ErrSize, size)
	case n < size:
		return n, fmt.Errorf("%w: %d bytes, the task names %d", ErrSize, n, size)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != file.SHA256 {
		return n, fmt.Errorf("%w: the file's sha256 is %s, the task names %s", ErrHash, got, file.SHA256)
	}
	if err = tmp.Chmod(0o444); err != nil {
		return n, err
	}
	if err = tmp.Sync(); err != nil {
		return n, err
	}
	if err = tmp.Close(); err != nil {
		return n, err
	}
	if err = os.Rename(tmp.Name(), final); err != nil {
		return n, err
	}
	// The file in place is complete and verified. A failed directory
	// fsync only risks losing the rename in a crash, after which the next
	// Get fetches again, so it is not a reason to try another mirror.
	_ = syncDir(dir)
	return n, nil
}

// syncDir makes the rename durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// ctxReader stops a copy when the context ends (a file:// read has no
// other way to notice).
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// lockPath serialises fetches of one path within the process.
func lockPath(path string) (unlock func()) {
	locks.mu.Lock()
	l := locks.m[path]
	if l == nil {
		l = &pathLock{}
		locks.m[path] = l
	}
	l.users++
	locks.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		locks.mu.Lock()
		if l.users--; l.users == 0 {
			delete(locks.m, path)
		}
		locks.mu.Unlock()
	}
}

type pathLock struct {
	mu    sync.Mutex
	users int
}

var locks = struct {
	mu sync.Mutex
	m  map[string]*pathLock
}{m: map[string]*pathLock{}}
