package daemon

import (
	"context"
	"testing"
	"time"
)

func TestBackoffDoublesUpToMaxAndResets(t *testing.T) {
	var b Backoff
	var got []time.Duration
	for range 7 {
		got = append(got, b.Next())
	}
	want := []time.Duration{1, 2, 4, 8, 16, 30, 30}
	for i := range want {
		if got[i] != want[i]*time.Second {
			t.Fatalf("zero-value delays %v, want %v seconds", got, want)
		}
	}
	b.Reset()
	if d := b.Next(); d != time.Second {
		t.Errorf("after Reset: %v, want 1s", d)
	}
	c := Backoff{Min: 10 * time.Millisecond, Max: 25 * time.Millisecond}
	if a, b, d := c.Next(), c.Next(), c.Next(); a != 10*time.Millisecond || b != 20*time.Millisecond || d != 25*time.Millisecond {
		t.Errorf("custom delays %v %v %v", a, b, d)
	}
}

func TestSleepStopsOnCancel(t *testing.T) {
	if !Sleep(context.Background(), time.Millisecond) {
		t.Error("Sleep without cancel reported a cancel")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	if Sleep(ctx, time.Minute) || time.Since(start) > time.Second {
		t.Error("Sleep ignored a cancelled ctx")
	}
}
