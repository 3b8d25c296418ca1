package gateway

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/BurntSushi/toml"
)

// KeysFile is keys.toml: the API keys (by the SHA-256 of the secret, so
// the file holds no secret) and the anonymous tier.
//
//	[anonymous]            # optional; off unless enabled
//	enabled = true
//	requests_per_second = 1
//	rows_per_second = 16
//
//	[[key]]
//	name = "my-app"
//	sha256 = "<64 hex: sha256 of the key>"
//	requests_per_second = 20
//	rows_per_second = 2000
type KeysFile struct {
	Anonymous *Limit   `toml:"anonymous"`
	Key       []KeyDef `toml:"key"`
}

// Limit is a rate limit; 0 is unlimited.
type Limit struct {
	Enabled           bool    `toml:"enabled"`
	RequestsPerSecond float64 `toml:"requests_per_second"`
	RowsPerSecond     float64 `toml:"rows_per_second"`
}

// KeyDef is one API key.
type KeyDef struct {
	Name              string  `toml:"name"`
	SHA256            string  `toml:"sha256"`
	RequestsPerSecond float64 `toml:"requests_per_second"`
	RowsPerSecond     float64 `toml:"rows_per_second"`
}

// AnonymousName is the metrics label of the anonymous tier.
const AnonymousName = "anonymous"

// ErrKeys is wrapped by every keys.toml error.
var ErrKeys = errors.New("gateway keys")

// Keys admits callers: a key from the file, or anonymous callers when that
// tier is enabled. The zero value admits nobody.
type Keys struct {
	byHash map[[32]byte]*caller
	anon   *caller
}

// caller is an admitted identity with its limits.
type caller struct {
	name         string
	requests     *bucket
	rows         *bucket
	reqPS, rowPS float64
}

// LoadKeys reads keys.toml. Errors name the key and the field.
func LoadKeys(path string) (*Keys, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeys, err)
	}
	var f KeysFile
	md, err := toml.Decode(string(b), &f)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrKeys, path, err)
	}
	if u := md.Undecoded(); len(u) > 0 {
		return nil, fmt.Errorf("%w: %s: unknown field %s", ErrKeys, path, u[0])
	}
	k, err := NewKeys(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// NewKeys checks f and builds the limiters.
func NewKeys(f KeysFile) (*Keys, error) {
	k := &Keys{byHash: make(map[[32]byte]*caller, len(f.Key))}
	names := make(map[string]bool, len(f.Key))
	for i, d := range f.Key {
		where := fmt.Sprintf("key[%d]", i)
		if d.Name == "" {
			return nil, fmt.Errorf("%w: %s.name is empty", ErrKeys, where)
		}
		where = fmt.Sprintf("key[%d] (%s)", i, d.Name)
		if names[d.Name] || d.Name == AnonymousName {
			return nil, fmt.Errorf("%w: %s.name %q is used twice (or is reserved)", ErrKeys, where, d.Name)
		}
		names[d.Name] = true
		h, err := hex.DecodeString(d.SHA256)
		if err != nil || len(h) != 32 {
			return nil, fmt.Errorf("%w: %s.sha256 %q is not 64 hex digits", ErrKeys, where, d.SHA256)
		}
		if d.RequestsPerSecond < 0 || d.RowsPerSecond < 0 {
			return nil, fmt.Errorf("%w: %s: rates must be ≥ 0 (0: unlimited)", ErrKeys, where)
		}
		if _, dup := k.byHash[[32]byte(h)]; dup {
			return nil, fmt.Errorf("%w: %s.sha256 is another key's too", ErrKeys, where)
		}
		k.byHash[[32]byte(h)] = newCaller(d.Name, d.RequestsPerSecond, d.RowsPerSecond)
	}
	if f.Anonymous != nil {
		return k.WithAnonymous(*f.Anonymous)
	}
	return k, nil
}

// WithAnonymous returns a copy of k whose anonymous tier is l (off unless
// l.Enabled).
func (k *Keys) WithAnonymous(l Limit) (*Keys, error) {
	if l.RequestsPerSecond < 0 || l.RowsPerSecond < 0 {
		return nil, fmt.Errorf("%w: anonymous: rates must be ≥ 0 (0: unlimited)", ErrKeys)
	}
	out := &Keys{byHash: k.byHash}
	if l.Enabled {
		out.anon = newCaller(AnonymousName, l.RequestsPerSecond, l.RowsPerSecond)
	}
	return out, nil
}

func newCaller(name string, reqPS, rowPS float64) *caller {
	// Bursts: one second's worth, and at least one request of MaxRows rows.
	return &caller{name: name, reqPS: reqPS, rowPS: rowPS,
		requests: newBucket(reqPS, max(1, reqPS)), rows: newBucket(rowPS, max(MaxRows, rowPS))}
}

// errNoKey and errBadKey are the two 401s.
var (
	errNoKey  = errors.New("an API key is required (Authorization: Bearer KEY); this gateway has no anonymous tier")
	errBadKey = errors.New("unknown API key")
)

// identify finds the caller of an Authorization header value ("" when absent).
func (k *Keys) identify(auth string) (*caller, error) {
	secret, ok := strings.CutPrefix(auth, "Bearer ")
	if auth == "" || !ok {
		if auth != "" {
			return nil, errBadKey
		}
		if k.anon == nil {
			return nil, errNoKey
		}
		return k.anon, nil
	}
	h := sha256.Sum256([]byte(strings.TrimSpace(secret)))
	c := k.byHash[h] // looked up by hash: timing says nothing about the secret
	if c == nil {
		return nil, errBadKey
	}
	return c, nil
}

// NewKey returns a fresh API key and its keys.toml sha256.
func NewKey() (secret, sum string, err error) {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", err
	}
	secret = "assay_" + hex.EncodeToString(b[:])
	h := sha256.Sum256([]byte(secret))
	return secret, hex.EncodeToString(h[:]), nil
}
