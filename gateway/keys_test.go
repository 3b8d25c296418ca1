package gateway

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func keyHash(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }

func TestLoadKeys(t *testing.T) {
	p := filepath.Join(t.TempDir(), "keys.toml")
	write := func(s string) { require.NoError(t, os.WriteFile(p, []byte(s), 0o600)) }
	write(`
[[key]]
name = "app"
sha256 = "` + keyHash("s3cret") + `"
requests_per_second = 2
rows_per_second = 300
`)
	k, err := LoadKeys(p)
	require.NoError(t, err)
	c, err := k.identify("Bearer s3cret")
	require.NoError(t, err)
	require.Equal(t, "app", c.name)
	_, err = k.identify("Bearer nope")
	require.ErrorIs(t, err, errBadKey)
	_, err = k.identify("")
	require.ErrorIs(t, err, errNoKey, "the anonymous tier is off by default")
	_, err = k.identify("Basic s3cret")
	require.ErrorIs(t, err, errBadKey)

	write("[anonymous]\nenabled = true\nrequests_per_second = 1\n")
	k, err = LoadKeys(p)
	require.NoError(t, err)
	c, err = k.identify("")
	require.NoError(t, err)
	require.Equal(t, AnonymousName, c.name)

	for body, want := range map[string]string{
		"[[key]]\nsha256 = \"" + keyHash("a") + "\"\n":                                                                         "key[0].name is empty",
		"[[key]]\nname = \"a\"\nsha256 = \"abc\"\n":                                                                            `key[0] (a).sha256 "abc" is not 64 hex digits`,
		"[[key]]\nname = \"a\"\nsha256 = \"" + keyHash("a") + "\"\nrows_per_second = -1\n":                                     "key[0] (a): rates must be ≥ 0",
		"[[key]]\nname = \"a\"\nsha256 = \"" + keyHash("a") + "\"\n[[key]]\nname = \"a\"\nsha256 = \"" + keyHash("b") + "\"\n": `key[1] (a).name "a" is used twice`,
		"[[key]]\nname = \"a\"\nsha256 = \"" + keyHash("a") + "\"\n[[key]]\nname = \"b\"\nsha256 = \"" + keyHash("a") + "\"\n": "key[1] (b).sha256 is another key's too",
		"[[key]]\nname = \"a\"\nsha256 = \"" + keyHash("a") + "\"\nrps = 3\n":                                                  "unknown field key.rps",
		"[anonymous\n": "keys.toml",
	} {
		write(body)
		_, err := LoadKeys(p)
		require.ErrorIs(t, err, ErrKeys, body)
		require.ErrorContains(t, err, want, body)
	}
}

func TestBucketLimitsAndSaysWhen(t *testing.T) {
	t0 := time.Unix(1000, 0)
	b := newBucket(2, 2) // 2 per second, burst 2
	for range 2 {
		ok, _ := b.take(1, t0)
		require.True(t, ok)
	}
	ok, retry := b.take(1, t0)
	require.False(t, ok)
	require.Equal(t, 500*time.Millisecond, retry)
	ok, _ = b.take(1, t0.Add(500*time.Millisecond))
	require.True(t, ok, "refilled at the rate")

	rows := newBucket(10, MaxRows) // a request of MaxRows rows passes once, then pays
	ok, _ = rows.take(MaxRows, t0)
	require.True(t, ok)
	ok, retry = rows.take(1, t0)
	require.False(t, ok)
	require.Equal(t, 100*time.Millisecond, retry)
	rows.give(MaxRows)
	ok, _ = rows.take(MaxRows, t0)
	require.True(t, ok, "rows given back by a request that was not served")

	ok, _ = newBucket(0, 0).take(1e9, t0)
	require.True(t, ok, "rate 0 is unlimited")
	require.Equal(t, 1, retryAfterSeconds(time.Millisecond))
	require.Equal(t, 3, retryAfterSeconds(2001*time.Millisecond))
}
