package validator

import (
	"container/list"
	"context"
	"sync"
	"time"

	"github.com/assay-network/assay/dataset"
	"github.com/assay-network/assay/miner/model"
)

// Fetch policy (DESIGN §12, replay verification). A served model is
// fetched once per hash, in the background: a round starts the fetch of
// every hash it has not verified yet and waits for it only until the
// round's own query deadline (QueryTimeout after the round began, the time
// the round already waits for its slowest miner). A model that is not in
// by then leaves its UID `unverifiable` for that round and keeps coming in
// (FetchTimeout bounds the download, the cache size bounds its bytes), so
// the next round replays it. A fetch that fails (refused, stalled, over
// the cap, wrong hash) is not retried from the same miner before
// fetchRetry has passed, so a miner cannot make the validator download its
// file every round. At most maxFetches downloads run at once.
const (
	maxFetches = 8
	fetchRetry = time.Minute
)

// storedModel is a fetched, hash-checked model file: either ready to
// replay (a Predictor and the model's encoder) or judged unfit for the
// task (unfit says why). A hash's verdict never changes, so both are kept.
type storedModel struct {
	hash  string
	size  int64 // file bytes, what the cache counts
	pred  *model.Predictor
	enc   *dataset.CompiledEncoder
	unfit error
}

// fetchFailure is the last failed fetch of a hash from one miner.
type fetchFailure struct {
	err error
	at  time.Time
}

// modelStore is the validator's model cache: in memory (the decoded
// weights, about the file's size), least recently used first out once the
// files held pass capBytes. Safe for concurrent use.
type modelStore struct {
	capBytes int64
	sem      chan struct{} // bounds concurrent downloads

	mu       sync.Mutex
	used     int64
	lru      *list.List // of *storedModel, most recently used at the front
	byHash   map[string]*list.Element
	inflight map[string]chan struct{}
	failed   map[[2]string]fetchFailure // by (hash, miner hotkey)
}

func newModelStore(capBytes int64) *modelStore {
	return &modelStore{capBytes: capBytes, sem: make(chan struct{}, maxFetches), lru: list.New(),
		byHash: map[string]*list.Element{}, inflight: map[string]chan struct{}{}, failed: map[[2]string]fetchFailure{}}
}

// get returns the stored model of hash. If there is none it returns the
// channel of the fetch under way (starting fetch from the miner hotkey if
// none is and that miner has not failed within fetchRetry), or the
// miner's last failure. fetch downloads and checks the file; build turns
// it into a storedModel.
func (s *modelStore) get(ctx context.Context, hash, hotkey string, now time.Time,
	fetch func(context.Context) ([]byte, error), build func(file []byte) *storedModel) (*storedModel, <-chan struct{}, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.byHash[hash]; ok {
		s.lru.MoveToFront(e)
		return e.Value.(*storedModel), nil, nil
	}
	if ch, ok := s.inflight[hash]; ok {
		return nil, ch, nil
	}
	key := [2]string{hash, hotkey}
	if f, ok := s.failed[key]; ok && now.Sub(f.at) < fetchRetry {
		return nil, nil, f.err
	}
	if fetch == nil {
		return nil, nil, nil
	}
	ch := make(chan struct{})
	s.inflight[hash] = ch
	go func() {
		defer close(ch)
		var sm *storedModel
		file, err := s.download(ctx, fetch)
		if err == nil {
			sm = build(file)
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.inflight, hash)
		if err != nil {
			s.failed[key] = fetchFailure{err: err, at: now}
			return
		}
		delete(s.failed, key)
		s.add(sm)
	}()
	return nil, ch, nil
}

// download runs fetch once a download slot is free.
func (s *modelStore) download(ctx context.Context, fetch func(context.Context) ([]byte, error)) ([]byte, error) {
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.sem }()
	return fetch(ctx)
}

// add stores sm, evicting the least recently used models until the files
// held fit capBytes. Caller holds mu.
func (s *modelStore) add(sm *storedModel) {
	for s.used+sm.size > s.capBytes && s.lru.Len() > 0 {
		old := s.lru.Remove(s.lru.Back()).(*storedModel)
		delete(s.byHash, old.hash)
		s.used -= old.size
	}
	s.byHash[sm.hash] = s.lru.PushFront(sm)
	s.used += sm.size
}

// held is the number of models and file bytes in the cache (for tests).
func (s *modelStore) held() (int, int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lru.Len(), s.used
}
