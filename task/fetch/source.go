package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strings"
)

// Error is a file no mirror could provide; it lists every URL's failure in
// the order tried.
type Error struct {
	SHA256   string
	Size     uint64
	Failures []*URLError
}

func (e *Error) Error() string {
	parts := make([]string, len(e.Failures))
	for i, f := range e.Failures {
		parts[i] = f.Error()
	}
	return fmt.Sprintf("fetch sha256 %s (%d bytes): no mirror served it: %s", e.SHA256, e.Size, strings.Join(parts, "; "))
}

// Unwrap exposes each failure, so errors.Is(err, ErrHash) holds when any
// mirror served the wrong bytes.
func (e *Error) Unwrap() []error {
	out := make([]error, len(e.Failures))
	for i, f := range e.Failures {
		out[i] = f
	}
	return out
}

// URLError is one mirror's failure.
type URLError struct {
	URL string
	Err error
}

func (e *URLError) Error() string { return e.URL + ": " + e.Err.Error() }
func (e *URLError) Unwrap() error { return e.Err }

// open starts reading one mirror. A size the source knows in advance
// (Content-Length, a file's size) is checked before any byte is copied.
func (f *Fetcher) open(ctx context.Context, rawURL string, size uint64) (io.ReadCloser, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("%w: bad URL: %v", ErrUnavailable, err)
	}
	switch u.Scheme {
	case "http", "https":
		return f.openHTTP(ctx, rawURL, size)
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return nil, fmt.Errorf("%w: file URL with host %q", ErrUnavailable, u.Host)
		}
		return openFile(u.Path, size)
	}
	return nil, fmt.Errorf("%w: scheme %q not supported (http, https, file)", ErrUnavailable, u.Scheme)
}

func (f *Fetcher) openHTTP(ctx context.Context, rawURL string, size uint64) (io.ReadCloser, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	client := f.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		// *url.Error repeats the method and URL, which URLError already names.
		if inner := errors.Unwrap(err); inner != nil {
			err = inner
		}
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("%w: HTTP %s", ErrUnavailable, resp.Status)
	}
	if resp.ContentLength >= 0 && uint64(resp.ContentLength) != size {
		resp.Body.Close()
		return nil, fmt.Errorf("%w: the server announces %d bytes, the task names %d", ErrSize, resp.ContentLength, size)
	}
	return resp.Body, nil
}

func openFile(path string, size uint64) (io.ReadCloser, error) {
	fh, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: no such file", ErrUnavailable)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	st, err := fh.Stat()
	if err != nil || !st.Mode().IsRegular() {
		fh.Close()
		return nil, fmt.Errorf("%w: not a regular file", ErrUnavailable)
	}
	if uint64(st.Size()) != size {
		fh.Close()
		return nil, fmt.Errorf("%w: the file has %d bytes, the task names %d", ErrSize, st.Size(), size)
	}
	return fh, nil
}
