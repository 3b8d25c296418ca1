package explorer

import "sync"

// heightCache memoises query answers and built pages for one block height:
// every view at height h reuses what an earlier view at h fetched, so the
// node answers each query at most once per block. Moving to a higher height
// drops the old entries (state at an older height is never asked for
// again). Concurrent views of the same key wait for one fetch. Errors are
// not kept: the next view retries.
type heightCache struct {
	mu      sync.Mutex
	height  int64
	entries map[string]*cacheEntry
	// fetches counts calls that reached fetch (tests and benchmarks read it).
	fetches int
}

type cacheEntry struct {
	done chan struct{}
	val  any
	err  error
}

// cached returns fetch's value for (h, key), calling fetch only if no view
// at h has. A request for a height older than the cache's is served
// uncached.
func cached[T any](c *heightCache, h int64, key string, fetch func() (T, error)) (T, error) {
	c.mu.Lock()
	if h < c.height {
		c.fetches++
		c.mu.Unlock()
		return fetch()
	}
	if h > c.height || c.entries == nil {
		c.height, c.entries = h, map[string]*cacheEntry{}
	}
	if e, ok := c.entries[key]; ok {
		c.mu.Unlock()
		<-e.done
		if e.err != nil {
			var zero T
			return zero, e.err
		}
		return e.val.(T), nil
	}
	e := &cacheEntry{done: make(chan struct{})}
	c.entries[key] = e
	c.fetches++
	c.mu.Unlock()

	v, err := fetch()
	e.val, e.err = v, err
	close(e.done)
	if err != nil {
		c.mu.Lock()
		if c.entries[key] == e {
			delete(c.entries, key)
		}
		c.mu.Unlock()
	}
	return v, err
}

// seed stores v for (h, key) as if a view had fetched it, unless the cache
// is past h or already holds the key.
func seed[T any](c *heightCache, h int64, key string, v T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if h < c.height {
		return
	}
	if h > c.height || c.entries == nil {
		c.height, c.entries = h, map[string]*cacheEntry{}
	}
	if _, ok := c.entries[key]; ok {
		return
	}
	e := &cacheEntry{done: make(chan struct{}), val: v}
	close(e.done)
	c.entries[key] = e
	c.fetches++
}

// has says whether key is cached (or being fetched) at h.
func (c *heightCache) has(h int64, key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.entries[key]
	return ok && c.height == h
}

// fetchCount is how many fetches ran (tests).
func (c *heightCache) fetchCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fetches
}
