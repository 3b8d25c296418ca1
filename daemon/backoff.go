package daemon

import (
	"context"
	"time"
)

// Backoff spaces out retries of something that failed: Min, 2·Min, 4·Min, …
// up to Max. The zero value doubles from 1 s up to 30 s.
type Backoff struct {
	Min, Max time.Duration
	d        time.Duration
}

// Next is the delay before the next retry.
func (b *Backoff) Next() time.Duration {
	lo, hi := b.Min, b.Max
	if lo <= 0 {
		lo = time.Second
	}
	if hi <= 0 {
		hi = 30 * time.Second
	}
	b.d = min(max(2*b.d, lo), hi)
	return b.d
}

// Reset starts over from Min, after a success.
func (b *Backoff) Reset() { b.d = 0 }

// Sleep waits d or until ctx ends; false if ctx ended.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
