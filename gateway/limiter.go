package gateway

import (
	"math"
	"sync"
	"time"
)

// bucket is a token bucket that may go into debt: a request for n tokens
// is admitted when the bucket holds at least min(n, burst), and takes all
// n, so a single request larger than the burst is possible but pays for
// itself in the wait that follows. Safe for concurrent use.
type bucket struct {
	rate  float64 // tokens per second; ≤ 0: unlimited
	burst float64

	mu     sync.Mutex
	tokens float64
	last   time.Time
}

func newBucket(rate, burst float64) *bucket {
	return &bucket{rate: rate, burst: burst, tokens: burst}
}

// take admits n tokens at now, or says how long until it could.
func (b *bucket) take(n float64, now time.Time) (ok bool, retry time.Duration) {
	if b == nil || b.rate <= 0 {
		return true, 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.fill(now)
	need := math.Min(n, b.burst)
	if b.tokens >= need {
		b.tokens -= n
		return true, 0
	}
	return false, time.Duration((need - b.tokens) / b.rate * float64(time.Second))
}

// give returns n tokens taken by a request that was then not served.
func (b *bucket) give(n float64) {
	if b == nil || b.rate <= 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tokens = math.Min(b.burst, b.tokens+n)
}

func (b *bucket) fill(now time.Time) {
	if !b.last.IsZero() && now.After(b.last) {
		b.tokens = math.Min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	if now.After(b.last) {
		b.last = now
	}
}

// retryAfterSeconds is a Retry-After header value: whole seconds, at least 1.
func retryAfterSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}
