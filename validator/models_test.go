package validator

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestModelStore: one download per hash however many ask, the least
// recently used model out when the cap is passed, and a failed download
// not retried from the same miner before fetchRetry.
func TestModelStore(t *testing.T) {
	s := newModelStore(100)
	ctx := context.Background()
	now := time.Unix(1000, 0)
	calls := map[string]int{}
	release := make(chan struct{})
	fetch := func(hash string, size int, err error) func(context.Context) ([]byte, error) {
		return func(context.Context) ([]byte, error) {
			<-release
			calls[hash]++ // after release: the test reads calls once the fetch is done
			return make([]byte, size), err
		}
	}
	build := func(hash string) func([]byte) *storedModel {
		return func(f []byte) *storedModel { return &storedModel{hash: hash, size: int64(len(f))} }
	}
	get := func(hash, hotkey string, size int, err error) (*storedModel, <-chan struct{}, error) {
		return s.get(ctx, hash, hotkey, now, fetch(hash, size, err), build(hash))
	}
	_, w1, _ := get("a", "k1", 40, nil)
	_, w2, _ := get("a", "k2", 40, nil) // the same hash from another miner: the same download
	if w1 == nil || w1 != w2 {
		t.Fatal("two downloads of one hash")
	}
	close(release)
	<-w1
	if sm, _, err := get("a", "k2", 40, nil); sm == nil || err != nil || calls["a"] != 1 {
		t.Fatalf("after the download: %v, %v, %d calls", sm, err, calls["a"])
	}
	for _, h := range []string{"b", "c"} {
		_, w, _ := get(h, "k", 40, nil)
		<-w
	}
	// a, b, c = 120 bytes > 100: a (least recently used) is out.
	if n, used := s.held(); n != 2 || used != 80 {
		t.Errorf("held %d models, %d bytes: want 2, 80", n, used)
	}
	if sm, _, _ := s.get(ctx, "a", "k", now, nil, nil); sm != nil {
		t.Error("a still held after eviction")
	}

	boom := errors.New("refused")
	_, w, _ := get("d", "k", 10, boom)
	<-w
	if _, w, err := get("d", "k", 10, nil); w != nil || !errors.Is(err, boom) {
		t.Errorf("within fetchRetry: wait %v err %v, want the last failure", w, err)
	}
	now = now.Add(fetchRetry)
	if _, w, err := get("d", "k", 10, nil); w == nil || err != nil {
		t.Errorf("after fetchRetry: wait %v err %v, want a new download", w, err)
	} else {
		<-w
	}
	if calls["d"] != 2 {
		t.Errorf("d downloaded %d times, want 2", calls["d"])
	}
}
